import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckinOutcome } from '@edgewise/shared';
import { aGuest, anIntent, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aSignInCode } from '../fixtures/credentials';
import { request, type TestServer } from '../fixtures/server';
import { aBrowser, aContext, aPhoneScreen, anAppServer, browserAvailable, screenshot, tonight } from './harness';

/**
 * The kiosk at the sizes it really runs at (landscape and portrait tablets, a portrait
 * 1080p totem) and the attendee's page on a phone: on every step, what the step needs is on
 * screen without scrolling, the step opens at its top with the focus on its heading, and
 * the staff's status line stays small.
 */
const kioskSizes = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
  { width: 800, height: 1280 },
  { width: 1080, height: 1920 },
];

/** Fails with the control's name when any part of it lies outside the window. */
async function expectOnScreen(page: Page, controls: Locator[]) {
  const viewport = page.viewportSize();
  if (!viewport) throw new Error('no viewport');
  for (const control of controls) {
    await control.waitFor({ state: 'visible', timeout: 5000 });
    const box = await control.boundingBox();
    const name = `${control}`;
    expect(box, name).not.toBeNull();
    if (!box) continue;
    expect({ name, top: box.y >= -1, left: box.x >= -1, bottom: box.y + box.height <= viewport.height + 1, right: box.x + box.width <= viewport.width + 1 }).toEqual({
      name,
      top: true,
      left: true,
      bottom: true,
      right: true,
    });
  }
}

/** The step opened at its top, with the focus on its heading (what a screen reader reads first). */
async function expectStartsAtHeading(page: Page, heading: Locator) {
  await heading.waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  await expect(heading.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  await expect(page.evaluate(() => window.scrollY)).resolves.toBe(0);
}

describe.skipIf(!browserAvailable)('kiosk and phone layouts at the sizes people use', () => {
  let server: TestServer;
  let browser: Browser;
  let org: Organiser;
  let eventId = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await anAppServer('pglite', { realClock: true });
    org = await anOrganiser(server);
    eventId = await anOpenEvent(org, { name: 'Harbour Founders Night', ...tonight(), settings: { walkInsAllowed: true } });
    // People already in the room, so each newcomer's last step lists whom to meet.
    await inTheRoom(['Ben Okafor', 'Carla Reis', 'Dev Patel'].map((name) => ({ name, company: 'Greenfield Ventures' })));
    // Chromium's own test picture as the camera: the preview is on, with no code in it.
    browser = await aBrowser({ fakeCamera: true });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  /** Registered, checked in at a kiosk and with an intent stated: in the matching pool. */
  async function inTheRoom(people: { name: string; company?: string }[]) {
    const kiosk = await aPairedDevice(server, org, eventId);
    const asKiosk = (method: 'post' | 'put', path: string) => request(server.url)[method](path).set('authorization', `Bearer ${kiosk.token}`);
    const guests = [];
    for (const person of people) {
      const guest = await aGuest(org, eventId, person);
      const checkin = await asKiosk('post', `/api/events/${eventId}/checkins`).send({ token: guest.secret, nonce: aNonce(), type: 'entry', scannedAt: new Date().toISOString() });
      expect((checkin.body as CheckinOutcome).status).toBe('ok');
      expect((await asKiosk('put', `/api/events/${eventId}/attendees/${guest.id}/intent`).send(anIntent({ showOnScreen: false }))).status).toBe(200);
      guests.push(guest);
    }
    return guests;
  }

  async function kioskAt(size: { width: number; height: number }): Promise<Page> {
    const context = await aContext(browser, { baseURL: server.url, viewport: size, hasTouch: true });
    contexts.push(context);
    await context.grantPermissions(['camera'], { origin: server.url });
    const page = await context.newPage();
    const code = await org.post(`/api/events/${eventId}/pairing-codes`, { kind: 'kiosk', name: `Door ${size.width}x${size.height}` });
    await page.goto('/kiosk');
    await page.getByLabel('Pairing code').fill((code.body as { code: string }).code);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
    return page;
  }

  for (const size of kioskSizes) {
    const tag = `${size.width}x${size.height}`;
    it(`walks a guest through every kiosk step at ${tag} with each step's controls on screen`, async () => {
      const page = await kioskAt(size);
      const guest = await aGuest(org, eventId, { name: `Ana ${tag}`, firstTime: true });

      // Scan: the ways in, the camera preview, and a small staff line.
      const camera = page.locator('video');
      await expectOnScreen(page, [
        page.getByRole('heading', { name: 'Scan your ticket' }),
        page.getByRole('button', { name: 'Find me by name' }),
        page.getByRole('button', { name: 'Not on the list? Register here' }),
        camera,
      ]);
      const preview = await camera.boundingBox();
      if (size.height > size.width) {
        // Portrait: the preview takes the width instead of sitting in a small band.
        expect(preview?.width ?? 0).toBeGreaterThanOrEqual(size.width * 0.7);
      }
      const staffLine = page.locator('.kiosk-bottom');
      const staffBox = await staffLine.boundingBox();
      expect(staffBox?.height ?? 999).toBeLessThanOrEqual(56);
      await expect(staffLine.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).resolves.toBeLessThanOrEqual(15);
      await expect(page.getByPlaceholder('Scanner types here').count()).resolves.toBe(0);
      await screenshot(page, `layout-${tag}-1-scan`);

      // Welcome: heading, the next step and the phone QR.
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'ticket-input');
      await page.keyboard.type(`${server.url}/t/${guest.secret}`);
      await page.keyboard.press('Enter');
      const welcome = page.getByRole('heading', { level: 1, name: `Welcome, Ana ${tag}!` });
      await expectStartsAtHeading(page, welcome);
      await screenshot(page, `layout-${tag}-2-welcome`);
      await expectOnScreen(page, [
        welcome,
        page.getByRole('button', { name: 'Tell people what you’re looking for' }),
        page.getByRole('button', { name: 'Done' }),
        page.getByRole('img', { name: 'QR code that opens your page on your phone' }),
      ]);

      // Intent, first page: the three lists and Next, a Tab stop each.
      await page.getByRole('button', { name: 'Tell people what you’re looking for' }).click();
      const intentHeading = page.getByRole('heading', { level: 1, name: `Ana ${tag}, what brings you here?` });
      await expectStartsAtHeading(page, intentHeading);
      await screenshot(page, `layout-${tag}-3-intent`);
      const groups = [/I.m looking for/, /I can offer/, /I.m into/].map((name) => page.getByRole('group', { name }));
      const lastChips = groups.map((g) => g.getByRole('button').last());
      const next = page.getByRole('button', { name: 'Next', exact: true });
      await expectOnScreen(page, [...lastChips, next]);

      // Keyboard: one Tab into each list, arrows inside it, Space picks; Next is four Tabs away.
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Space');
      await expect(groups[0]!.getByRole('button').nth(1).getAttribute('aria-pressed')).resolves.toBe('true');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await expect(next.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      await page.keyboard.press('Enter');

      // Intent, second page: the questions, the screen consent and Save.
      const questions = page.getByRole('heading', { level: 1, name: 'A few quick questions' });
      await expectStartsAtHeading(page, questions);
      await screenshot(page, `layout-${tag}-4-questions`);
      const consent = page.getByRole('group', { name: 'Show me on the big screen?' });
      const save = page.getByRole('button', { name: 'Save', exact: true });
      await expectOnScreen(page, [
        consent.getByRole('button', { name: 'Yes, show me' }),
        consent.getByRole('button', { name: 'No, keep me off' }),
        page.getByRole('group', { name: /When you both say yes, share/ }),
        page.getByLabel(/Ask me about/),
        save,
        page.getByRole('button', { name: 'Back', exact: true }),
      ]);
      await consent.getByRole('button', { name: 'No, keep me off' }).click();
      await save.click();

      // The photo: the camera's picture, taking as easy as skipping, both on screen.
      const photo = page.getByRole('heading', { level: 1, name: 'Add a photo so your matches can find you' });
      await expectStartsAtHeading(page, photo);
      await expectOnScreen(page, [
        photo,
        page.getByRole('button', { name: 'Take my photo' }),
        page.getByRole('button', { name: 'Skip', exact: true }),
        page.getByTestId('kiosk-photo').locator('video'),
      ]);
      await screenshot(page, `layout-${tag}-4b-photo`);
      await page.getByRole('button', { name: 'Skip', exact: true }).click();

      // Last step: thanks, who to meet, the phone QR and Done; the focus is on the heading, not lost below.
      const thanks = page.getByRole('heading', { level: 1, name: 'Thanks! You’re all set' });
      await expectStartsAtHeading(page, thanks);
      await page.getByTestId('kiosk-suggestion').first().waitFor({ timeout: 10_000 });
      await screenshot(page, `layout-${tag}-5-next`);
      await expectOnScreen(page, [
        thanks,
        page.getByRole('heading', { name: 'Continue on your phone' }),
        page.getByRole('img', { name: 'QR code that opens your page on your phone' }),
        page.getByRole('button', { name: 'Done' }),
      ]);

      // Search by name: the field and the list of results.
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('button', { name: 'Find me by name' }).click();
      await expectOnScreen(page, [page.getByRole('heading', { level: 1, name: 'Find me by name' }), page.getByLabel('Your name')]);
      await screenshot(page, `layout-${tag}-6-search`);
      // Seven steps, each checked by axe-core: a minute and more on a loaded machine.
    }, 120_000);
  }

  it("opens the attendee's page on a 390x844 phone with the first suggestion's answer on screen", async () => {
    const [ana] = await inTheRoom([{ name: 'Ana Sousa', company: 'Tidewater' }]);
    if (!ana) throw new Error('Ana did not arrive');
    const context = await aContext(browser, { baseURL: server.url, ...aPhoneScreen });
    contexts.push(context);
    const phone = await context.newPage();
    await phone.goto(`/me?code=${await aSignInCode(server, ana.id)}`);
    const card = phone.locator('#meet').getByRole('article').first();
    await card.waitFor({ timeout: 10_000 });
    await expectOnScreen(phone, [phone.getByRole('heading', { name: 'People you should meet' }), card.getByRole('button', { name: /I.d like to meet/ })]);
    await expect(phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    // The section links are thumb-sized too (44 px), not only the buttons.
    const sectionLinks = phone.getByRole('navigation', { name: 'Sections' }).getByRole('link');
    const heights = await sectionLinks.evaluateAll((links) => links.map((a) => Math.round(a.getBoundingClientRect().height)));
    expect(heights.length).toBeGreaterThan(5);
    expect(heights.filter((h) => h < 44)).toEqual([]);
    await screenshot(phone, 'layout-390x844-me');
  });

  it("speaks the event's language on a German phone when the event speaks English only, however slowly German loads", async () => {
    const [lea] = await inTheRoom([{ name: 'Lea Wagner', company: 'Nordlicht' }]);
    if (!lea) throw new Error('Lea did not arrive');
    const context = await aContext(browser, { baseURL: server.url, ...aPhoneScreen, viewport: { width: 360, height: 740 }, locale: 'de-DE' });
    contexts.push(context);
    const phone = await context.newPage();
    // The page asks for the browser's language first; its messages arrive after the person's page says "English".
    let germanServed: () => void = () => {};
    const served = new Promise<void>((resolve) => (germanServed = resolve));
    await phone.route(/\/assets\/de-[^/]*\.js$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
      germanServed();
    });
    await phone.goto(`/me?code=${await aSignInCode(server, lea.id)}`);
    await phone.getByRole('heading', { name: 'Hi, Lea Wagner' }).waitFor({ timeout: 10_000 });
    await served;
    await phone.waitForTimeout(500);
    await expect(phone.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Hi, Lea Wagner');
    await expect(phone.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
  });
});
