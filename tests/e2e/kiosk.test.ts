import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckinLogEntry, CheckinOutcome, GuestListEntry, Intent } from '@edgewise/shared';
import { aGuest, anIntent, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { request, type TestServer } from '../fixtures/server';
import { aBrowser, aPage, anAppServer, artifacts, browserAvailable, screenshot, tonight, writeQrVideo } from './harness';

describe.skipIf(!browserAvailable)('the kiosk in a real browser', () => {
  let server: TestServer;
  let org: Organiser;
  let eventId: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const extraBrowsers: Browser[] = [];

  const ticketUrl = (secret: string) => `${server.url}/t/${secret}`;

  async function pairedKiosk(b: Browser) {
    const opened = await aPage(b, server);
    const code = await org.post(`/api/events/${eventId}/pairing-codes`, { kind: 'kiosk', name: 'Front door' });
    expect(code.status).toBe(201);
    await opened.page.goto('/kiosk');
    await opened.page.getByLabel('Pairing code').fill((code.body as { code: string }).code);
    await opened.page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await opened.page.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
    return opened;
  }

  /** What a handheld scanner does: types the QR text into whatever has the focus, then Enter. */
  async function scanWithHandheld(text: string) {
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'ticket-input');
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  async function backToScanning() {
    await page.getByRole('button', { name: 'Start over' }).click();
    await page.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
  }

  const checkinsOf = async (attendeeId: string) =>
    ((await org.get(`/api/events/${eventId}/checkins`)).body as CheckinLogEntry[]).filter((c) => c.attendeeId === attendeeId);
  const presenceOf = async (attendeeId: string) =>
    ((await org.get(`/api/events/${eventId}/attendees`)).body as GuestListEntry[]).find((a) => a.id === attendeeId)?.presence;

  beforeAll(async () => {
    // The kiosk stamps scans with the browser's clock: the server keeps to it, and the evening is tonight.
    server = await anAppServer('pglite', { realClock: true });
    org = await anOrganiser(server);
    eventId = await anOpenEvent(org, { name: 'Climate Tech Night', ...tonight(), settings: { walkInsAllowed: true } });
    browser = await aBrowser();
    ({ context, page } = await pairedKiosk(browser));
  });

  afterAll(async () => {
    for (const b of extraBrowsers) await b.close();
    await browser?.close();
    await server?.close();
  });

  it('pairs with a code and shows the event, ready to scan, with a labelled ticket field that has the focus', async () => {
    await expect(page.getByRole('heading', { level: 1, name: 'Climate Tech Night' }).isVisible()).resolves.toBe(true);
    const ticketField = page.getByLabel('Ticket code');
    await expect(ticketField.count()).resolves.toBe(1);
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'ticket-input');
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('edgewise.kiosk') ?? 'null') as { token?: string; event?: { id: string } } | null);
    expect(stored?.event?.id).toBe(eventId);
    expect(stored?.token).toBeTruthy();
    const nameButton = await page.getByRole('button', { name: 'Find me by name' }).boundingBox();
    expect(nameButton?.height).toBeGreaterThanOrEqual(56);
    await screenshot(page, 'kiosk-scan');
  });

  it('checks in a guest scanned by a handheld scanner, welcomes them by name, and saves their intent', async () => {
    const guest = await aGuest(org, eventId, { name: 'Ana Keyboard', firstTime: true });

    const scannedAt = Date.now();
    await scanWithHandheld(ticketUrl(guest.secret));
    const welcome = page.getByRole('heading', { name: 'Welcome, Ana Keyboard!' });
    // Shown within a second of the scan; the margin is for a busy CI machine.
    await welcome.waitFor({ timeout: 3000 });
    expect(Date.now() - scannedAt).toBeLessThan(3000);
    await expect(page.getByText('Welcome to your first Climate Tech Night!').isVisible()).resolves.toBe(true);

    const live = page.getByTestId('result');
    await expect(live.getAttribute('aria-live')).resolves.toBe('polite');
    await expect(live.getAttribute('role')).resolves.toBe('status');
    await expect(live.getByRole('heading', { name: 'Welcome, Ana Keyboard!' }).count()).resolves.toBe(1);
    const fontSize = await welcome.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(48);
    await expect(page.getByText(/Back to the start in \d+ s/).isVisible()).resolves.toBe(true);
    await screenshot(page, 'kiosk-welcome');

    await page.getByRole('button', { name: 'Tell people what you’re looking for' }).click();
    const seeks = page.getByRole('group', { name: /I’m looking for/ });
    await seeks.getByRole('button', { name: 'Investors' }).click();
    await page.getByRole('group', { name: /I can offer/ }).getByRole('button', { name: 'Design' }).click();
    await page.getByRole('group', { name: /I’m into/ }).getByRole('button', { name: 'Climate' }).click();
    await expect(seeks.getByRole('button', { name: 'Investors' }).getAttribute('aria-pressed')).resolves.toBe('true');
    // The kiosk's intent step has two pages, each fitting the screen: the lists, then the questions.
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByRole('heading', { name: 'A few quick questions' }).waitFor();
    await page.getByLabel(/Ask me about/).fill('Tidal energy');

    const save = page.getByRole('button', { name: 'Save', exact: true });
    // Being shown on the big screen is a consent: no default, no saving until it is answered.
    await expect(save.isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Yes, show me' }).click();
    await screenshot(page, 'kiosk-intent');
    await save.click();
    await page.getByRole('heading', { name: 'Thanks! You’re all set' }).waitFor();

    const intent = await org.get(`/api/events/${eventId}/attendees/${guest.id}/intent`);
    expect(intent.status).toBe(200);
    expect(intent.body as Intent).toMatchObject({
      seeks: ['investors'],
      offers: ['design'],
      interests: ['Climate'],
      askMeAbout: 'Tidal energy',
      showOnScreen: true,
    });
    // Then the person's suggestions and the phone QR; "Done" hands the kiosk to the next person.
    await page.getByRole('heading', { name: 'Continue on your phone' }).waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('heading', { name: 'Scan your ticket' }).waitFor({ timeout: 10_000 });
  });

  it('greets a second scan of the same ticket as already checked in', async () => {
    const guest = await aGuest(org, eventId, { name: 'Bea Twice' });
    await scanWithHandheld(ticketUrl(guest.secret));
    await page.getByRole('heading', { name: 'Welcome, Bea Twice!' }).waitFor({ timeout: 3000 });
    await backToScanning();
    // The same text within 3 seconds is a camera seeing a code twice, so wait that out first.
    await page.waitForTimeout(3100);
    await scanWithHandheld(ticketUrl(guest.secret));
    await page.getByRole('heading', { name: 'You’re already checked in, Bea Twice' }).waitFor({ timeout: 3000 });
    expect(await checkinsOf(guest.id)).toHaveLength(2);
    await backToScanning();
  });

  it('lets a guest who comes back and scans again see the answers they gave at another kiosk, and change them', async () => {
    const guest = await aGuest(org, eventId, { name: 'Cai Returning' });
    // In at the side door an hour ago, answers given there.
    const side = await aPairedDevice(server, org, eventId);
    const atSide = (method: 'post' | 'put', p: string) => request(server.url)[method](p).set('authorization', `Bearer ${side.token}`);
    const entry = await atSide('post', `/api/events/${eventId}/checkins`).send({ token: guest.secret, type: 'entry', nonce: aNonce(), scannedAt: new Date().toISOString() });
    expect((entry.body as CheckinOutcome).status).toBe('ok');
    expect((await atSide('put', `/api/events/${eventId}/attendees/${guest.id}/intent`).send(anIntent({ seeks: ['investors'], offers: ['design'], interests: [] }))).status).toBe(200);

    await scanWithHandheld(ticketUrl(guest.secret));
    await page.getByRole('heading', { name: 'You’re already checked in, Cai Returning' }).waitFor({ timeout: 3000 });
    await page.getByRole('button', { name: 'Update what you’re looking for' }).click();
    // Their answers are there to change.
    const seeks = page.getByRole('group', { name: /I’m looking for/ });
    await expect.poll(() => seeks.getByRole('button', { name: 'Investors' }).getAttribute('aria-pressed')).toBe('true');
    await seeks.getByRole('button', { name: 'Investors' }).click();
    await seeks.getByRole('button', { name: 'Advice' }).click();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByRole('button', { name: 'No, keep me off' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Thanks! You’re all set' }).waitFor();
    const intent = await org.get(`/api/events/${eventId}/attendees/${guest.id}/intent`);
    expect(intent.body as Intent).toMatchObject({ seeks: ['advice'], offers: ['design'], version: 2 });
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('heading', { name: 'Scan your ticket' }).waitFor({ timeout: 10_000 });
  });

  it('says a ticket it does not know is unknown, and a code that is no ticket at all is not one', async () => {
    await scanWithHandheld(ticketUrl('A'.repeat(43)));
    await page.getByRole('heading', { name: 'We don’t recognise this ticket' }).waitFor({ timeout: 3000 });
    await expect(page.getByRole('button', { name: 'Find me by name' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'kiosk-unknown');
    await backToScanning();

    // A keyboard user left the focus on a button: what the scanner types still lands in the ticket field.
    await page.getByRole('button', { name: 'Find me by name' }).focus();
    await page.keyboard.type('hello-world');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'That code is not an Edgewise ticket' }).waitFor({ timeout: 1000 });
    await backToScanning();
  });

  it('finds a guest by name and checks them in with a tap', async () => {
    const guest = await aGuest(org, eventId, { name: 'Zoltan Searchable', company: 'Tidewater' });
    await page.getByRole('button', { name: 'Find me by name' }).click();
    await page.getByLabel('Your name').fill('Zolt');
    await page.getByRole('button', { name: /Zoltan Searchable/ }).click();
    // An unattended kiosk: the guest confirms with the first letters of their email's domain (example.org).
    await page.getByRole('heading', { name: 'Is this you, Zoltan Searchable?' }).waitFor({ timeout: 3000 });
    await page.getByLabel('First three letters after the @').fill('xyz');
    await page.keyboard.press('Enter');
    await page.getByText("That doesn't match the email address we have for this name.", { exact: false }).waitFor({ timeout: 3000 });
    await page.getByLabel('First three letters after the @').fill('exa');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Welcome, Zoltan Searchable!' }).waitFor({ timeout: 3000 });
    const rows = await checkinsOf(guest.id);
    expect(rows.map((r) => [r.method, r.status])).toEqual([
      ['name_search', 'ok'],
      ['name_search', 'confirmation_failed'],
      ['name_search', 'confirmation_required'],
    ]);
    await backToScanning();
  });

  it('registers a walk-in who is not on the list and checks them in', async () => {
    await page.getByRole('button', { name: 'Not on the list? Register here' }).click();
    await page.getByRole('button', { name: 'Register and check in' }).click();
    await expect(page.getByText('Please type your name.').isVisible()).resolves.toBe(true);
    await page.getByLabel(/Your name/).fill('Wanda Walkin');
    await page.getByLabel(/Company/).fill('Harbour Labs');
    await page.getByRole('button', { name: 'Yes' }).click();
    await page.getByRole('button', { name: 'Register and check in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Wanda Walkin!' }).waitFor({ timeout: 5000 });
    const walkIn = ((await org.get(`/api/events/${eventId}/attendees`)).body as GuestListEntry[]).find((a) => a.name === 'Wanda Walkin');
    expect(walkIn).toMatchObject({ source: 'walk_in', company: 'Harbour Labs', firstTime: true, presence: 'present' });
    await backToScanning();
  });

  it('checks a ticket offline from its list, queues the scan, says so, and syncs it exactly once when the connection is back', async () => {
    // The new guest reaches the kiosk's check-in list (the guest list changed) before the outage.
    const listed = page.waitForResponse((r) => r.url().includes('/kiosk/checkin-list') && r.ok());
    const guest = await aGuest(org, eventId, { name: 'Olu Offline' });
    await listed;
    const queue = page.getByTestId('sync-queue');
    await expect(queue.getAttribute('data-count')).resolves.toBe('0');

    await context.setOffline(true);
    await scanWithHandheld(ticketUrl(guest.secret));
    await page.getByRole('heading', { name: 'Welcome, Olu!' }).waitFor({ timeout: 8000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=sync-queue]')?.getAttribute('data-count') === '1');
    await expect(queue.textContent()).resolves.toContain('1 scan waiting to sync');
    await expect(queue.getAttribute('role')).resolves.toBe('status');
    await expect(page.getByTestId('network').textContent()).resolves.toContain('Offline');
    await screenshot(page, 'kiosk-offline');
    expect(await checkinsOf(guest.id)).toHaveLength(0);

    await context.setOffline(false);
    await page.waitForFunction(() => document.querySelector('[data-testid=sync-queue]')?.getAttribute('data-count') === '0', undefined, {
      timeout: 15_000,
    });
    const rows = await checkinsOf(guest.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe('ok');
    expect(await presenceOf(guest.id)).toBe('present');
    // The queue is empty in IndexedDB too, so a reload does not send it again.
    await page.reload();
    await page.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
    await page.waitForTimeout(500);
    await expect(page.getByTestId('sync-queue').getAttribute('data-count')).resolves.toBe('0');
    expect(await checkinsOf(guest.id)).toHaveLength(1);
  });

  it('reads a QR code shown to the camera and checks the guest in', async () => {
    const guest = await aGuest(org, eventId, { name: 'Cam Eraholder' });
    const video = writeQrVideo(ticketUrl(guest.secret), path.join(artifacts, 'kiosk-camera-qr.y4m'));
    const cameraBrowser = await aBrowser({ fakeCamera: video });
    extraBrowsers.push(cameraBrowser);

    const { page: cameraKiosk } = await pairedKiosk(cameraBrowser);
    await cameraKiosk.getByRole('heading', { name: 'Welcome, Cam Eraholder!' }).waitFor({ timeout: 15_000 });
    await screenshot(cameraKiosk, 'kiosk-camera-welcome');

    expect(await presenceOf(guest.id)).toBe('present');
    const rows = await checkinsOf(guest.id);
    // The camera sees the code on every frame; it still counts as one scan.
    expect(rows).toHaveLength(1);
    expect(rows[0]?.method).toBe('qr_camera');
  });
});
