import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '@edgewise/shared';
import type { TestServer } from '../fixtures/server';
import { aBrowser, aPage, anAppServer, browserAvailable, screenshot } from './harness';

/**
 * Text that does not fit where it stands: an element whose content is wider than its box
 * while it clips it (overflow hidden, or one line with an ellipsis), or a page wider than
 * the window. Words longer in German or French than in English show up here.
 */
function cutOff(page: Page) {
  return page.evaluate(() => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page: ${document.documentElement.scrollWidth}px wide in ${window.innerWidth}px`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      if (!el.offsetParent || el.closest('.table-wrap, .tabs, .visually-hidden, svg, select, option')) continue;
      const style = getComputedStyle(el);
      const clips = style.overflowX === 'hidden' || style.overflowX === 'clip' || style.textOverflow === 'ellipsis';
      if (clips && el.scrollWidth > el.clientWidth + 1 && el.textContent?.trim()) out.push(`${el.tagName.toLowerCase()}.${el.className}: “${el.textContent.trim().slice(0, 60)}”`);
    }
    return out;
  });
}

describe.skipIf(!browserAvailable)('the dashboard in the organiser’s own language', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let eventId = '';
  const api = <T>(path: string) => page.request.get(path).then(async (r) => (await r.json()) as T);

  beforeAll(async () => {
    server = await anAppServer();
    browser = await aBrowser();
    // A 1080p screen, as at an organiser's desk.
    ({ page } = await aPage(browser, server, { viewport: { width: 1920, height: 1080 } }));
    await page.goto(`/dashboard/setup?token=${server.setupToken}`);
    await page.getByLabel('Your name').fill('Olga Organiser');
    await page.getByLabel('Email').fill('olga@example.org');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account and log in' }).click();
    await page.getByRole('heading', { name: 'No events yet' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('switches to German at once, and is still German after a reload', async () => {
    const menu = page.getByLabel('Dashboard language');
    // Each language by its own name, never a flag.
    await expect(menu.locator('option').allTextContents()).resolves.toEqual(['English', 'Deutsch', 'Français', 'Español', '日本語']);
    await menu.selectOption('de');
    await page.getByRole('heading', { name: 'Noch keine Veranstaltungen' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
    await expect(page.getByRole('button', { name: 'Abmelden' }).isVisible()).resolves.toBe(true);

    // Kept on the server for this organiser, not in the browser: a reload asks the session.
    await page.reload();
    await page.getByRole('heading', { name: 'Noch keine Veranstaltungen' }).waitFor();
    await expect(page.getByLabel('Sprache des Dashboards').inputValue()).resolves.toBe('de');
    const session = await api<{ language: string }>('/api/auth/session');
    expect(session.language).toBe('de');
  });

  it('creates an event in English and Japanese, Japanese by default, and translates a topic into Japanese', async () => {
    await page.getByRole('link', { name: 'Veranstaltung anlegen' }).click();
    await page.getByRole('heading', { name: 'Neue Veranstaltung', level: 1 }).waitFor();
    await page.getByLabel('Name der Veranstaltung').fill('Tokyo Founders Night');
    await page.getByLabel('Art der Veranstaltung').selectOption('tech-meetup');
    // A new event starts in the organiser's language; this one speaks English and Japanese.
    const languages = page.getByRole('group', { name: 'Sprachen für Gäste' });
    await expect(languages.getByRole('checkbox', { name: 'Deutsch' }).isChecked()).resolves.toBe(true);
    await languages.getByRole('checkbox', { name: 'English' }).check();
    await languages.getByRole('checkbox', { name: '日本語' }).check();
    await languages.getByRole('checkbox', { name: 'Deutsch' }).uncheck();
    const defaultLanguage = page.getByLabel('Standardsprache');
    await expect(defaultLanguage.locator('option').allTextContents()).resolves.toEqual(['English', '日本語']);
    await defaultLanguage.selectOption('ja');
    await screenshot(page, 'dashboard-de-new-event-1080p');
    await page.getByRole('button', { name: 'Veranstaltung anlegen' }).click();
    // The event's own page (an id), not the new-event page this started on (/dashboard/events/new).
    await page.waitForURL(/\/dashboard\/events\/[0-9a-f-]{36}$/);
    eventId = page.url().split('/').at(-1) ?? '';
    await page.getByText('Tokyo Founders Night wurde angelegt.').waitFor();

    let event = await api<Event>(`/api/events/${eventId}`);
    expect(event.languages).toEqual(['en', 'ja']);
    expect(event.defaultLanguage).toBe('ja');

    await page.getByRole('navigation', { name: 'Bereiche der Veranstaltung' }).getByRole('link', { name: 'Einstellungen' }).click();
    const topic = event.settings.topics[0];
    if (!topic) throw new Error('the template gave the event no topics');
    // The topic's own words first; the switch shows each event language's words in turn.
    await page.getByLabel('Bezeichnungen in').selectOption('ja');
    const row = page.locator(`tr[data-topic="${topic.id}"]`);
    await row.getByRole('textbox', { name: `Suche auf 日本語, Thema 1 (${topic.seekLabel})` }).fill('出資');
    await row.getByRole('textbox', { name: `Biete auf 日本語, Thema 1 (${topic.seekLabel})` }).fill('出資します');
    await row.getByRole('textbox', { name: `Biete auf 日本語, Thema 1 (${topic.seekLabel})` }).press('Tab');
    await screenshot(page, 'dashboard-de-topic-translations-1080p');
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    // Saved, or the form's own words for what went wrong (shown in the failure).
    await expect
      .poll(async () => ((await page.getByText('Veranstaltung gespeichert.').count()) > 0 ? 'saved' : (await page.locator('.events-form .error').allTextContents()).join(' | ')), { timeout: 20_000 })
      .toBe('saved');

    event = await api<Event>(`/api/events/${eventId}`);
    expect(event.settings.topics[0]?.translations?.ja).toEqual({ seekLabel: '出資', offerLabel: '出資します' });
    // The organiser's own words stay as they were.
    expect(event.settings.topics[0]?.seekLabel).toBe(topic.seekLabel);

    // The Japanese words come back when the form opens again.
    await page.reload();
    await page.getByLabel('Bezeichnungen in').selectOption('ja');
    await expect(row.getByRole('textbox', { name: `Suche auf 日本語, Thema 1 (${topic.seekLabel})` }).inputValue()).resolves.toBe('出資');
  });

  it('shows the event’s pages at 1080p in German and in Japanese with nothing cut off', async () => {
    for (const [language, live, settings] of [
      ['de', 'Live', 'Einstellungen'],
      ['ja', 'ライブ', '設定'],
    ] as const) {
      await page.goto(`/dashboard/events/${eventId}`);
      await page.locator('select.dash-language').selectOption(language);
      await page.waitForFunction((code) => document.documentElement.lang === code, language);
      const sections = page.getByRole('navigation', { name: language === 'de' ? 'Bereiche der Veranstaltung' : 'イベントのセクション' });
      await sections.getByRole('link', { name: live }).waitFor();
      await page.locator('[data-count="registered"]').waitFor();
      expect(await cutOff(page)).toEqual([]);
      await screenshot(page, `dashboard-${language}-live-1080p`);

      await sections.getByRole('link', { name: settings }).click();
      await page.locator('.events-form').waitFor();
      expect(await cutOff(page)).toEqual([]);
      await screenshot(page, `dashboard-${language}-settings-1080p`);
    }
    // Dates follow the language too: the event's date line is written the Japanese way.
    await expect(page.locator('.event-when').innerText()).resolves.toMatch(/\d+年\d+月\d+日|\d+\/\d+\/\d+/);
  });
});
