import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactCards, notes, suggestions } from '@edgewise/db';
import { aGuest, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { request, type TestServer } from '../fixtures/server';
import { aBrowser, aContext, anAppServer, browserAvailable, screenshot } from './harness';
import { aSignedInToken } from '../fixtures/credentials';

describe.skipIf(!browserAvailable)('the follow-up and data rights in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let org: Organiser;
  let eventId = '';
  let ana: Awaited<ReturnType<typeof aGuest>>;

  beforeAll(async () => {
    server = await anAppServer();
    browser = await aBrowser();
    org = await anOrganiser(server);
    eventId = await anOpenEvent(org, { slug: 'follow-up-night' });
    const kiosk = await aPairedDevice(server, org, eventId);
    ana = await aGuest(org, eventId, { name: 'Ana Sousa', email: 'ana@example.org' });
    const ben = await aGuest(org, eventId, { name: 'Ben Okafor', email: 'ben@example.org' });
    for (const g of [ana, ben]) {
      await request(server.url)
        .post(`/api/events/${eventId}/checkins`)
        .set('authorization', `Bearer ${kiosk.token}`)
        .send({ token: g.secret, type: 'entry', nonce: aNonce(), scannedAt: new Date(server.clock()).toISOString() });
    }
    await org.patch(`/api/events/${eventId}`, { status: 'closed' });
    await server.matching.settled();
    const db = server.database.db;
    await db.delete(suggestions).where(sql`${suggestions.eventId} = ${eventId}`);
    await db.insert(suggestions).values([
      { eventId, attendeeId: ana.id, targetId: ben.id, score: 1, reasons: [], state: 'met', answer: 'yes' },
      { eventId, attendeeId: ben.id, targetId: ana.id, score: 1, reasons: [], state: 'met', answer: 'yes' },
    ]);
    await db.insert(notes).values({ attendeeId: ana.id, aboutId: ben.id, text: 'Seed round <b>Q3</b>' });
    await db.insert(contactCards).values({ attendeeId: ben.id, shareEmail: true, phone: '+351 912 345 678', link: '' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the organiser each follow-up, says no mail is sent without SMTP, and previews the mail', async () => {
    const context = await aContext(browser, { baseURL: server.url, viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'ew_session', value: org.cookie.split('=')[1] ?? '', url: server.url }]);
    const page = await context.newPage();
    await page.goto(`/dashboard/events/${eventId}/followup`);
    await expect.poll(() => page.getByTestId('followup-row').count()).toBe(2);
    await page.getByText('No mail is sent from this server').waitFor();
    // Nor does the page promise a time they will go out.
    await expect(page.getByText('go out automatically').count()).resolves.toBe(0);
    expect(await page.getByRole('button', { name: 'Send now' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Preview Ana Sousa’s follow-up' }).click();
    const mail = page.frameLocator('iframe[title="Follow-up mail to Ana Sousa"]');
    await mail.getByText('Ben Okafor').first().waitFor();
    // The note is text, never markup.
    await mail.getByText('Seed round <b>Q3</b>').waitFor();
    await screenshot(page, 'followup-dashboard');

    // The Invitations tab says the same in one sentence, its words apart.
    await page.getByRole('navigation', { name: 'Event sections' }).getByRole('link', { name: 'Invitations' }).click();
    await expect(page.getByText('No mail server is set up').locator('..').innerText()).resolves.toContain('No mail server is set up (the server has no SMTP_URL), so ticket mails cannot be sent');

    await page.getByRole('navigation', { name: 'Event sections' }).getByRole('link', { name: 'Exports' }).click();
    expect(await page.getByRole('link', { name: 'Attendees (CSV)' }).getAttribute('href')).toBe(`/api/events/${eventId}/exports/attendees.csv`);
    await context.close();
  });

  it("gives the attendee their digest with the contact's card, and deletes them on request", async () => {
    const token = await aSignedInToken(server, ana.id);
    const phone = await aContext(browser, { baseURL: server.url, viewport: { width: 390, height: 844 }, acceptDownloads: true });
    await phone.addInitScript((t) => localStorage.setItem('edgewise.me', t), token);
    const page = await phone.newPage();
    await page.goto('/me');
    await page.getByRole('heading', { name: 'Your follow-up' }).waitFor();
    const save = page.getByRole('button', { name: 'Save Ben Okafor’s card (vCard)' });
    const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
    expect(download.suggestedFilename()).toBe('Ben-Okafor.vcf');
    await screenshot(page, 'followup-me');

    await page.getByRole('button', { name: 'Delete my data…' }).click();
    await page.getByLabel('Type “delete my data” to confirm').fill('delete my data');
    await page.getByRole('button', { name: 'Delete for good' }).click();
    await page.getByRole('heading', { name: 'Your data is deleted' }).waitFor();
    expect((await request(server.url).get('/api/me').set('authorization', `Bearer ${token}`)).status).toBe(401);
    const guests = (await org.get(`/api/events/${eventId}/attendees`)).body as { name: string }[];
    expect(guests.map((g) => g.name)).toEqual(['Ben Okafor']);
    await phone.close();
  });
});
