import type { Browser, Page } from 'playwright-core';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSocket, TestServer } from '../fixtures/server';
import { aBrowser, aPage, anAppServer, browserAvailable, screenshot } from './harness';

/**
 * An organiser watches the Live tab while a kiosk checks people in (through the API, as the
 * kiosk app does): the counts, the chart, supply and demand and the kiosk's own state move
 * on the open page, without a reload.
 */
describe.skipIf(!browserAvailable)('the live dashboard in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let csrf = '';
  let eventId = '';
  let kioskToken = '';
  const guests: { id: string; name: string; secret: string }[] = [];
  const sockets: ClientSocket[] = [];

  const count = (key: string) => page.locator(`[data-count="${key}"] dd`).first();
  const chart = () => page.locator('figure[data-steps]');
  /** Waits until an element's text (or attribute) reads as expected, as the page updates itself. */
  const waitText = (selector: string, text: string) =>
    page.waitForFunction(([sel, want]) => document.querySelector(sel!)?.textContent?.trim() === want, [selector, text], { timeout: 10_000 });
  const waitAttr = (selector: string, attr: string, value: string) =>
    page.waitForFunction(([sel, a, want]) => document.querySelector(sel!)?.getAttribute(a!) === want, [selector, attr, value], { timeout: 10_000 });

  async function api<T>(method: 'GET' | 'POST' | 'PUT', path: string, data?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : { 'x-csrf-token': csrf };
    const res = await page.request.fetch(path, { method, headers, ...(data === undefined ? {} : { data }) });
    if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  }
  let nonce = 0;
  /** The kiosk scans a ticket now, by the server's clock. */
  const scan = (guest: { secret: string }, type: 'entry' | 'exit') =>
    api('POST', `/api/events/${eventId}/checkins`, { token: guest.secret, type, nonce: `e2e-live-${Date.now()}-${++nonce}`, scannedAt: new Date(server.clock()).toISOString() }, kioskToken);

  beforeAll(async () => {
    server = await anAppServer();
    // The page reads "last seen" with the browser's clock: the server's starts at the same time.
    server.clock.set(Math.floor(Date.now() / 60_000) * 60_000);
    browser = await aBrowser();
    ({ page } = await aPage(browser, server));

    const setup = await page.request.post('/api/auth/setup', {
      data: { token: server.setupToken, email: 'olga@example.org', name: 'Olga Organiser', password: 'correct horse battery' },
    });
    expect(setup.ok()).toBe(true);
    csrf = ((await setup.json()) as { csrfToken: string }).csrfToken;
    const startsAt = new Date(server.clock() - 20 * 60_000).toISOString();
    const endsAt = new Date(server.clock() + 4 * 3600_000).toISOString();
    ({ id: eventId } = await api<{ id: string }>('POST', '/api/events', { name: 'Harbour Live', startsAt, endsAt, timeZone: 'America/New_York', status: 'open' }));
    for (const name of ['Ana Sousa', 'Ben Okafor', 'Carla Reis', 'Dan Lee']) {
      const g = await api<{ id: string; name: string }>('POST', `/api/events/${eventId}/attendees`, { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.org` });
      const ticket = await api<{ secret: string }>('GET', `/api/events/${eventId}/attendees/${g.id}/ticket`);
      guests.push({ id: g.id, name, secret: ticket.secret });
    }
    const code = await api<{ code: string }>('POST', `/api/events/${eventId}/pairing-codes`, { kind: 'kiosk', name: 'Door 1' });
    const paired = await page.request.post('/api/devices/pair', { data: { code: code.code } });
    kioskToken = ((await paired.json()) as { token: string }).token;
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await browser?.close();
    await server?.close();
  });

  it('opens an event on its Live tab, with the room empty and a clear, labelled layout', async () => {
    await page.goto(`/dashboard/events/${eventId}`);
    const nav = page.getByRole('navigation', { name: 'Event sections' });
    await expect(nav.getByRole('link').first().innerText()).resolves.toBe('Live');
    await expect(nav.getByRole('link', { name: 'Live' }).getAttribute('aria-current')).resolves.toBe('page');
    await page.getByRole('heading', { name: 'Arrivals over time' }).waitFor();
    await waitText('[data-count="registered"] dd', '4');
    await expect(count('presentNow').innerText()).resolves.toBe('0');
    await expect(page.getByRole('img', { name: 'Arrivals over time' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('tr[data-device="Door 1"] [data-online]').innerText()).resolves.toBe('Offline');
    await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor();
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  });

  it('moves the counts and both chart lines as the kiosk checks people in and out, without a reload', async () => {
    const [ana, ben, carla, dan] = guests;
    if (!ana || !ben || !carla || !dan) throw new Error('guests missing');
    const stepsBefore = Number(await chart().getAttribute('data-steps'));

    await scan(ana, 'entry');
    await waitText('[data-count="presentNow"] dd', '1');
    await waitAttr('figure[data-steps]', 'data-present', '1');
    await expect(count('checkedIn').innerText()).resolves.toBe('1');

    // Six minutes later two more arrive: the chart grows a step.
    server.clock.set(server.clock() + 6 * 60_000);
    await scan(ben, 'entry');
    await scan(carla, 'entry');
    await waitText('[data-count="presentNow"] dd', '3');
    await waitAttr('figure[data-steps]', 'data-checked-in', '3');
    expect(Number(await chart().getAttribute('data-steps'))).toBeGreaterThan(stepsBefore);

    // Ana leaves: present drops, checked in does not.
    server.clock.set(server.clock() + 60_000);
    await scan(ana, 'exit');
    await waitText('[data-count="presentNow"] dd', '2');
    await waitAttr('figure[data-steps]', 'data-present', '2');
    await expect(count('checkedIn').innerText()).resolves.toBe('3');
    const desc = await page.locator('figure svg desc').textContent();
    expect(desc).toContain('Now 3 checked in, 2 present.');
    // The two lines are drawn, and differ now that someone left.
    const checkedInLine = await page.locator('path[data-series="checkedIn"]').getAttribute('d');
    const presentLine = await page.locator('path[data-series="present"]').getAttribute('d');
    expect(checkedInLine).toMatch(/^M[\d.]+,[\d.]+( L[\d.]+,[\d.]+)+$/);
    expect(presentLine).not.toBe(checkedInLine);
    await expect(page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).resolves.toBe(true);
    await screenshot(page, 'dashboard-live-chart');
  });

  it('shows what the people present seek and offer, and calls out the gap', async () => {
    const [, ben, carla] = guests;
    if (!ben || !carla) throw new Error('guests missing');
    const intent = { interests: ['Climate'], askMeAbout: '', hostOptIn: false, showOnScreen: false };
    // Checked in a while ago: their answers come from the organiser (a kiosk acts only for the guest it just scanned).
    await api('PUT', `/api/events/${eventId}/attendees/${ben.id}/intent`, { ...intent, seeks: ['Investors'], offers: ['Design'] });
    await api('PUT', `/api/events/${eventId}/attendees/${carla.id}/intent`, { ...intent, seeks: ['Investors'], offers: ['Engineering'] });
    await waitText('tr[data-topic="investors"] [data-side="seek"]', '2');
    await expect(page.locator('tr[data-topic="design"] [data-side="offer"]').innerText()).resolves.toBe('1');
    // A topic's row names both sides.
    await expect(page.locator('tr[data-topic="investors"] th').innerText()).resolves.toMatch(/Investors \/ I invest/);

    const dan = guests[3]!;
    // A moment after the scans before (the server's clock stands still here): the kiosk answers for Dan, whom it just scanned.
    server.clock.advance(1000);
    await scan(dan, 'entry');
    await waitText('[data-count="presentNow"] dd', '3');
    await api('PUT', `/api/events/${eventId}/attendees/${dan.id}/intent`, { ...intent, seeks: ['Investors'], offers: ['Hiring'] }, kioskToken);
    await page.locator('[data-gap="investors"]').waitFor({ timeout: 10_000 });
    await expect(page.locator('[data-gap="investors"]').innerText()).resolves.toContain('3 look for investors, 0 say “I invest”');
  });

  it('catches up after its connection drops: what happened meanwhile shows once it is back', async () => {
    const context = page.context();
    await context.setOffline(true);
    await page.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor({ timeout: 15_000 });
    server.clock.set(server.clock() + 60_000);
    await scan(guests[1]!, 'exit');
    await context.setOffline(false);
    await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor({ timeout: 20_000 });
    await waitText('[data-count="presentNow"] dd', '2');
  });

  it("shows the kiosk online with its offline queue while it is connected, and offline when it goes", async () => {
    const kiosk: ClientSocket = connectSocket(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: kioskToken } });
    sockets.push(kiosk);
    await new Promise<void>((resolve, reject) => {
      kiosk.once('connect', () => resolve());
      kiosk.once('connect_error', reject);
    });
    const row = 'tr[data-device="Door 1"]';
    await waitText(`${row} [data-online]`, 'Online');
    const ack = await kiosk.timeout(5000).emitWithAck('device:status', { queueLength: 2 });
    expect(ack).toEqual({ ok: true, data: { queueLength: 2 } });
    await waitText(`${row} [data-queue]`, '2 waiting');
    await screenshot(page, 'dashboard-live-devices');

    kiosk.close();
    await waitText(`${row} [data-online]`, 'Offline');
    await expect(page.locator(`${row}`).innerText()).resolves.toMatch(/Just now|min ago/);
    // Words apart, for the eye and a screen reader: "Offline since 13:39".
    await expect(page.locator(`${row} td`).nth(1).textContent()).resolves.toMatch(/^\s*Offline since \S/);
    await expect(page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).resolves.toBe(true);
  });

  it("follows a real kiosk page: online once paired, its queue while uploads fail, the check-in once the queue drains", async () => {
    const g = await api<{ id: string }>('POST', `/api/events/${eventId}/attendees`, { name: 'Eve Queue', email: 'eve@example.org' });
    const { secret } = await api<{ secret: string }>('GET', `/api/events/${eventId}/attendees/${g.id}/ticket`);
    const code = await api<{ code: string }>('POST', `/api/events/${eventId}/pairing-codes`, { kind: 'kiosk', name: 'Door 2' });
    const { context: kioskContext, page: kiosk } = await aPage(browser, server);
    try {
      await kiosk.goto('/kiosk');
      await kiosk.getByLabel('Pairing code').fill(code.code);
      await kiosk.getByRole('button', { name: 'Pair this kiosk' }).click();
      await kiosk.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
      const row = 'tr[data-device="Door 2"]';
      await waitText(`${row} [data-online]`, 'Online');

      // The venue's network drops the uploads (the socket stays up): the scan waits on the kiosk.
      await kiosk.route('**/api/events/*/checkins', (route) => route.abort('internetdisconnected'));
      await kiosk.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'ticket-input');
      await kiosk.keyboard.type(`${server.url}/t/${secret}`);
      await kiosk.keyboard.press('Enter');
      await kiosk.getByTestId('sync-queue').filter({ hasText: '1 scan waiting to sync' }).waitFor({ timeout: 10_000 });
      await waitText(`${row} [data-queue]`, '1 waiting');
      await expect(count('presentNow').innerText()).resolves.toBe('2');
      await screenshot(page, 'dashboard-live-queue');

      await kiosk.unroute('**/api/events/*/checkins');
      await waitText('[data-count="presentNow"] dd', '3');
      await waitText(`${row} [data-queue]`, '0');
    } finally {
      await kioskContext.close();
    }
    await waitText('tr[data-device="Door 2"] [data-online]', 'Offline');
  });
});
