import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, GuestListEntry, PairResult, TicketInfo } from '@edgewise/shared';
import type { TestServer } from '../fixtures/server';
import { aBrowser, aPage, anAppServer, browserAvailable, screenshot } from './harness';

/** Form controls without a label, described well enough to find them. */
function unlabelledControls(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea'))
      .filter((el) => el.type !== 'hidden')
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label')?.trim() || el.getAttribute('aria-labelledby')))
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** Buttons and button-like links that a screen reader would announce with no name. */
function namelessButtons(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('button, a.btn, [role="button"]'))
      .filter((el) => !(el.getAttribute('aria-label')?.trim() || el.textContent?.trim() || el.getAttribute('title')?.trim()))
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

async function expectAccessibleControls(page: Page) {
  expect(await unlabelledControls(page)).toEqual([]);
  expect(await namelessButtons(page)).toEqual([]);
}

describe.skipIf(!browserAvailable)('the organiser dashboard in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let eventId = '';
  let kioskToken = '';

  const guestRow = (name: string) => page.locator(`tr[data-attendee="${name}"]`);
  const presenceOf = (name: string) => guestRow(name).locator('[data-presence]');
  const count = (stat: string) => page.locator(`[data-stat="${stat}"] dd`);
  /** The organiser's own API calls, with the browser's session cookie. */
  const api = <T>(path: string) => page.request.get(path).then(async (r) => (await r.json()) as T);

  async function openTab(name: string) {
    await page.getByRole('navigation', { name: 'Event sections' }).getByRole('link', { name }).click();
    await page.waitForURL(new RegExp(`/dashboard/events/${eventId}/`));
  }

  beforeAll(async () => {
    server = await anAppServer();
    browser = await aBrowser();
    ({ page } = await aPage(browser, server));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates the first organiser from the setup link and lands logged in on an empty events page', async () => {
    await page.goto(`/dashboard/setup?token=${server.setupToken}`);
    await page.getByRole('heading', { name: 'Set up Edgewise' }).waitFor();
    await expectAccessibleControls(page);

    await page.getByLabel('Your name').fill('Olga Organiser');
    await page.getByLabel('Email').fill('olga@example.org');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account and log in' }).click();
    await expect(page.getByText('must be at least 10 characters').isVisible()).resolves.toBe(true);

    await page.getByLabel('Password').fill('correct horse battery');
    await screenshot(page, 'dashboard-setup');
    await page.getByRole('button', { name: 'Create account and log in' }).click();
    await page.getByRole('heading', { name: 'No events yet' }).waitFor();
    await expect(page.getByText('Olga Organiser').isVisible()).resolves.toBe(true);

    // The session survives a reload: the page asks the server, not its memory.
    await page.reload();
    await page.getByRole('heading', { name: 'No events yet' }).waitFor();
  });

  it('creates an event whose times are read in the chosen time zone, not the browser one', async () => {
    await page.getByRole('link', { name: 'Create an event' }).click();
    await page.getByLabel('Event name').fill('Harbour Night');
    await page.getByLabel('Venue').fill('Pier 4');
    await page.getByLabel('Time zone').selectOption('America/New_York');
    await page.getByLabel('Starts').fill('2026-11-25T18:00');
    await page.getByLabel('Ends').fill('2026-11-25T22:30');
    await page.getByLabel('Status').selectOption('open');
    // The kind of event brings its topics, each side in its own words.
    await page.getByLabel('Kind of event').selectOption('tech-meetup');
    await page.getByText(/Topics at the kiosk: A job \/ I'm hiring/).waitFor();
    await expectAccessibleControls(page);
    await page.getByRole('button', { name: 'Create event' }).click();

    await page.waitForURL(/\/dashboard\/events\/[0-9a-f-]{36}$/);
    eventId = /events\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    await page.getByRole('heading', { name: /Harbour Night/ }).waitFor();
    const stored = await api<Event>(`/api/events/${eventId}`);
    // 18:00 in New York in November is 23:00 UTC.
    expect(stored.startsAt).toBe('2026-11-25T23:00:00.000Z');
    expect(stored.endsAt).toBe('2026-11-26T03:30:00.000Z');
    expect(stored.timeZone).toBe('America/New_York');
    // The page reads the times as the organiser typed them, the hour as English writes it.
    await expect(page.locator('.event-when').innerText()).resolves.toMatch(/2026, 6:00 PM – 10:30 PM/);
    // (with the template's labels in the other languages beside them)
    expect(stored.settings.topics).toContainEqual(expect.objectContaining({ id: 'jobs', seekLabel: 'A job', offerLabel: "I'm hiring" }));
    expect(stored.status).toBe('open');
  });

  it('adds an attendee by form and shows a taken email beside the email field', async () => {
    // An event opens on its Live tab; the guest list is one tab along.
    await openTab('Guests');
    await page.getByRole('button', { name: 'Add attendee' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Ana Sousa');
    await page.getByLabel('Email').fill('ana@example.org');
    await page.getByLabel('Company').fill('Tidewater');
    await page.getByLabel('Role').fill('Designer');
    await page.getByLabel('First time at this event').check();
    await page.getByRole('button', { name: 'Add attendee' }).click();
    await guestRow('Ana Sousa').waitFor();
    await expect(guestRow('Ana Sousa').innerText()).resolves.toContain('Tidewater');

    await page.getByLabel('Name', { exact: true }).fill('Ana Again');
    await page.getByLabel('Email').fill('ANA@example.org');
    await page.getByRole('button', { name: 'Add attendee' }).click();
    const emailError = page.locator('#add-attendee .field-error');
    await emailError.waitFor();
    await expect(emailError.innerText()).resolves.toContain('Ana Sousa already uses this email');
    // Screen readers read the problem with the field.
    await expect(page.getByLabel('Email').getAttribute('aria-describedby')).resolves.toContain(await emailError.getAttribute('id'));
    await expect(guestRow('Ana Again').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Close form' }).click();
  });

  it('imports the valid rows of a CSV with a broken row, then updates a guest from a re-import', async () => {
    await openTab('Import');
    const broken = [
      'name,email,company,role,first time,host,shoe size',
      'Bruno Lima,bruno@example.org,Kelp Labs,Engineer,yes,no,42',
      ',nameless@example.org,Nowhere,Ghost,no,no,40',
      'Carla Reis,carla@example.org,Tidewater,Founder,no,yes,38',
    ].join('\n');
    await page.setInputFiles('#import-file', { name: 'guests.csv', mimeType: 'text/csv', buffer: Buffer.from(broken, 'utf8') });
    await page.getByRole('heading', { name: 'Preview of guests.csv' }).waitFor();

    const errorRow = page.locator('tr[data-line="3"]');
    await expect(errorRow.innerText()).resolves.toMatch(/Error[\s\S]*Name[\s\S]*is required/);
    // Human labels, and each column says what it becomes.
    await expect(page.locator('li[data-column="4"]').innerText()).resolves.toContain('first time');
    await expect(page.locator('li[data-column="4"]').innerText()).resolves.toMatch(/first time\s+becomes/);
    await expect(page.locator('#column-4').inputValue()).resolves.toBe('firstTime');
    await expect(page.locator('li[data-column="6"]').innerText()).resolves.toMatch(/shoe size\s+is/);
    await expect(page.locator('#column-6').inputValue()).resolves.toBe('');
    await expectAccessibleControls(page);
    await screenshot(page, 'dashboard-import-errors');
    await page.getByRole('button', { name: 'Import the 2 valid rows, skip the 1 broken one' }).click();
    await page.getByRole('heading', { name: 'Import complete' }).waitFor();
    await expect(page.getByText('2 guests added, 1 broken row skipped.').isVisible()).resolves.toBe(true);

    const again = ['name;email;company;role', 'Bruno Lima;bruno@example.org;Kelp Labs;Staff Engineer'].join('\n');
    await page.setInputFiles('#import-file', { name: 'guests-again.csv', mimeType: 'text/csv', buffer: Buffer.from(again, 'utf8') });
    await page.getByRole('heading', { name: 'Preview of guests-again.csv' }).waitFor();
    await expect(page.getByText('separated by semicolons').isVisible()).resolves.toBe(true);
    await expect(page.locator('tr[data-line="2"]').innerText()).resolves.toMatch(/Will update[\s\S]*Changes Role/);
    await page.getByRole('button', { name: 'Update 1 guest' }).click();
    await page.getByRole('heading', { name: 'Import complete' }).waitFor();
    await expect(page.getByText('0 guests added, 1 updated.').isVisible()).resolves.toBe(true);

    await openTab('Guests');
    await guestRow('Bruno Lima').waitFor();
    await guestRow('Carla Reis').waitFor();
    await expect(page.locator('tr[data-attendee]').count()).resolves.toBe(3);
    await expect(count('registered').innerText()).resolves.toBe('3');
  });

  it("shows an attendee's ticket QR from the API in a dialog", async () => {
    await page.getByRole('button', { name: 'Ticket and QR for Carla Reis' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ticket: Carla Reis' });
    const qr = dialog.getByRole('img', { name: 'QR code of Carla Reis’s ticket' });
    await qr.waitFor();
    await page.waitForFunction(() => ((document.querySelector('dialog img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
    await expect(dialog.getByRole('link', { name: 'Print badge' }).getAttribute('href')).resolves.toContain(`/api/events/${eventId}/badges?attendeeId=`);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog.count()).resolves.toBe(0);
  });

  it('pairs a kiosk with the code shown on the page', async () => {
    await openTab('Devices');
    // The dashboard counts the code down with the browser's clock: the server's must agree.
    server.clock.set(Date.now());
    await page.getByLabel('Device name').fill('Door 1');
    await page.getByRole('button', { name: 'Pair a kiosk' }).click();
    const codeEl = page.getByTestId('pairing-code');
    await codeEl.waitFor();
    const code = (await codeEl.innerText()).trim();
    expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    await expect(page.getByText(`${server.url}/kiosk`).isVisible()).resolves.toBe(true);
    await expect(page.getByText(/Expires in (10:00|9:[45]\d)/).isVisible()).resolves.toBe(true);
    await screenshot(page, 'dashboard-pairing');

    const res = await fetch(`${server.url}/api/devices/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    expect(res.status).toBe(200);
    kioskToken = ((await res.json()) as PairResult).token;

    // The page notices the pairing by itself and lists the kiosk.
    await page.getByRole('button', { name: 'Unpair Door 1' }).waitFor({ timeout: 10_000 });
    await expect(codeEl.count()).resolves.toBe(0);
  });

  it("updates a guest's presence and the present count live when a kiosk checks them in, without a reload", async () => {
    await openTab('Guests');
    await guestRow('Bruno Lima').waitFor();
    await expect(presenceOf('Bruno Lima').innerText()).resolves.toBe('Not arrived');
    await expect(count('present').innerText()).resolves.toBe('0');
    await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor();
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    const guests = await api<GuestListEntry[]>(`/api/events/${eventId}/attendees`);
    const bruno = guests.find((g) => g.name === 'Bruno Lima');
    if (!bruno) throw new Error('Bruno is not on the guest list');
    const ticket = await api<TicketInfo>(`/api/events/${eventId}/attendees/${bruno.id}/ticket`);

    const scan = await fetch(`${server.url}/api/events/${eventId}/checkins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${kioskToken}` },
      body: JSON.stringify({ token: ticket.secret, nonce: `e2e-dashboard-${Date.now()}`, type: 'entry', scannedAt: new Date().toISOString() }),
    });
    expect(scan.status).toBe(201);

    await page.waitForFunction(() => document.querySelector('tr[data-attendee="Bruno Lima"] [data-presence]')?.textContent?.trim() === 'Present', null, {
      timeout: 10_000,
    });
    await page.waitForFunction(() => document.querySelector('[data-stat="present"] dd')?.textContent?.trim() === '1', null, { timeout: 10_000 });
    await expect(count('checkedIn').innerText()).resolves.toBe('1');
    await expect(page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).resolves.toBe(true);
    await expect(guestRow('Bruno Lima').innerText()).resolves.toMatch(/\d{2}:\d{2}/);
    await expectAccessibleControls(page);
    await screenshot(page, 'dashboard-guests-live');

    await openTab('Check-ins');
    const logRow = page.locator('tbody tr', { hasText: 'Bruno Lima' });
    await logRow.waitFor();
    await expect(logRow.innerText()).resolves.toMatch(/Door 1[\s\S]*Entry[\s\S]*Accepted/);
    // The result in words a screen reader reads apart: "Accepted first entry", not "Acceptedfirst entry".
    await expect(logRow.locator('td').last().textContent()).resolves.toMatch(/^\s*Accepted first entry\s*$/);
    await screenshot(page, 'dashboard-checkins');
  });

  it("edits the event: status, the kiosk's topics (added, split into two sides, removed) and matching settings", async () => {
    await openTab('Settings');
    await page.getByLabel('Topics', { exact: true }).fill('Climate tech');
    await page.getByLabel('Topics', { exact: true }).press('Enter');
    // Added with one label; an offering label splits it into two sides.
    await page.getByLabel('Offering, topic 11 (Climate tech)').fill('I work in climate tech');
    await page.getByLabel('Offering, topic 11 (Climate tech)').press('Tab');
    await page.getByRole('button', { name: 'Remove Speakers' }).click();
    await page.getByLabel('Suggestions per person').fill('5');
    await page.getByLabel('Walk-ins can register at the kiosk').check();
    await page.getByLabel('Status').selectOption('closed');
    await expectAccessibleControls(page);
    await screenshot(page, 'dashboard-settings');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Event saved.').waitFor();

    const stored = await api<Event>(`/api/events/${eventId}`);
    expect(stored.settings.topics).toContainEqual({ id: 'climate-tech', seekLabel: 'Climate tech', offerLabel: 'I work in climate tech' });
    expect(stored.settings.topics.map((t) => t.id)).not.toContain('speakers');
    expect(stored.settings.suggestionsPerPerson).toBe(5);
    expect(stored.settings.walkInsAllowed).toBe(true);
    expect(stored.status).toBe('closed');
    await expect(page.locator('h1 .pill').innerText()).resolves.toBe('Closed');
    // The times were not moved by being shown and saved again in the event's zone.
    expect(stored.startsAt).toBe('2026-11-25T23:00:00.000Z');
  });

  it('sends people back to the login page after logging out, and back in to where they were', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.goto(`/dashboard/events/${eventId}/devices`);
    await page.waitForURL(/\/dashboard\/login\?next=/);
    await page.getByLabel('Email').fill('olga@example.org');
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Log in' }).click();
    // The server's own message, shown as it said it.
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(new RegExp(`/dashboard/events/${eventId}/devices$`));
    await page.getByRole('button', { name: 'Unpair Door 1' }).waitFor();
  });
});
