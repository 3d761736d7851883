import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator, languageInfo, ticketUrl, type CheckinOutcome, type LanguageCode, type Messages, type Translate } from '@edgewise/shared';
import de from '../../shared/src/i18n/locales/de';
import en from '../../shared/src/i18n/locales/en';
import es from '../../shared/src/i18n/locales/es';
import fr from '../../shared/src/i18n/locales/fr';
import ja from '../../shared/src/i18n/locales/ja';
import { aGuest, aNonce, anIntent, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aRecordingMailer, aSignInCode } from '../fixtures/credentials';
import { request, startServer, type TestServer } from '../fixtures/server';
import { aBrowser, aPage, aPhoneScreen, browserAvailable, clientDist, screenshot, tonight } from './harness';

/**
 * The kiosk in every language the event speaks: the guest picks theirs on the first screen
 * (each language by its own name), every step reads in it and fits a 1280x800 tablet with
 * nothing cut off, and the choice follows the guest to their phone and their mail; the
 * next guest finds the kiosk in the event's default again.
 */
const messages: Record<LanguageCode, Messages> = { en, de, fr, es, ja };
const tr = (code: LanguageCode): Translate => createTranslator(code, messages[code], en);
const languages: LanguageCode[] = ['en', 'de', 'fr', 'es', 'ja'];
const japanese = /[\u3040-\u30ff\u4e00-\u9faf]/;

/**
 * Text a person cannot read in full: an element whose content is wider than its box
 * (cut off, or spilling over its neighbours), or a page wider than the window.
 */
async function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) found.push(`the page scrolls sideways (${document.documentElement.scrollWidth}px)`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('h1, h2, h3, h4, p, li, dt, dd, label, legend, button, a, small, span, strong, input, select'))) {
      const style = getComputedStyle(el);
      if (style.display === 'inline' || el.clientWidth === 0 || el.closest('[aria-hidden="true"], .visually-hidden, svg')) continue;
      if (el.scrollWidth > el.clientWidth + 1) found.push(`${el.tagName.toLowerCase()}.${el.className}: “${(el.textContent ?? '').trim().slice(0, 60)}” (${el.scrollWidth} > ${el.clientWidth})`);
    }
    return found;
  });
}

/** Each step fits the tablet: every heading and control of the step lies inside the window, none below the fold. */
const offScreen = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('main h1, main h2, main button, main input, main [role=img]'))
      .filter((el) => el.offsetParent !== null)
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.bottom > window.innerHeight + 1 || r.right > window.innerWidth + 1 || r.top < -1 || r.left < -1;
      })
      .map((el) => `${el.tagName.toLowerCase()}: “${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40)}”`),
  );

describe.skipIf(!browserAvailable)('the kiosk in five languages, in a real browser', () => {
  let server: TestServer;
  let clockTicker: ReturnType<typeof setInterval>;
  let org: Organiser;
  let eventId: string;
  let browser: Browser;
  let kiosk: Page;
  const contexts: BrowserContext[] = [];
  const inbox = aRecordingMailer();

  /** A handheld scanner types into the ticket field, or past the language button just tapped (the kiosk catches it). */
  async function scanWithHandheld(text: string) {
    await kiosk.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'ticket-input' || document.activeElement?.tagName === 'BUTTON');
    await kiosk.keyboard.type(text);
    await kiosk.keyboard.press('Enter');
  }

  /** On the first screen: the language by its own name, then the page speaks it. */
  async function choose(code: LanguageCode) {
    await kiosk.getByRole('button', { name: languageInfo(code).name, exact: true }).click();
    await kiosk.waitForFunction((lang) => document.documentElement.lang === lang, code);
    await kiosk.getByRole('heading', { name: tr(code)('kiosk.scan.title') }).waitFor();
  }

  /** A picture of the step, and nothing on it cut off or below the fold. */
  async function looksRight(name: string) {
    await screenshot(kiosk, name);
    expect(await cutOff(kiosk), name).toEqual([]);
    expect(await offScreen(kiosk), `${name} fits 1280x800`).toEqual([]);
  }

  beforeAll(async () => {
    server = await startServer('pglite', { clientDist, mailer: inbox.mailer });
    server.clock.set(Date.now());
    clockTicker = setInterval(() => server.clock.set(Date.now()), 100);
    org = await anOrganiser(server);
    eventId = await anOpenEvent(org, {
      name: 'Climate Tech Night',
      ...tonight(),
      languages: languages,
      defaultLanguage: 'en',
      settings: {
        topics: [
          { id: 'investment', seekLabel: 'Investment', offerLabel: 'I invest', translations: { ja: { seekLabel: '投資', offerLabel: '投資します' }, de: { seekLabel: 'Investition', offerLabel: 'Ich investiere' } } },
          { id: 'design', seekLabel: 'Design', offerLabel: 'I design', translations: { ja: { seekLabel: 'デザイン', offerLabel: 'デザインします' }, de: { seekLabel: 'Design', offerLabel: 'Ich designe' } } },
        ],
        interestTags: ['Climate'],
        walkInsAllowed: true,
        interestTranslations: { Climate: { ja: '気候', de: 'Klima', fr: 'Climat', es: 'Clima' } },
      },
    });

    // Ben is in the room already, offering what the guests will look for.
    const ben = await aGuest(org, eventId, { name: 'Ben Okafor', company: 'Greenfield Ventures', role: 'Partner' });
    const device = await aPairedDevice(server, org, eventId);
    const checkin = await request(server.url)
      .post(`/api/events/${eventId}/checkins`)
      .set('authorization', `Bearer ${device.token}`)
      .send({ token: ben.secret, nonce: aNonce(), type: 'entry', scannedAt: new Date().toISOString() });
    expect((checkin.body as CheckinOutcome).status).toBe('ok');
    const intent = await request(server.url)
      .put(`/api/events/${eventId}/attendees/${ben.id}/intent`)
      .set('authorization', `Bearer ${device.token}`)
      .send(anIntent({ seeks: ['design'], offers: ['investment'], interests: ['Climate'], showOnScreen: true }));
    expect(intent.status).toBe(200);

    browser = await aBrowser();
    const opened = await aPage(browser, server, { viewport: { width: 1280, height: 800 } });
    contexts.push(opened.context);
    kiosk = opened.page;
    const code = await org.post(`/api/events/${eventId}/pairing-codes`, { kind: 'kiosk', name: 'Front door' });
    await kiosk.goto('/kiosk');
    await kiosk.getByLabel('Pairing code').fill((code.body as { code: string }).code);
    await kiosk.getByRole('button', { name: 'Pair this kiosk' }).click();
    await kiosk.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
  });

  afterAll(async () => {
    clearInterval(clockTicker);
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('offers the event’s languages by their own names, and every step fits 1280x800 in each, with nothing cut off', async () => {
    const switcher = kiosk.getByRole('group', { name: 'Language' });
    await expect(switcher.getByRole('button').allTextContents()).resolves.toEqual(['English', 'Deutsch', 'Français', 'Español', '日本語']);
    // Each name is marked with its language, so a screen reader says "Deutsch" in German.
    await expect(switcher.getByRole('button', { name: 'Deutsch' }).getAttribute('lang')).resolves.toBe('de');

    for (const code of languages) {
      const t = tr(code);
      await choose(code);
      await looksRight(`kiosk-${code}-1-scan`);

      await kiosk.getByRole('button', { name: t('kiosk.findByName'), exact: true }).click();
      await kiosk.getByRole('heading', { name: t('kiosk.findByName') }).waitFor();
      await looksRight(`kiosk-${code}-2-search`);
      // Back to scanning starts over: the kiosk speaks the event's default again.
      await kiosk.getByRole('button', { name: t('kiosk.search.back') }).click();
      await kiosk.getByRole('heading', { name: 'Scan your ticket' }).waitFor();

      await choose(code);
      await kiosk.getByRole('button', { name: t('kiosk.walkInOffer') }).first().click();
      await kiosk.getByRole('heading', { name: t('kiosk.walkIn.title') }).waitFor();
      await looksRight(`kiosk-${code}-3-walkin`);
      await kiosk.getByRole('button', { name: t('common.cancel') }).click();
      await kiosk.getByRole('heading', { name: 'Scan your ticket' }).waitFor();

      await choose(code);
      const guest = await aGuest(org, eventId, { name: `Mia Lang ${code.toUpperCase()}`, firstTime: true });
      await scanWithHandheld(ticketUrl(server.url, guest.secret));
      await kiosk.getByRole('heading', { name: t('kiosk.outcome.welcome', { named: 'yes', name: guest.name }) }).waitFor({ timeout: 5000 });
      await looksRight(`kiosk-${code}-4-welcome`);

      await kiosk.getByRole('button', { name: t('kiosk.result.addIntent') }).click();
      await kiosk.getByRole('heading', { name: t('kiosk.intent.title', { name: guest.name }) }).waitFor();
      await looksRight(`kiosk-${code}-5-intent-lists`);
      await kiosk.getByRole('button', { name: t('common.next'), exact: true }).click();
      await kiosk.getByRole('heading', { name: t('kiosk.intent.questionsTitle') }).waitFor();
      await looksRight(`kiosk-${code}-6-intent-questions`);
      await kiosk.getByRole('button', { name: t('intent.screenNo') }).click();
      await kiosk.getByRole('button', { name: t('common.save'), exact: true }).click();
      await kiosk.getByRole('heading', { name: t('kiosk.thanks.title') }).waitFor();
      await kiosk.waitForFunction(() => document.querySelector('[data-testid=kiosk-suggestions]')?.getAttribute('data-state') !== 'looking', undefined, { timeout: 10_000 });
      await looksRight(`kiosk-${code}-7-next`);
      await kiosk.getByRole('button', { name: t('common.done'), exact: true }).click();
      await kiosk.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
      expect(await kiosk.evaluate(() => document.documentElement.lang)).toBe('en');
    }
    // Seven steps in five languages, each checked by axe-core: longer than one walk through.
  }, 300_000);

  let ana: Awaited<ReturnType<typeof aGuest>>;

  it('keeps a guest’s Japanese from the kiosk to the suggestions and their phone', async () => {
    const t = tr('ja');
    ana = await aGuest(org, eventId, { name: 'Ana Sousa', email: 'ana.sousa@tidewater.example' });
    await choose('ja');
    await scanWithHandheld(ticketUrl(server.url, ana.secret));
    await kiosk.getByRole('heading', { name: t('kiosk.outcome.welcome', { named: 'yes', name: 'Ana Sousa' }) }).waitFor({ timeout: 5000 });
    await kiosk.getByRole('button', { name: t('kiosk.result.addIntent') }).click();
    // The event's own topics, in Japanese where the organiser gave them.
    await kiosk.getByRole('group', { name: new RegExp(t('intent.seeks')) }).getByRole('button', { name: '投資', exact: true }).click();
    await kiosk.getByRole('group', { name: new RegExp(t('intent.offers')) }).getByRole('button', { name: 'デザインします', exact: true }).click();
    await kiosk.getByRole('group', { name: new RegExp(t('intent.interests')) }).getByRole('button', { name: '気候', exact: true }).click();
    await kiosk.getByRole('button', { name: t('common.next'), exact: true }).click();
    await kiosk.getByRole('button', { name: t('intent.screenYes') }).click();
    await kiosk.getByRole('button', { name: t('common.save'), exact: true }).click();
    await kiosk.getByRole('heading', { name: t('kiosk.thanks.title') }).waitFor();

    // The suggestions, the why included, are in Japanese.
    const ben = kiosk.getByTestId('kiosk-suggestion').filter({ hasText: 'Ben Okafor' });
    await ben.waitFor({ timeout: 8000 });
    const why = ben.getByRole('list', { name: t('intent.why') });
    await expect.poll(() => why.textContent(), { timeout: 8000 }).toMatch(japanese);
    await expect(kiosk.getByRole('heading', { name: t('kiosk.suggestions.title') }).isVisible()).resolves.toBe(true);
    await screenshot(kiosk, 'kiosk-ja-ana-suggestions');
    // The staff corner below stays in the staff's language, the event's default.
    expect(await kiosk.locator('footer').getAttribute('lang')).toBe('en');
    await expect(kiosk.getByTestId('sync-queue').textContent()).resolves.toContain(tr('en')('kiosk.sync.allSynced'));
    // What the intent holds is the topics' ids and the organiser's labels, whatever language picked them.
    const saved = await org.get(`/api/events/${eventId}/attendees/${ana.id}/intent`);
    expect(saved.body).toMatchObject({ seeks: ['investment'], offers: ['design'], interests: ['Climate'] });

    // Her phone, opened from the kiosk's QR, starts in Japanese.
    const phoneUrl = await kiosk.getByTestId('phone-link-url').textContent();
    const { context, page: phone } = await aPage(browser, server, aPhoneScreen);
    contexts.push(context);
    await phone.goto(phoneUrl ?? '');
    await phone.getByRole('heading', { name: t('me.hello', { name: 'Ana Sousa' }) }).waitFor({ timeout: 8000 });
    expect(await phone.evaluate(() => document.documentElement.lang)).toBe('ja');
    const card = phone.getByTestId('suggestion').filter({ hasText: 'Ben Okafor' });
    await card.waitFor({ timeout: 8000 });
    await expect(card.getByRole('list', { name: t('intent.why') }).textContent()).resolves.toMatch(japanese);
    await expect(card.getByRole('button', { name: t('me.card.yes') }).isVisible()).resolves.toBe(true);
    await screenshot(phone, 'me-ja-phone-390x844');
    expect(await cutOff(phone)).toEqual([]);

    // The next guest finds the kiosk in the event's default language.
    await kiosk.getByRole('button', { name: t('common.done'), exact: true }).click();
    await kiosk.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
  });

  it('sends her ticket mail in the Japanese she chose at the kiosk', async () => {
    const queued = await org.post(`/api/events/${eventId}/invitations`, { attendeeIds: [ana.id] });
    expect(queued.status).toBe(202);
    const [mail] = await inbox.mailTo('ana.sousa@tidewater.example', 1, 15_000);
    expect(mail, 'a ticket mail to Ana').toBeDefined();
    expect(mail?.subject).toMatch(japanese);
    expect(mail?.text).toMatch(japanese);
  });

  it('lets a guest switch their own page to German on the phone, and keeps it', async () => {
    const t = tr('de');
    const carla = await aGuest(org, eventId, { name: 'Carla Reis', email: 'carla@example.org' });
    const { context, page: phone } = await aPage(browser, server, aPhoneScreen);
    contexts.push(context);
    await phone.goto(`/me?code=${await aSignInCode(server, carla.id)}`);
    // No choice of her own yet: the event's default.
    await phone.getByRole('heading', { name: 'Hi, Carla Reis' }).waitFor({ timeout: 20_000 });
    const saved = phone.waitForResponse((r) => r.url().endsWith('/api/me/language') && r.request().method() === 'PUT');
    await phone.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Deutsch' }).click();
    await phone.getByRole('heading', { name: t('me.hello', { name: 'Carla Reis' }) }).waitFor();
    expect((await saved).status()).toBe(200);
    await screenshot(phone, 'me-de-phone-390x844');
    expect(await cutOff(phone)).toEqual([]);
    // A reload reads her choice from the server.
    await phone.reload();
    await phone.getByRole('heading', { name: t('me.hello', { name: 'Carla Reis' }) }).waitFor({ timeout: 20_000 });
  });

  it('shows a ticket link in the browser’s language', async () => {
    const guest = await aGuest(org, eventId, { name: 'Kenji Ito' });
    const { context, page } = await aPage(browser, server, { ...aPhoneScreen, locale: 'ja-JP' });
    contexts.push(context);
    await page.goto(ticketUrl(server.url, guest.secret));
    await page.getByRole('heading', { name: tr('ja')('me.ticket.title') }).waitFor({ timeout: 8000 });
    await screenshot(page, 'ticket-ja-phone');
    expect(await cutOff(page)).toEqual([]);
  });
});
