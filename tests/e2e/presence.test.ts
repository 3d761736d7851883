import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckinLogEntry, Device, Event, GuestListEntry } from '@edgewise/shared';
import { aGuest, anEvent, anOrganiser, type Organiser } from '../fixtures/builders';
import type { TestServer } from '../fixtures/server';
import { aBrowser, aContext, aPage, anAppServer, browserAvailable, screenshot, tonight } from './harness';

/**
 * Presence that goes down as well as up, driven from the real pages: the organiser opens
 * check-in from the event's header, checks a guest in and out from the guest list, a
 * kiosk paired for both directions checks someone out with its Out switch, and closing
 * the event checks everyone out.
 */
describe.skipIf(!browserAvailable)('presence from the dashboard and the kiosk, in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let org: Organiser;
  let eventId = '';
  let dashboard: Page;
  const contexts: BrowserContext[] = [];

  const guestList = async () => (await org.get(`/api/events/${eventId}/attendees`)).body as GuestListEntry[];
  const presenceOf = async (id: string) => (await guestList()).find((g) => g.id === id)?.presence;
  const statusOf = async () => ((await org.get(`/api/events/${eventId}`)).body as Event).status;
  const row = (name: string) => dashboard.getByRole('row').filter({ hasText: name });
  const waitPresence = (name: string, presence: string) =>
    row(name).locator(`[data-presence="${presence}"]`).waitFor({ timeout: 10_000 });

  beforeAll(async () => {
    server = await anAppServer('pglite', { realClock: true });
    org = await anOrganiser(server);
    const created = await org.post('/api/events', anEvent({ name: 'Harbour Doors Night', ...tonight(), status: 'draft' }));
    eventId = (created.body as Event).id;
    browser = await aBrowser();
    const opened = await aPage(browser, server, { viewport: { width: 1440, height: 900 } });
    contexts.push(opened.context);
    dashboard = opened.page;
    await dashboard.goto('/dashboard/login');
    await dashboard.getByLabel('Email').fill('org@example.org');
    await dashboard.getByLabel('Password').fill('correct horse battery');
    await dashboard.getByRole('button', { name: 'Log in' }).click();
    await dashboard.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('opens check-in with one button beside the event name', async () => {
    await dashboard.goto(`/dashboard/events/${eventId}`);
    await dashboard.getByRole('button', { name: 'Open check-in' }).click();
    await dashboard.getByRole('button', { name: 'Close the event…' }).waitFor();
    expect(await statusOf()).toBe('open');
  });

  it('checks a guest in and out from the guest list, recorded in the log with who did it', async () => {
    const ana = await aGuest(org, eventId, { name: 'Ana Sousa' });
    await dashboard.goto(`/dashboard/events/${eventId}/guests`);
    await row('Ana Sousa').getByRole('button', { name: 'Check in Ana Sousa' }).click();
    await waitPresence('Ana Sousa', 'present');
    expect(await presenceOf(ana.id)).toBe('present');
    await screenshot(dashboard, 'presence-guests-in');

    await row('Ana Sousa').getByRole('button', { name: 'Check out Ana Sousa' }).click();
    await waitPresence('Ana Sousa', 'left');
    expect(await presenceOf(ana.id)).toBe('left');

    const log = ((await org.get(`/api/events/${eventId}/checkins`)).body as CheckinLogEntry[]).filter((c) => c.attendeeId === ana.id);
    expect(log.map((c) => c.type).sort()).toEqual(['entry', 'exit']);
    expect(log.every((c) => c.method === 'organiser' && c.organiserName === 'Olga Organiser')).toBe(true);
  });

  it('pairs a kiosk for both directions, whose Out switch checks a guest out', async () => {
    const ben = await aGuest(org, eventId, { name: 'Ben Okafor' });
    const context = await aContext(browser, { baseURL: server.url, viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const kiosk = await context.newPage();
    const code = await org.post(`/api/events/${eventId}/pairing-codes`, { kind: 'kiosk', name: 'Side door' });
    await kiosk.goto('/kiosk');
    await kiosk.getByLabel('Pairing code').fill((code.body as { code: string }).code);
    await kiosk.getByRole('radio', { name: /Both/ }).check();
    await screenshot(kiosk, 'presence-kiosk-pairing');
    await kiosk.getByRole('button', { name: 'Pair this kiosk' }).click();
    await kiosk.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
    const devices = (await org.get(`/api/events/${eventId}/devices`)).body as Device[];
    expect(devices.find((d) => d.name === 'Side door')?.mode).toBe('both');

    /** A handheld scanner types into the ticket field, or is caught there from a focused button. */
    const scan = async () => {
      await kiosk.keyboard.type(`${server.url}/t/${ben.secret}`);
      await kiosk.keyboard.press('Enter');
    };
    const toggle = kiosk.getByRole('radiogroup', { name: 'What the next scan records' });
    await expect(toggle.getByRole('radio', { name: 'In' }).getAttribute('aria-checked')).resolves.toBe('true');
    await scan();
    await kiosk.getByRole('heading', { name: 'Welcome, Ben Okafor!' }).waitFor({ timeout: 5000 });
    expect(await presenceOf(ben.id)).toBe('present');
    await kiosk.getByRole('button', { name: 'Start over' }).click();

    await toggle.getByRole('radio', { name: 'Out' }).click();
    await screenshot(kiosk, 'presence-kiosk-out');
    await kiosk.waitForTimeout(3100); // the same code within 3 s counts as one scan
    await scan();
    await kiosk.getByRole('heading', { name: 'Goodbye, Ben Okafor!' }).waitFor({ timeout: 5000 });
    expect(await presenceOf(ben.id)).toBe('left');
  });

  it('closes the event after asking, and checks everyone out', async () => {
    const cleo = await aGuest(org, eventId, { name: 'Cleo Park' });
    await dashboard.goto(`/dashboard/events/${eventId}/guests`);
    await row('Cleo Park').getByRole('button', { name: 'Check in Cleo Park' }).click();
    await waitPresence('Cleo Park', 'present');

    await dashboard.getByRole('button', { name: 'Close the event…' }).click();
    const dialog = dashboard.getByRole('dialog', { name: 'Close Harbour Doors Night?' });
    await dialog.waitFor();
    await expect(dialog.getByText('Everyone still here is checked out').isVisible()).resolves.toBe(true);
    await screenshot(dashboard, 'presence-close-dialog');
    await dialog.getByRole('button', { name: 'Close the event' }).click();
    await dashboard.getByRole('button', { name: 'Reopen check-in' }).waitFor();
    expect(await statusOf()).toBe('closed');
    expect(await presenceOf(cleo.id)).toBe('left');
    await waitPresence('Cleo Park', 'left');
  });
});
