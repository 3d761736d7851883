import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckinOutcome } from '@edgewise/shared';
import { aGuest, anIntent, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aSignInCode } from '../fixtures/credentials';
import { request, type TestServer } from '../fixtures/server';
import { aBrowser, aPage, aPhoneScreen, anAppServer, browserAvailable, screenshot } from './harness';

type Guest = Awaited<ReturnType<typeof aGuest>>;

/** Buttons a thumb has to hit on a phone: 44 px is the usual floor. */
async function smallButtons(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('main button'))
      .filter((el) => el.offsetParent !== null)
      .filter((el) => el.getBoundingClientRect().height < 44)
      .map((el) => el.textContent?.trim()),
  );
}

describe.skipIf(!browserAvailable)('live matching from the kiosk to two phones and the big screen, in a real browser', () => {
  let server: TestServer;
  let org: Organiser;
  let eventId: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let kiosk: Page;
  let anaPhone: Page;
  let benPhone: Page;
  let screen: Page;
  let ana: Guest;
  let ben: Guest;
  let phoneLink = '';
  let clockTicker: ReturnType<typeof setInterval> | undefined;

  const ticketUrl = (secret: string) => `${server.url}/t/${secret}`;

  async function aPhone() {
    const { context, page } = await aPage(browser, server, aPhoneScreen);
    contexts.push(context);
    return page;
  }

  /** A full-page picture from the top, as the person first sees the page. */
  async function pictureOf(page: Page, name: string) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    await screenshot(page, name);
  }

  /** The card about `name` on an attendee's page. */
  const cardOf = (page: Page, name: string) => page.locator('#meet').getByRole('article', { name });

  beforeAll(async () => {
    server = await anAppServer();
    // The browser stamps scans with the real time: the server's clock keeps to it, and the evening is tonight.
    server.clock.set(Date.now());
    clockTicker = setInterval(() => server.clock.set(Date.now()), 100);
    org = await anOrganiser(server);
    const hour = 60 * 60_000;
    eventId = await anOpenEvent(org, {
      name: 'Climate Tech Night',
      startsAt: new Date(Date.now() - hour).toISOString(),
      endsAt: new Date(Date.now() + 4 * hour).toISOString(),
      // Topics with two sides: "Investment" to look for, "I invest" to offer.
      template: 'startup-night',
      settings: { interestTags: ['Climate', 'AI', 'Data'] },
    });
    ana = await aGuest(org, eventId, { name: 'Ana Sousa', company: 'Tidewater', role: 'Designer', firstTime: true });
    ben = await aGuest(org, eventId, { name: 'Ben Okafor', company: 'Greenfield Ventures', role: 'Partner', email: 'ben@greenfield.example' });

    // Ben is already in the room, with the opposite intent to Ana's: he funds what she builds, she designs what he needs.
    const device = await aPairedDevice(server, org, eventId);
    const asKiosk = (path: string) => request(server.url).post(path).set('authorization', `Bearer ${device.token}`);
    const checkin = await asKiosk(`/api/events/${eventId}/checkins`).send({ token: ben.secret, nonce: aNonce(), type: 'entry', scannedAt: new Date().toISOString() });
    expect((checkin.body as CheckinOutcome).status).toBe('ok');
    const intent = await request(server.url)
      .put(`/api/events/${eventId}/attendees/${ben.id}/intent`)
      .set('authorization', `Bearer ${device.token}`)
      .send(anIntent({ seeks: ['design'], offers: ['investment'], interests: ['Climate'], askMeAbout: 'Seed rounds for climate hardware', showOnScreen: true }));
    expect(intent.status).toBe(200);

    browser = await aBrowser();
    const opened = await aPage(browser, server);
    contexts.push(opened.context);
    kiosk = opened.page;
    const code = await org.post(`/api/events/${eventId}/pairing-codes`, { kind: 'kiosk', name: 'Front door' });
    await kiosk.goto('/kiosk');
    await kiosk.getByLabel('Pairing code').fill((code.body as { code: string }).code);
    await kiosk.getByRole('button', { name: 'Pair this kiosk' }).click();
    await kiosk.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
  });

  afterAll(async () => {
    clearInterval(clockTicker);
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('shows Ana the people she should meet on the kiosk right after she says what she is looking for, with a QR to continue on her phone', async () => {
    await kiosk.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'ticket-input');
    await kiosk.keyboard.type(ticketUrl(ana.secret));
    await kiosk.keyboard.press('Enter');
    await kiosk.getByRole('heading', { name: 'Welcome, Ana Sousa!' }).waitFor({ timeout: 3000 });

    await kiosk.getByRole('button', { name: 'Tell people what you’re looking for' }).click();
    // Two lists, each in its own words: what one looks for, and what one offers.
    const seeking = kiosk.getByRole('group', { name: /I’m looking for/ });
    const offering = kiosk.getByRole('group', { name: /I can offer/ });
    await expect(seeking.getByRole('button', { name: 'Investment', exact: true }).isVisible()).resolves.toBe(true);
    await expect(seeking.getByRole('button', { name: 'I invest' }).count()).resolves.toBe(0);
    await expect(offering.getByRole('button', { name: 'I invest', exact: true }).isVisible()).resolves.toBe(true);
    await expect(offering.getByRole('button', { name: 'Investment', exact: true }).count()).resolves.toBe(0);
    // A topic the same both ways has one label in both lists.
    await expect(seeking.getByRole('button', { name: 'A co-founder', exact: true }).isVisible()).resolves.toBe(true);
    await expect(offering.getByRole('button', { name: 'A co-founder', exact: true }).isVisible()).resolves.toBe(true);
    await seeking.getByRole('button', { name: 'Investment', exact: true }).click();
    await offering.getByRole('button', { name: 'I design', exact: true }).click();
    await screenshot(kiosk, 'matching-kiosk-two-lists');
    await kiosk.getByRole('group', { name: /I’m into/ }).getByRole('button', { name: 'Climate' }).click();
    // The kiosk asks in two pages: the lists, then the questions.
    await kiosk.getByRole('button', { name: 'Next', exact: true }).click();
    await kiosk.getByRole('button', { name: 'Yes, show me' }).click();
    await kiosk.getByRole('button', { name: 'Save', exact: true }).click();

    await kiosk.getByRole('heading', { name: 'Thanks! You’re all set' }).waitFor();
    const suggestions = kiosk.getByTestId('kiosk-suggestion');
    await suggestions.filter({ hasText: 'Ben Okafor' }).waitFor({ timeout: 8000 });
    expect(await suggestions.count()).toBeLessThanOrEqual(3);
    const benCard = suggestions.filter({ hasText: 'Ben Okafor' });
    // The why, not only the who: Ben offers what Ana is looking for (once matching has her new intent).
    // Each side of a topic where it fits: Ben's in his own words, Ana's as what she looks for.
    const why = benCard.getByRole('list', { name: 'Why you should meet' });
    await why.getByText("Ben Okafor says “I invest”: you’re looking for investment").waitFor({ timeout: 6000 });
    await why.getByText('Ben Okafor is looking for design help: you said “I design”').waitFor();
    const nameSize = await benCard.getByRole('heading', { name: 'Ben Okafor' }).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(nameSize).toBeGreaterThanOrEqual(28);

    const qr = kiosk.getByRole('img', { name: /QR code that opens your page/ });
    await qr.locator('svg').waitFor();
    phoneLink = (await kiosk.getByTestId('phone-link-url').textContent())?.trim() ?? '';
    expect(phoneLink).toMatch(new RegExp(`^${server.url}/me\\?code=[A-Za-z0-9_-]{20,64}$`));
    await expect(qr.getAttribute('data-qr-text')).resolves.toBe(phoneLink);
    expect((await qr.boundingBox())?.width).toBeGreaterThanOrEqual(240);
    await expect(kiosk.getByText('Scan with your phone camera').isVisible()).resolves.toBe(true);
    // Still resets itself for the next person in line.
    await expect(kiosk.getByText(/Back to the start in \d+ s/).isVisible()).resolves.toBe(true);
    await kiosk.waitForTimeout(600);
    await screenshot(kiosk, 'matching-kiosk-suggestions');
  });

  it('welcomes both on the paired big screen with first name and what they look for, and shows no pair before both say yes', async () => {
    const opened = await aPage(browser, server, { viewport: { width: 1920, height: 1080 } });
    contexts.push(opened.context);
    screen = opened.page;
    const code = await org.post(`/api/events/${eventId}/pairing-codes`, { kind: 'screen', name: 'Main hall' });
    await screen.goto('/screen');
    await screen.getByLabel('Pairing code').fill((code.body as { code: string }).code);
    await screen.getByRole('button', { name: 'Pair this screen' }).click();

    await screen.getByRole('heading', { level: 1, name: 'Climate Tech Night' }).waitFor({ timeout: 8000 });
    const welcome = screen.getByTestId('screen-welcome').filter({ hasText: 'Welcome, Ana!' });
    await welcome.waitFor({ timeout: 8000 });
    // What the consent question names, and nothing more: no surname, no company.
    // What she looks for, in the "looking for" words, never the offering side; inside the sentence, no capital.
    await expect(welcome.textContent()).resolves.toContain('Looking for investment');
    await expect(welcome.textContent()).resolves.not.toContain('I invest');
    const welcomeSize = await welcome.locator('.screen-welcome-text').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(welcomeSize).toBeGreaterThanOrEqual(36);
    // Suggested to each other, but neither said yes yet: the room sees no pair.
    await screen.getByText('Pairs appear here once both people say yes to meeting.').waitFor();
    await expect(screen.getByTestId('screen-card').count()).resolves.toBe(0);
    await expect(screen.locator('body').textContent()).resolves.not.toMatch(/@|\+351|Sousa|Okafor|Tidewater|Greenfield/);
    // Stored on the screen, so a restart of the display comes back to the event, not to pairing.
    await expect(screen.evaluate(() => localStorage.getItem('edgewise.screen') !== null)).resolves.toBe(true);
    await screen.waitForTimeout(1000);
    await screenshot(screen, 'matching-screen');
  });

  it('shows someone already checked in their suggestions again when they come back to the kiosk, and where their page is, but no QR that opens it', async () => {
    await kiosk.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'ticket-input');
    await kiosk.keyboard.type(ticketUrl(ana.secret));
    await kiosk.keyboard.press('Enter');
    await kiosk.getByRole('heading', { name: 'You’re already checked in, Ana Sousa' }).waitFor({ timeout: 3000 });
    await kiosk.getByRole('button', { name: 'See who to meet' }).click();
    await kiosk.getByRole('heading', { name: 'Good to see you again, Ana Sousa' }).waitFor();
    await kiosk.getByTestId('kiosk-suggestion').filter({ hasText: 'Ben Okafor' }).waitFor({ timeout: 8000 });
    // A phone link only comes with a check-in this kiosk just accepted: anyone holding Ana's badge could be here.
    const phone = kiosk.getByTestId('phone-link');
    await expect(phone.getByRole('heading', { name: 'Your page on your phone' }).isVisible()).resolves.toBe(true);
    await expect(phone.getByText('Opened it before? It is still on that phone.').isVisible()).resolves.toBe(true);
    // This server mails no sign-in links, so the kiosk does not send her to "Email me my link".
    await phone.getByText('If not, ask at the desk.').waitFor();
    await expect(kiosk.getByRole('img', { name: /QR code that opens your page/ }).count()).resolves.toBe(0);
    await expect(kiosk.getByTestId('phone-link-url').count()).resolves.toBe(0);
    await kiosk.waitForTimeout(600);
    await screenshot(kiosk, 'matching-kiosk-back');
    await kiosk.getByRole('button', { name: 'Done' }).click();
    await kiosk.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
  });

  it("opens Ana's own page from the kiosk's link on her phone, showing the same suggestion, and takes the code out of the address bar", async () => {
    anaPhone = await aPhone();
    await anaPhone.goto(phoneLink);
    await anaPhone.getByRole('heading', { name: 'Hi, Ana Sousa' }).waitFor({ timeout: 8000 });
    expect(anaPhone.url()).toBe(`${server.url}/me`);
    await anaPhone.getByRole('heading', { name: 'People you should meet' }).waitFor();
    const card = cardOf(anaPhone, 'Ben Okafor');
    await card.waitFor();
    await expect(card.getByRole('list', { name: 'Why you should meet' }).textContent()).resolves.toContain("Ben Okafor says “I invest”: you’re looking for investment");
    // What Ben said, each list in its own words.
    const said = card.locator('.suggestions-tags');
    await expect(said.textContent()).resolves.toMatch(/Looking for\s*Design help/);
    await expect(said.textContent()).resolves.toMatch(/Offering\s*I invest/);
    // Her own intent, each side as she picked it.
    const mine = anaPhone.locator('#my-intent');
    await expect(mine.textContent()).resolves.toMatch(/I’m looking for\s*Investment/);
    await expect(mine.textContent()).resolves.toMatch(/I can offer\s*I design/);
    await expect(card.getByText('Seed rounds for climate hardware').isVisible()).resolves.toBe(true);
    await anaPhone.waitForFunction(() => document.querySelector('[data-testid=connection]')?.getAttribute('data-state') === 'online');
    expect(await smallButtons(anaPhone)).toEqual([]);
    // Nothing about Ben's contact before both said yes.
    await expect(card.getByRole('link', { name: /ben@greenfield/ }).count()).resolves.toBe(0);

    // The link was single-use: opening it again does not open Ana's page elsewhere.
    const again = await request(server.url).post('/api/me/session').send({ code: new URL(phoneLink).searchParams.get('code') });
    expect(again.status).toBeGreaterThanOrEqual(400);
    await pictureOf(anaPhone, 'matching-me-ana');
  });

  it("opens Ben's page from the sign-in link he was mailed, where he chooses to share his email", async () => {
    benPhone = await aPhone();
    await benPhone.goto(`/me?code=${await aSignInCode(server, ben.id)}`);
    await benPhone.getByRole('heading', { name: 'Hi, Ben Okafor' }).waitFor({ timeout: 8000 });
    // Ben was there first: Ana joined his list as soon as her intent was saved, not at the next global pass (every 30 s).
    await cardOf(benPhone, 'Ana Sousa').waitFor({ timeout: 3000 });

    await benPhone.getByLabel('Share my email').check();
    await benPhone.getByLabel(/Phone/).fill('+351 912 345 678');
    await benPhone.getByRole('button', { name: 'Save my contact card' }).click();
    await benPhone.locator('#my-contact').getByRole('status').getByText('Saved').waitFor();
  });

  it('shows both of them "You both said yes" and each other\'s shared details, live, once both say they would like to meet', async () => {
    const anaYes = cardOf(anaPhone, 'Ben Okafor').getByRole('button', { name: 'I’d like to meet' });
    await anaYes.click();
    await cardOf(anaPhone, 'Ben Okafor').getByText('You said yes: waiting for Ben').waitFor({ timeout: 5000 });
    // Ben's page learns of it without a reload.
    await cardOf(benPhone, 'Ana Sousa').getByText('Ana would like to meet you').waitFor({ timeout: 5000 });

    await cardOf(benPhone, 'Ana Sousa').getByRole('button', { name: 'I’d like to meet' }).click();
    await cardOf(benPhone, 'Ana Sousa').getByText('You both said yes').waitFor({ timeout: 5000 });
    await cardOf(anaPhone, 'Ben Okafor').getByText('You both said yes').waitFor({ timeout: 5000 });

    const reachBen = cardOf(anaPhone, 'Ben Okafor').getByRole('list', { name: 'How to reach Ben Okafor' });
    await expect(reachBen.getByRole('link', { name: /ben@greenfield\.example/ }).getAttribute('href')).resolves.toBe('mailto:ben@greenfield.example');
    await expect(reachBen.getByRole('link', { name: /912 345 678/ }).getAttribute('href')).resolves.toBe('tel:+351912345678');
    await expect(cardOf(anaPhone, 'Ben Okafor').getByRole('button', { name: 'We met' }).isVisible()).resolves.toBe(true);
    await expect(anaPhone.locator('#connections').getByText('Ben Okafor').isVisible()).resolves.toBe(true);

    // The big screen follows too, still without anything to contact them by.
    const pair = screen.getByTestId('screen-card').filter({ hasText: 'Ana' }).filter({ hasText: 'Ben' });
    await pair.getByText('Both said yes').waitFor({ timeout: 5000 });
    await expect(pair.textContent()).resolves.toContain('Ana is looking for investment');
    await expect(pair.textContent()).resolves.toContain('Ben is looking for design help');
    await expect(screen.locator('body').textContent()).resolves.not.toMatch(/ben@greenfield|912 345/);

    await pictureOf(anaPhone, 'matching-me-mutual');
    await pictureOf(benPhone, 'matching-me-ben');
  });

  it('keeps a private note and marks the pair as met', async () => {
    const card = cardOf(anaPhone, 'Ben Okafor');
    await card.getByRole('button', { name: 'Add a private note' }).click();
    await card.getByLabel('Your note about Ben').fill('Send him the tidal deck on Friday');
    await card.getByText('Saved', { exact: true }).waitFor({ timeout: 5000 });
    await expect(card.getByText('Only you can see this.').isVisible()).resolves.toBe(true);
    await card.getByRole('button', { name: 'We met' }).click();
    const row = anaPhone.locator('#connections').getByTestId('connection-row').filter({ hasText: 'Ben Okafor' });
    await row.getByText('Met', { exact: true }).waitFor({ timeout: 5000 });

    // The note is kept on the server, and Ben never sees it.
    await anaPhone.reload();
    await anaPhone.getByRole('heading', { name: 'Hi, Ana Sousa' }).waitFor();
    await expect(anaPhone.getByLabel('Your note about Ben').first().inputValue()).resolves.toBe('Send him the tidal deck on Friday');
    await expect(benPhone.getByText('Send him the tidal deck on Friday').count()).resolves.toBe(0);
  });

  it('lets Ana change what she is looking for on her phone, and shows her what others now see', async () => {
    const intent = anaPhone.locator('#my-intent');
    await intent.getByRole('button', { name: /Edit what I.m looking for/ }).click();
    await intent.getByLabel(/Ask me about/).fill('Tidal energy');
    await intent.getByRole('group', { name: /I’m into/ }).getByRole('button', { name: 'Data' }).click();
    await pictureOf(anaPhone, 'matching-me-intent-edit');
    await intent.getByRole('button', { name: 'Save', exact: true }).click();
    await intent.getByText('Saved. Your suggestions update by themselves.').waitFor({ timeout: 5000 });
    await expect(intent.getByText('Climate, Data').isVisible()).resolves.toBe(true);
    // "What others see" is the server's view of her profile, refreshed after the change.
    await anaPhone.locator('#what-others-see').getByText('“Tidal energy”').waitFor({ timeout: 5000 });
  });

  it('pauses suggestions with a switch that says what it does', async () => {
    const pause = anaPhone.getByRole('switch', { name: /Pause suggestions/ });
    await expect(pause.getAttribute('aria-checked')).resolves.toBe('false');
    await pause.click();
    await anaPhone.waitForFunction(() => document.querySelector('[role=switch]')?.getAttribute('aria-checked') === 'true');
    await anaPhone.getByText('Suggestions are paused.').waitFor();
    await pictureOf(anaPhone, 'matching-me-paused');
    await pause.click();
    await anaPhone.waitForFunction(() => document.querySelector('[role=switch]')?.getAttribute('aria-checked') === 'false');
  });

  it('signs Ben out on his phone, after which the page says how to get back in', async () => {
    await benPhone.getByRole('button', { name: 'Sign out on this phone' }).click();
    await benPhone.getByRole('heading', { name: 'You signed out on this phone' }).waitFor();
    await expect(benPhone.evaluate(() => localStorage.getItem('edgewise.me'))).resolves.toBeNull();
    await benPhone.getByRole('heading', { name: 'How to open your page' }).waitFor();
    await benPhone.reload();
    await benPhone.getByRole('heading', { name: 'Open your page', exact: true }).waitFor();
    // This server sends no mail: the page says so, and what still works (a scan again only says he is in).
    const how = benPhone.getByRole('region', { name: 'How to open your page' });
    await how.getByText('This event does not send links by email.', { exact: false }).waitFor();
    await expect(how.textContent()).resolves.toContain('Already checked in? Ask at the desk.');
    await screenshot(benPhone, 'matching-me-ended');
  });

  it('shows only the event name on the screen while the organiser has it turned off', async () => {
    const off = await org.patch(`/api/events/${eventId}`, { settings: { screenEnabled: false } });
    expect(off.status).toBe(200);
    await screen.getByText('Welcome to', { exact: true }).waitFor({ timeout: 8000 });
    await expect(screen.getByRole('heading', { level: 1, name: 'Climate Tech Night' }).isVisible()).resolves.toBe(true);
    await expect(screen.getByTestId('screen-welcome').count()).resolves.toBe(0);
    await expect(screen.getByTestId('screen-card').count()).resolves.toBe(0);
    await screen.waitForTimeout(900);
    await screenshot(screen, 'matching-screen-off');
  });

  it('sends a screen the organiser unpaired back to asking for a pairing code', async () => {
    const devices = (await org.get(`/api/events/${eventId}/devices`)).body as { id: string; kind: string; name: string }[];
    const hall = devices.find((d) => d.kind === 'screen' && d.name === 'Main hall');
    expect(hall).toBeDefined();
    const res = await org.delete(`/api/events/${eventId}/devices/${hall?.id}`);
    expect(res.status).toBeLessThan(300);
    await screen.getByRole('heading', { name: 'Pair this screen' }).waitFor({ timeout: 8000 });
    await expect(screen.evaluate(() => localStorage.getItem('edgewise.screen'))).resolves.toBeNull();
    await screenshot(screen, 'matching-screen-pairing');
  });
});
