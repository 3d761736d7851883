import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mailer } from '../../api/src/deps';
import { smtpMailer } from '../../api/src/features/followup/mailer';
import { anOpenEvent, anOrganiser, type Organiser } from '../fixtures/builders';
import { startServer, type TestServer } from '../fixtures/server';
import { anSmtpServer, type SmtpServer } from '../fixtures/smtp';
import { aBrowser, aContext, browserAvailable, clientDist, screenshot } from './harness';

const GUESTS = 40;

describe.skipIf(!browserAvailable)('ticket mails in a real browser', () => {
  let smtp: SmtpServer;
  let server: TestServer;
  let browser: Browser;
  let org: Organiser;
  let eventId = '';

  beforeAll(async () => {
    smtp = await anSmtpServer();
    // Each message is held a little, so the run lasts long enough to watch.
    smtp.state.delayMs = 40;
    const mailer: Mailer = { kind: 'smtp', from: 'Edgewise <edgewise@edgewise.test>', send: (m) => smtpMailer(smtp.url, 'Edgewise <edgewise@edgewise.test>').send(m) };
    server = await startServer('pglite', { clientDist, mailer, invitations: { tickMs: 200 } });
    browser = await aBrowser();
    org = await anOrganiser(server);
    eventId = await anOpenEvent(org, { name: 'Harbour Night' });
    const csv = ['name,email', ...Array.from({ length: GUESTS }, (_, i) => `Guest ${String(i).padStart(2, '0')},guest-${i}@example.org`), 'Nomail Person,'].join('\n');
    const res = await org.agent.post(`/api/events/${eventId}/attendees/import`).set('x-csrf-token', org.csrf).set('content-type', 'text/csv').send(Buffer.from(csv));
    expect(res.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  it('sends everyone their ticket from the Invitations tab and shows the progress bar reach the end', async () => {
    const context = await aContext(browser, { baseURL: server.url, viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'ew_session', value: org.cookie.split('=')[1] ?? '', url: server.url }]);
    const page = await context.newPage();
    await page.goto(`/dashboard/events/${eventId}/invitations`);
    await page.getByRole('heading', { name: 'Ticket mails' }).waitFor();
    await expect.poll(() => page.locator('tr[data-invitation]').count()).toBe(GUESTS + 1);
    await expect(page.locator('tr', { hasText: 'Nomail Person' }).innerText()).resolves.toContain('No email address');

    await page.getByRole('button', { name: 'Send to everyone' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Send', exact: true }).click();
    const bar = page.getByRole('progressbar');
    await bar.waitFor();
    await expect(bar.getAttribute('max')).resolves.toBe(String(GUESTS));
    await page.getByText(/^Sending: \d+ of 40 handled$/).waitFor();
    await screenshot(page, 'invitations-sending');

    await page.getByText('Finished: 40 of 40 handled').waitFor({ timeout: 90_000 });
    await expect(bar.getAttribute('value')).resolves.toBe(String(GUESTS));
    await expect.poll(() => page.locator('tr[data-invitation] .st-sent').count(), { timeout: 10_000 }).toBe(GUESTS);
    expect(smtp.received).toHaveLength(GUESTS);
    await screenshot(page, 'invitations-done');

    // A guest's mail as it goes out, from the list.
    await page.getByRole('button', { name: 'Preview the mail to Guest 07' }).click();
    await page.getByRole('heading', { name: 'Mail to Guest 07' }).waitFor();
    await expect(page.locator('.mail-text').innerText()).resolves.toContain('Your ticket for Harbour Night');
    await context.close();
  }, 180_000);
});
