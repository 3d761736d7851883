import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckinOutcome, IntentBody } from '@edgewise/shared';
import { aGuest, anIntent, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aSignInCode } from '../fixtures/credentials';
import { request, type TestServer } from '../fixtures/server';
import { aBrowser, aPage, aPhoneScreen, anAppServer, browserAvailable, screenshot, tonight } from './harness';

/**
 * Two phones say yes to each other: each sees what the other chose to share, and the one who
 * got nothing asks; the other shares with one tap. The big screen shows the pair only once
 * both said yes, and only what its consent question names.
 */
describe.skipIf(!browserAvailable)('contacts that reach both people, in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let org: Organiser;
  let eventId = '';
  let ana: Awaited<ReturnType<typeof aGuest>>;
  let ben: Awaited<ReturnType<typeof aGuest>>;
  let anaPhone: Page;
  let benPhone: Page;
  let screen: Page;
  let anaLink = '';
  const contexts: BrowserContext[] = [];

  const cardOf = (page: Page, name: string) => page.locator('#meet').getByRole('article', { name });

  async function opened(options = aPhoneScreen) {
    const { context, page } = await aPage(browser, server, options);
    contexts.push(context);
    return page;
  }

  beforeAll(async () => {
    server = await anAppServer('pglite', { realClock: true });
    org = await anOrganiser(server);
    eventId = await anOpenEvent(org, { name: 'Harbour Founders Night', ...tonight() });
    ana = await aGuest(org, eventId, { name: 'Ana Sousa', company: 'Tidewater', email: 'ana@tidewater.example' });
    ben = await aGuest(org, eventId, { name: 'Ben Okafor', company: 'Greenfield Ventures', email: 'ben@greenfield.example' });
    const kiosk = await aPairedDevice(server, org, eventId);
    const asKiosk = (method: 'post' | 'put', path: string) => request(server.url)[method](path).set('authorization', `Bearer ${kiosk.token}`);
    const people: [typeof ana, Partial<IntentBody>][] = [
      [ana, { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'], showOnScreen: true }],
      [ben, { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'], showOnScreen: true }],
    ];
    for (const [guest, intent] of people) {
      const checkin = await asKiosk('post', `/api/events/${eventId}/checkins`).send({ token: guest.secret, nonce: aNonce(), type: 'entry', scannedAt: new Date().toISOString() });
      expect((checkin.body as CheckinOutcome).status).toBe('ok');
      expect((await asKiosk('put', `/api/events/${eventId}/attendees/${guest.id}/intent`).send(anIntent(intent))).status).toBe(200);
    }
    browser = await aBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('asks on the phone, once and with nothing ticked, what to share when both say yes, and says it on the yes button', async () => {
    anaLink = `${server.url}/me?code=${await aSignInCode(server, ana.id)}`;
    anaPhone = await opened();
    await anaPhone.goto(anaLink);
    await cardOf(anaPhone, 'Ben Okafor').waitFor({ timeout: 10_000 });
    // Nothing chosen yet: the yes button says so.
    await expect(cardOf(anaPhone, 'Ben Okafor').getByRole('button', { name: /I’d like to meet/ }).textContent()).resolves.toContain('you share nothing yet');

    await anaPhone.getByRole('button', { name: 'Edit what I’m looking for' }).click();
    const share = anaPhone.getByRole('group', { name: 'When you both say yes, share' });
    for (const option of ['My email', 'My phone', 'A link']) {
      await expect(share.getByRole('button', { name: new RegExp(option) }).getAttribute('aria-pressed')).resolves.toBe('false');
    }
    await share.getByRole('button', { name: /My email/ }).click();
    await share.getByRole('button', { name: 'My phone' }).click();
    await share.getByLabel('Phone number').fill('+351 912 345 678');
    await screenshot(anaPhone, 'contacts-me-share-question');
    await anaPhone.getByRole('button', { name: 'Save', exact: true }).click();
    await anaPhone.getByText('Saved. Your suggestions update by themselves.').waitFor();
    await expect(anaPhone.locator('#my-intent').textContent()).resolves.toContain('My email and my phone');
    await expect(cardOf(anaPhone, 'Ben Okafor').getByRole('button', { name: /I’d like to meet/ }).textContent()).resolves.toContain('and share my email and my phone');
  });

  it('opens the same phone link again on the phone that used it, instead of saying it was used', async () => {
    await anaPhone.goto(anaLink);
    await cardOf(anaPhone, 'Ben Okafor').waitFor({ timeout: 10_000 });
    await expect(anaPhone.getByText(/already been used/).count()).resolves.toBe(0);
  });

  it('shows the pair on the big screen only once both said yes, and only first names and what they look for', async () => {
    screen = await opened({ viewport: { width: 1920, height: 1080 } });
    const code = await org.post(`/api/events/${eventId}/pairing-codes`, { kind: 'screen', name: 'Main hall' });
    await screen.goto('/screen');
    await screen.getByLabel('Pairing code').fill((code.body as { code: string }).code);
    await screen.getByRole('button', { name: 'Pair this screen' }).click();
    await screen.getByTestId('screen-welcome').filter({ hasText: 'Welcome, Ana!' }).waitFor({ timeout: 8000 });

    // Ana says yes: one yes is no pair, on the screen or anywhere.
    await cardOf(anaPhone, 'Ben Okafor').getByRole('button', { name: /I’d like to meet/ }).click();
    await cardOf(anaPhone, 'Ben Okafor').getByText(/as soon as they say yes too/).waitFor({ timeout: 5000 });
    await screen.waitForTimeout(1500);
    await expect(screen.getByTestId('screen-card').count()).resolves.toBe(0);

    benPhone = await opened();
    await benPhone.goto(`/me?code=${await aSignInCode(server, ben.id)}`);
    const anaOnBen = cardOf(benPhone, 'Ana Sousa');
    await anaOnBen.getByText('Ana would like to meet you').waitFor({ timeout: 8000 });
    await expect(anaOnBen.getByRole('button', { name: /I’d like to meet/ }).textContent()).resolves.toContain('you share nothing yet');
    await anaOnBen.getByRole('button', { name: /I’d like to meet/ }).click();

    // Ben sees what Ana chose to share.
    const reachAna = anaOnBen.getByRole('list', { name: 'How to reach Ana Sousa' });
    await reachAna.waitFor({ timeout: 5000 });
    await expect(reachAna.getByRole('link', { name: /ana@tidewater\.example/ }).getAttribute('href')).resolves.toBe('mailto:ana@tidewater.example');
    await expect(reachAna.getByRole('link', { name: /912 345 678/ }).getAttribute('href')).resolves.toBe('tel:+351912345678');

    const pair = screen.getByTestId('screen-card').filter({ hasText: 'Ana' }).filter({ hasText: 'Ben' });
    await pair.getByText('Both said yes').waitFor({ timeout: 8000 });
    await expect(pair.textContent()).resolves.toContain('Ana is looking for investors');
    await expect(pair.textContent()).resolves.toContain('Ben is looking for design help');
    await expect(screen.locator('body').textContent()).resolves.not.toMatch(/Sousa|Okafor|Tidewater|Greenfield|@|912/);
    await screenshot(screen, 'contacts-screen-pair');
  });

  it('lets the one who got nothing ask, and the other share with one tap', async () => {
    const benOnAna = cardOf(anaPhone, 'Ben Okafor');
    await benOnAna.getByText('Ben has not shared contact details yet').waitFor({ timeout: 5000 });
    await benOnAna.getByRole('button', { name: 'Ask Ben to share' }).click();
    await benOnAna.getByTestId('share-asked').waitFor({ timeout: 5000 });
    await expect(benOnAna.getByRole('button', { name: 'Ask Ben to share' }).count()).resolves.toBe(0);
    await screenshot(anaPhone, 'contacts-me-asked');

    const anaOnBen = cardOf(benPhone, 'Ana Sousa');
    const request_ = anaOnBen.getByTestId('share-request');
    await request_.getByText('Ana would like your contact details.').waitFor({ timeout: 5000 });
    // Nothing of Ben's has passed before his tap.
    await expect(anaPhone.locator('body').textContent()).resolves.not.toContain('ben@greenfield.example');
    await screenshot(benPhone, 'contacts-me-share-request');
    await request_.getByRole('button', { name: 'Share my email' }).click();

    const reachBen = benOnAna.getByRole('list', { name: 'How to reach Ben Okafor' });
    await reachBen.getByRole('link', { name: /ben@greenfield\.example/ }).waitFor({ timeout: 5000 });
    await expect(anaOnBen.getByTestId('share-request').count()).resolves.toBe(0);
    await screenshot(anaPhone, 'contacts-me-both-shared');
  });

  it('shows the phone QR on the kiosk welcome and the same one link on the last step; that phone opens it again', async () => {
    const cy = await aGuest(org, eventId, { name: 'Cy Marsh', email: 'cy@marsh.example' });
    const kiosk = await opened({ viewport: { width: 1280, height: 800 } });
    const code = await org.post(`/api/events/${eventId}/pairing-codes`, { kind: 'kiosk', name: 'Front door' });
    await kiosk.goto('/kiosk');
    await kiosk.getByLabel('Pairing code').fill((code.body as { code: string }).code);
    await kiosk.getByRole('button', { name: 'Pair this kiosk' }).click();
    await kiosk.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'ticket-input');
    await kiosk.keyboard.type(`${server.url}/t/${cy.secret}`);
    await kiosk.keyboard.press('Enter');
    await kiosk.getByRole('heading', { name: 'Welcome, Cy Marsh!' }).waitFor({ timeout: 5000 });

    // The welcome carries the QR at once, for someone who walks off without the next steps.
    await kiosk.getByRole('img', { name: /QR code that opens your page/ }).locator('svg').waitFor({ timeout: 5000 });
    const onWelcome = (await kiosk.getByTestId('phone-link-url').textContent())?.trim() ?? '';
    expect(onWelcome).toMatch(new RegExp(`^${server.url}/me\\?code=[A-Za-z0-9_-]{20,64}$`));
    await screenshot(kiosk, 'contacts-kiosk-welcome-qr');

    await kiosk.getByRole('button', { name: 'Tell people what you’re looking for' }).click();
    await kiosk.getByRole('button', { name: 'Next', exact: true }).click();
    // The intent step's questions page asks what to share, with nothing ticked.
    const share = kiosk.getByRole('group', { name: 'When you both say yes, share' });
    await expect(share.getByRole('button', { name: /My email/ }).getAttribute('aria-pressed')).resolves.toBe('false');
    await kiosk.getByRole('button', { name: 'Yes, show me' }).click();
    await kiosk.getByRole('button', { name: 'Save', exact: true }).click();
    await kiosk.getByRole('heading', { name: 'Thanks! You’re all set' }).waitFor();
    await kiosk.getByRole('img', { name: /QR code that opens your page/ }).locator('svg').waitFor({ timeout: 5000 });
    // One link per accepted check-in: the last step shows the same one, not a second.
    await expect(kiosk.getByTestId('phone-link-url').textContent()).resolves.toBe(onWelcome);

    const phone = await opened();
    await phone.goto(onWelcome);
    await phone.getByRole('heading', { name: /Cy Marsh/ }).first().waitFor({ timeout: 10_000 });
    await phone.goto(onWelcome);
    await phone.getByRole('heading', { name: /Cy Marsh/ }).first().waitFor({ timeout: 10_000 });
    await expect(phone.getByText(/already been used/).count()).resolves.toBe(0);
  });
});
