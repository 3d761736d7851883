import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../fixtures/server';
import { aBrowser, aPage, anAppServer, axeViolations, browserAvailable, screenshot } from './harness';

describe.skipIf(!browserAvailable)('teams in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let owner: Page;
  let door: Page;
  let eventId = '';
  let inviteUrl = '';

  beforeAll(async () => {
    server = await anAppServer();
    browser = await aBrowser();
    ({ page: owner } = await aPage(browser, server));
    ({ page: door } = await aPage(browser, server));
    await owner.setViewportSize({ width: 1920, height: 1080 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lets the owner invite a door-staff colleague to one event and shows the link to pass on', async () => {
    await owner.goto(`/dashboard/setup?token=${server.setupToken}`);
    await owner.getByText('invite colleagues from the Team page').waitFor();
    await owner.getByLabel('Your name').fill('Olga Owner');
    await owner.getByLabel('Email').fill('olga@example.org');
    await owner.getByLabel('Password').fill('correct horse battery');
    await owner.getByRole('button', { name: 'Create account and log in' }).click();
    await owner.getByRole('heading', { name: 'No events yet' }).waitFor();
    const made = await owner.request.post('/api/events', {
      data: { name: 'Harbour Night', startsAt: '2026-11-25T17:00:00Z', endsAt: '2026-11-25T22:00:00Z', timeZone: 'Europe/Lisbon', status: 'open' },
      headers: { 'x-csrf-token': ((await (await owner.request.get('/api/auth/session')).json()) as { csrfToken: string }).csrfToken },
    });
    eventId = ((await made.json()) as { id: string }).id;

    await owner.getByRole('link', { name: 'Team' }).click();
    await owner.getByRole('heading', { name: 'Invite a colleague' }).waitFor();
    await owner.getByLabel('Their email').fill('dora@example.org');
    await owner.getByRole('radio', { name: /Door staff/ }).check();
    await owner.getByRole('checkbox', { name: 'Harbour Night' }).check();
    await owner.getByRole('button', { name: 'Create invitation link' }).click();
    const link = owner.getByLabel('Invitation link');
    await link.waitFor();
    inviteUrl = await link.inputValue();
    expect(inviteUrl).toMatch(/\/dashboard\/invite\?code=/);
    await owner.getByText('No mail server is set up, so nothing was sent').waitFor();
    await owner.getByText('dora@example.org').first().waitFor();
    await screenshot(owner, 'team-owner-1920');
    expect(await axeViolations(owner)).toEqual([]);

    await owner.setViewportSize({ width: 390, height: 844 });
    await screenshot(owner, 'team-owner-phone');
    await owner.setViewportSize({ width: 1920, height: 1080 });
  });

  it('lets the colleague accept the invitation with a name and password and log in', async () => {
    await door.goto(inviteUrl);
    await door.getByRole('heading', { name: 'Join the team' }).waitFor();
    await expect(door.getByLabel('Email').inputValue()).resolves.toBe('dora@example.org');
    await door.getByText('Olga Owner invites you').waitFor();
    expect(await axeViolations(door)).toEqual([]);
    await door.setViewportSize({ width: 390, height: 844 });
    await screenshot(door, 'team-invite-phone');
    await door.getByLabel('Your name').fill('Dora Door');
    await door.getByLabel('Password').fill('door staff password');
    await door.getByRole('button', { name: 'Create account and log in' }).click();
    await door.getByRole('link', { name: /Harbour Night/ }).waitFor();
    await door.setViewportSize({ width: 1920, height: 1080 });
    await expect(door.getByRole('link', { name: 'New event' }).count()).resolves.toBe(0);
    await expect(door.getByRole('link', { name: 'Team' }).count()).resolves.toBe(0);

    // The link works once.
    const again = await door.request.post('/api/auth/invitation', { data: { code: new URL(inviteUrl).searchParams.get('code') } });
    expect(again.status()).toBe(404);
  });

  it('shows door staff only what their role allows', async () => {
    await door.getByRole('link', { name: /Harbour Night/ }).click();
    const tabs = door.getByRole('navigation', { name: 'Event sections' });
    await tabs.getByRole('link', { name: 'Live' }).waitFor();
    const names = await tabs.getByRole('link').allTextContents();
    expect(names.map((n) => n.trim())).toEqual(['Live', 'Guests', 'Devices', 'Check-ins']);
    await screenshot(door, 'team-door-event');

    await door.goto(`/dashboard/events/${eventId}/exports`);
    await door.getByText('this part of the event is for its organisers').waitFor();
    const csv = await door.request.get(`/api/events/${eventId}/exports/attendees.csv`);
    expect(csv.status()).toBe(403);
    expect((await door.request.get(`/api/events/${eventId}/followups`)).status()).toBe(403);
    expect((await door.request.get('/api/team')).status()).toBe(403);

    await door.goto(`/dashboard/events/${eventId}/guests`);
    await door.getByRole('button', { name: 'Add attendee' }).waitFor();
    await expect(door.getByRole('link', { name: 'Print all badges' }).count()).resolves.toBe(0);
  });

  it('shows the owner the new member, and the audit log with its export', async () => {
    await owner.reload();
    await owner.locator('tr[data-member="dora@example.org"]').waitFor();
    await owner.locator('tr[data-member="dora@example.org"]').getByText('Harbour Night').waitFor();
    await owner.getByText('Joined the team as door staff').waitFor();
    await owner.getByText('Invited dora@example.org as door staff').waitFor();
    // The owner's own row says it is theirs, a word apart from the name.
    await expect(owner.locator('tr[data-member="olga@example.org"] .name').textContent()).resolves.toBe('Olga Owner (you)');
    const download = await owner.request.get('/api/audit.csv');
    expect(download.status()).toBe(200);
    await screenshot(owner, 'team-owner-after');
  });
});
