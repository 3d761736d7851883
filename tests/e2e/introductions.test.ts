import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckinOutcome, IntentBody } from '@edgewise/shared';
import { aSignInCode } from '../fixtures/credentials';
import type { TestServer } from '../fixtures/server';
import { aBrowser, aPage, aPhoneScreen, anAppServer, browserAvailable, screenshot, tonight } from './harness';

/**
 * An organiser opens the Edges tab, sees a first-timer standing alone, introduces her to
 * someone from her best candidates, and her phone (her own page, opened from the sign-in
 * link she was mailed) shows the introduction at once, without a reload.
 */
describe.skipIf(!browserAvailable)('introductions from the Edges tab to a phone, in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let dashboard: Page;
  let phone: Page;
  const contexts: BrowserContext[] = [];
  let csrf = '';
  let eventId = '';
  let kioskToken = '';
  const guests: Record<string, { id: string; secret: string }> = {};
  const message = 'Ben funds climate design studios: say hello by the bar.';

  async function api<T>(method: 'GET' | 'POST' | 'PUT', path: string, data?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : { 'x-csrf-token': csrf };
    const res = await dashboard.request.fetch(path, { method, headers, ...(data === undefined ? {} : { data }) });
    if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Registered, then checked in at the kiosk with an intent, as people arrive. */
  async function arrives(name: string, fields: { firstTime?: boolean; host?: boolean; company: string; role: string }, intent: Partial<IntentBody>) {
    const g = await api<{ id: string }>('POST', `/api/events/${eventId}/attendees`, { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.org`, ...fields });
    const { secret } = await api<{ secret: string }>('GET', `/api/events/${eventId}/attendees/${g.id}/ticket`);
    const scan = await api<CheckinOutcome>('POST', `/api/events/${eventId}/checkins`, { token: secret, type: 'entry', nonce: `e2e-intro-${name.replace(/\W/g, '')}-${Date.now()}`, scannedAt: new Date().toISOString() }, kioskToken);
    expect(scan.status).toBe('ok');
    await api('PUT', `/api/events/${eventId}/attendees/${g.id}/intent`, { seeks: [], offers: [], interests: [], askMeAbout: '', hostOptIn: false, showOnScreen: false, ...intent }, kioskToken);
    guests[name] = { id: g.id, secret };
  }

  beforeAll(async () => {
    // The browser shows waiting times by its own clock: the server keeps to it.
    server = await anAppServer('pglite', { realClock: true });
    browser = await aBrowser();
    const opened = await aPage(browser, server);
    contexts.push(opened.context);
    dashboard = opened.page;

    const setup = await dashboard.request.post('/api/auth/setup', {
      data: { token: server.setupToken, email: 'olga@example.org', name: 'Olga Organiser', password: 'correct horse battery' },
    });
    expect(setup.ok()).toBe(true);
    csrf = ((await setup.json()) as { csrfToken: string }).csrfToken;
    ({ id: eventId } = await api<{ id: string }>('POST', '/api/events', {
      name: 'Harbour Night',
      ...tonight(),
      timeZone: 'Europe/Lisbon',
      status: 'open',
    }));
    const code = await api<{ code: string }>('POST', `/api/events/${eventId}/pairing-codes`, { kind: 'kiosk', name: 'Door 1' });
    const paired = await dashboard.request.post('/api/devices/pair', { data: { code: code.code } });
    kioskToken = ((await paired.json()) as { token: string }).token;

    await arrives('Ana Sousa', { firstTime: true, company: 'Tidewater', role: 'Designer' }, { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'], askMeAbout: 'Tidal energy' });
    await arrives('Ben Okafor', { company: 'Greenfield Ventures', role: 'Partner' }, { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] });
    await arrives('Carla Reis', { firstTime: true, company: 'Portside', role: 'Engineer' }, { seeks: ['Hiring'], offers: ['Engineering'], interests: ['Climate'] });
    await arrives('Hana Ito', { host: true, company: 'Harbour Hub', role: 'Community lead' }, { seeks: ['Engineering'], offers: ['Mentoring'], interests: ['Climate'] });
    await server.matching.settled();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it("opens Ana's own page on her phone from the sign-in link she was mailed", async () => {
    const opened = await aPage(browser, server, aPhoneScreen);
    contexts.push(opened.context);
    phone = opened.page;
    await phone.goto(`/me?code=${await aSignInCode(server, guests['Ana Sousa']!.id)}`);
    await phone.getByRole('heading', { name: 'Hi, Ana Sousa' }).waitFor({ timeout: 8000 });
    await phone.waitForFunction(() => document.querySelector('[data-testid=connection]')?.getAttribute('data-state') === 'online');
    // Marks this document: a reload would lose it.
    await phone.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await expect(phone.getByTestId('introduction').count()).resolves.toBe(0);
  });

  it('shows the organiser who stands alone on the Edges tab, with whom to introduce them', async () => {
    await dashboard.goto(`/dashboard/events/${eventId}/edges`);
    const nav = dashboard.getByRole('navigation', { name: 'Event sections' });
    await expect(nav.getByRole('link', { name: 'Edges' }).getAttribute('aria-current')).resolves.toBe('page');
    const ana = dashboard.getByTestId('edge-person').filter({ has: dashboard.getByRole('heading', { name: 'Ana Sousa' }) });
    await ana.waitFor({ timeout: 8000 });
    // Ana and Carla are new, Ana came first; Ben and Hana just arrived and are not alone yet.
    await expect(dashboard.getByTestId('edge-person').count()).resolves.toBe(2);
    await expect(dashboard.getByTestId('edge-person').first().getAttribute('aria-label')).resolves.toBe('Ana Sousa');
    await expect(ana.getByText('First time').isVisible()).resolves.toBe(true);
    await expect(ana.textContent()).resolves.toMatch(/Looking for\s*Investors/);
    await expect(ana.textContent()).resolves.toContain('Ben says “I invest”: Ana is looking for investors');
    await expect(dashboard.getByTestId('edges-total').textContent()).resolves.toBe('2');
    // One sentence, its words apart: "2 of 4 here", not "2of 4 here".
    await expect(dashboard.getByRole('heading', { level: 2, name: 'At the edges now: 2 of 4 here' }).isVisible()).resolves.toBe(true);
    // The button says what one sees on it ("Introduce to…") and whom it is for.
    await expect(ana.getByRole('button', { name: 'Introduce Ana Sousa to…' }).textContent()).resolves.toContain('Introduce to…');
    await screenshot(dashboard, 'introductions-edges');
  });

  it("introduces Ana to Ben from the list, and Ana's phone shows it without a reload", async () => {
    await dashboard.getByRole('button', { name: 'Introduce Ana Sousa to…' }).click();
    const dialog = dashboard.getByRole('dialog', { name: 'Introduce Ana Sousa to…' });
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: /Ben Okafor/ }).check();
    await dialog.getByLabel('Message (optional)').fill(message);
    await expect(dialog.getByTestId('introduce-summary').textContent()).resolves.toContain('Ana Sousa and Ben Okafor become a match');
    await screenshot(dashboard, 'introductions-dialog');
    await dialog.getByRole('button', { name: 'Introduce to Ben Okafor' }).click();
    await dialog.waitFor({ state: 'detached' });
    await dashboard.getByText('Ana Sousa and Ben Okafor are introduced').waitFor();
    const made = dashboard.getByTestId('introduction-made').filter({ hasText: message });
    await made.waitFor({ timeout: 8000 });
    // The time stands apart from the names, however long it is written ("01:38 PM").
    const timeBox = await made.locator('.made-time').boundingBox();
    const nameBox = await made.getByText('Ana Sousa', { exact: true }).boundingBox();
    expect((nameBox?.x ?? 0) - ((timeBox?.x ?? 0) + (timeBox?.width ?? 0))).toBeGreaterThanOrEqual(6);

    const card = phone.locator('#meet').getByRole('article', { name: 'Ben Okafor' });
    const intro = card.getByTestId('introduction');
    await intro.waitFor({ timeout: 8000 });
    await expect(intro.textContent()).resolves.toContain('Olga Organiser, an organiser, introduced you');
    await expect(intro.textContent()).resolves.toContain(message);
    await expect(card.getAttribute('data-state')).resolves.toBe('mutual');
    // Introduced, not yet consenting: contact details wait for both people's own yes.
    await expect(card.getByRole('heading', { name: 'How to reach Ben' }).count()).resolves.toBe(0);
    await card.getByRole('button', { name: 'Share my contact details' }).click();
    await card.getByText('You said yes: Ben’s contact details show here as soon as they say yes too.').waitFor();
    // The introduced card comes first, and it is the same page as before.
    await expect(phone.locator('#meet').getByRole('article').first().getAttribute('aria-label')).resolves.toBe('Ben Okafor');
    await expect(phone.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).resolves.toBe(true);
    await phone.evaluate(() => window.scrollTo(0, 0));
    await screenshot(phone, 'introductions-phone');
  });

  it("lets a host introduce two people from her own phone (opened from her mailed sign-in link), and Ana's phone shows that one too", async () => {
    const { context, page: host } = await aPage(browser, server, aPhoneScreen);
    contexts.push(context);
    await host.goto(`/me?code=${await aSignInCode(server, guests['Hana Ito']!.id)}`);
    await host.getByRole('heading', { name: 'Introduce people' }).waitFor({ timeout: 8000 });
    const alone = host.getByTestId('host-edge-person');
    await alone.filter({ hasText: 'Carla Reis' }).waitFor();
    await expect(host.getByRole('list', { name: 'People at the edges' }).textContent()).resolves.not.toMatch(/@/);
    // Ranked by what they look for, not by where they stand: the page promises no "near you".
    await expect(host.getByText('These people are standing alone right now: say hello, or introduce them to someone.').isVisible()).resolves.toBe(true);

    await alone.filter({ hasText: 'Ana Sousa' }).getByRole('button', { name: 'Introduce' }).click();
    await expect(host.getByRole('combobox', { name: 'Introduce' }).inputValue()).resolves.toBe(guests['Ana Sousa']!.id);
    await host.getByRole('combobox', { name: 'to' }).selectOption({ label: 'Carla Reis (at the edges)' });
    await host.getByLabel('Why they should talk (optional)').fill('Both new, both into climate');
    await host.getByRole('button', { name: 'Introduce Ana and Carla' }).click();
    await host.getByRole('status').filter({ hasText: 'Done: Ana and Carla can see your introduction on their phones.' }).waitFor();

    const card = phone.locator('#meet').getByRole('article', { name: 'Carla Reis' });
    await card.getByTestId('introduction').filter({ hasText: 'Hana Ito, a host, introduced you' }).waitFor({ timeout: 8000 });
    await expect(card.getByTestId('introduction').textContent()).resolves.toContain('Both new, both into climate');
    await expect(phone.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).resolves.toBe(true);
    await screenshot(host, 'introductions-host-phone');
  });
});
