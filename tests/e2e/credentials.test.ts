import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketUrl } from '@edgewise/shared';
import { aGuest, anOpenEvent, anOrganiser } from '../fixtures/builders';
import { aRecordingMailer } from '../fixtures/credentials';
import { startServer, type TestServer } from '../fixtures/server';
import { aBrowser, aPage, aPhoneScreen, axeViolations, browserAvailable, clientDist, screenshot } from './harness';

/**
 * A badge's QR, scanned with somebody's phone: it shows the ticket and how to reach your own
 * page, never an account. The page's own way in is "Email me my link", followed to the end.
 */
describe.skipIf(!browserAvailable)('credentials on a phone, in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  const inbox = aRecordingMailer();

  beforeAll(async () => {
    server = await startServer('pglite', { clientDist, mailer: inbox.mailer });
    server.clock.set(Date.now());
    browser = await aBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const aPhonePage = () => aPage(browser, server, aPhoneScreen);

  it('shows a badge link as a ticket and the way to your own page, not an account', async () => {
    const org = await anOrganiser(server);
    const eventId = await anOpenEvent(org, { startsAt: new Date(Date.now() - 3600_000).toISOString(), endsAt: new Date(Date.now() + 4 * 3600_000).toISOString() });
    const guest = await aGuest(org, eventId, { name: 'Ana Sousa', email: 'ana.sousa@tidewater.example' });
    const { context, page } = await aPhonePage();
    const calls: string[] = [];
    page.on('request', (r) => calls.push(`${r.method()} ${new URL(r.url()).pathname}`));

    await page.goto(ticketUrl(server.url, guest.secret));
    await expect.poll(() => page.getByRole('heading', { name: 'Your ticket' }).isVisible()).toBe(true);
    expect(await page.getByText('This ticket does not open it').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Email me my link' }).isVisible()).toBe(true);
    // Nothing about the guest reached this phone, and no session was asked for.
    expect(calls.filter((c) => c.startsWith('POST /api/me/session') || c === 'GET /api/me')).toEqual([]);
    expect(await page.content()).not.toContain('Ana');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'credentials-badge-link-phone');

    // The guest asks for their link; the answer does not say whether the address is listed.
    await page.getByLabel('Your email address').fill('ana.sousa@tidewater.example');
    await page.getByRole('button', { name: 'Email me my link' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('is on the guest list, a link to your page is on its way');
    const [mail] = await inbox.mailTo('ana.sousa@tidewater.example');
    const link = /https?:\/\/\S+\/me\?code=[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0];
    expect(link).toBeDefined();

    // The mailed link opens her page, once.
    await page.goto(link ?? '');
    await expect.poll(() => page.getByText('Ana Sousa').first().isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'credentials-signed-in-phone');
    const again = await aPhonePage();
    await again.page.goto(link ?? '');
    await expect.poll(() => again.page.getByText('Ana Sousa').count()).toBe(0);
    await again.context.close();
    await context.close();
  });
});
