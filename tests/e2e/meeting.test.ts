import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntentBody, MeetingPoints } from '@edgewise/shared';
import { checkedInAtAKiosk } from '../fixtures/arrivals';
import { aGuest, anOpenEvent, anOrganiser, type Organiser } from '../fixtures/builders';
import { aSignInCode } from '../fixtures/credentials';
import type { TestServer } from '../fixtures/server';
import { aBrowser, aContext, aPage, aPhoneScreen, anAppServer, artifacts, browserAvailable, screenshot, tonight } from './harness';

/**
 * Two phones say yes to each other: each takes a photo first, then sees the other's face,
 * the spot Edgewise proposes and the other's "on my way", live.
 */
describe.skipIf(!browserAvailable)('finding each other in the room, in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let org: Organiser;
  let eventId = '';
  let ana: Awaited<ReturnType<typeof aGuest>>;
  let ben: Awaited<ReturnType<typeof aGuest>>;
  let cleo: Awaited<ReturnType<typeof aGuest>>;
  const contexts: BrowserContext[] = [];
  const photos = path.join(artifacts, 'meeting-photos');

  const cardOf = (page: Page, name: string) => page.locator('#meet').getByRole('article', { name });

  async function aPhone(guest: { id: string }) {
    const { context, page } = await aPage(browser, server, aPhoneScreen);
    contexts.push(context);
    await page.goto(`/me?code=${await aSignInCode(server, guest.id)}`);
    await page.locator('#find-me').waitFor({ timeout: 10_000 });
    return page;
  }

  /** A camera photo: a coloured square with EXIF, as a phone would save it. */
  async function aCameraPhoto(name: string, colour: { r: number; g: number; b: number }) {
    const file = path.join(photos, `${name}.jpg`);
    await sharp({ create: { width: 1200, height: 1600, channels: 3, background: colour } })
      .withExif({ IFD0: { Make: 'PhoneCo' } })
      .jpeg()
      .toFile(file);
    return file;
  }

  async function takePhoto(page: Page, file: string) {
    const findMe = page.locator('#find-me');
    await findMe.getByRole('button', { name: 'Take a photo' }).waitFor();
    await findMe.getByTestId('photo-input').setInputFiles(file);
    await findMe.getByTestId('photo-preview').waitFor();
    await findMe.getByRole('button', { name: 'Use this photo' }).click();
    await findMe.getByRole('button', { name: 'Remove my photo' }).waitFor({ timeout: 10_000 });
    await findMe.getByTestId('photo').waitFor();
  }

  beforeAll(async () => {
    mkdirSync(photos, { recursive: true });
    server = await anAppServer('pglite', { realClock: true });
    org = await anOrganiser(server);
    eventId = await anOpenEvent(org, { name: 'Harbour Founders Night', ...tonight() });
    expect((await org.put(`/api/events/${eventId}/meeting-points`, { points: [{ name: 'Spot A: by the window' }, { name: 'Table 4' }] })).status).toBe(200);
    // Ana is here for the first time: Ben is the one asked to go to her.
    ana = await aGuest(org, eventId, { name: 'Ana Sousa', company: 'Tidewater', firstTime: true });
    ben = await aGuest(org, eventId, { name: 'Ben Okafor', company: 'Greenfield Ventures' });
    cleo = await aGuest(org, eventId, { name: 'Cleo Park', company: 'Harbour Labs' });
    const people: [typeof ana, Partial<IntentBody>][] = [
      [ana, { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'] }],
      [ben, { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] }],
      [cleo, { seeks: ['Hiring'], offers: ['Engineering'], interests: ['Climate'] }],
    ];
    await checkedInAtAKiosk(server, org, eventId, people);
    browser = await aBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it("shows each the other's photo, a proposed spot and the other's 'on my way' once both said yes", async () => {
    const anaPhone = await aPhone(ana);
    const benPhone = await aPhone(ben);

    // Ana takes, previews and retakes before she uses one; Ben skips, then changes his mind.
    const first = await aCameraPhoto('ana-1', { r: 40, g: 90, b: 200 });
    const findMe = anaPhone.locator('#find-me');
    await findMe.getByTestId('photo-input').setInputFiles(first);
    await findMe.getByTestId('photo-preview').waitFor();
    await screenshot(anaPhone, 'meeting-me-photo-preview');
    await findMe.getByRole('button', { name: 'Cancel' }).click();
    await takePhoto(anaPhone, await aCameraPhoto('ana-2', { r: 200, g: 60, b: 40 }));
    await benPhone.locator('#find-me').getByRole('button', { name: 'Skip' }).click();
    await benPhone.locator('#find-me').getByRole('button', { name: 'Add one after all' }).click();
    await takePhoto(benPhone, await aCameraPhoto('ben', { r: 30, g: 160, b: 90 }));

    await anaPhone.getByRole('textbox', { name: 'Where I am' }).fill('by the window, red scarf');
    await anaPhone.locator('#find-me').getByRole('button', { name: 'Save' }).click();
    await anaPhone.locator('#find-me').getByText(/Shown to the people you both said yes to or were introduced to, written at/).waitFor();

    // No face before both said yes.
    await cardOf(anaPhone, 'Ben Okafor').waitFor({ timeout: 10_000 });
    await expect(cardOf(anaPhone, 'Ben Okafor').getByTestId('photo').count()).resolves.toBe(0);
    await cardOf(anaPhone, 'Ben Okafor').getByRole('button', { name: /I.d like to meet/ }).click();
    const anaOnBen = cardOf(benPhone, 'Ana Sousa');
    await anaOnBen.getByText('Ana would like to meet you').waitFor({ timeout: 8000 });
    await expect(anaOnBen.getByTestId('photo').count()).resolves.toBe(0);
    await anaOnBen.getByRole('button', { name: /I.d like to meet/ }).click();

    // Both see the other's face and the same proposed spot.
    const benOnAna = cardOf(anaPhone, 'Ben Okafor');
    for (const card of [benOnAna, anaOnBen]) {
      const img = card.getByTestId('photo');
      await img.waitFor({ timeout: 8000 });
      await expect(img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0)).resolves.toBe(true);
      await expect(card.getByTestId('meeting-point').textContent()).resolves.toMatch(/^Meet at (Spot A: by the window|Table 4) around \d{1,2}:\d\d( [AP]M)?\.$/);
    }
    await expect(benOnAna.getByTestId('meeting-point').textContent()).resolves.toBe(await anaOnBen.getByTestId('meeting-point').textContent());
    // The edges first: Ben goes to the newcomer, and her phone tells her he is coming.
    const spotName = (await benOnAna.getByTestId('meeting-point').textContent())!.replace(/^Meet at (.*) around .*$/, '$1');
    await expect(anaOnBen.getByTestId('nudge').textContent()).resolves.toBe(`Ana is new here: please go and find them at ${spotName}.`);
    await expect(benOnAna.getByTestId('nudge').textContent()).resolves.toBe(`Ben is coming to you at ${spotName}: wait there and look out for them.`);
    await expect(anaOnBen.getByTestId('where-they-are').textContent()).resolves.toContain('“by the window, red scarf”');
    await screenshot(benPhone, 'meeting-me-mutual-card');

    // Ben is on his way: Ana's card says so without a reload.
    await anaOnBen.getByRole('button', { name: /I.m on my way/ }).click();
    await anaOnBen.getByTestId('my-way').waitFor({ timeout: 5000 });
    await benOnAna.getByText(/Ben is on their way \(since \d{1,2}:\d\d( [AP]M)?\)\./).waitFor({ timeout: 5000 });

    // Ana picks the other spot: Ben sees it live.
    const spot = anaPhone.getByLabel('Meet somewhere else');
    const current = await spot.inputValue();
    const other = await spot.locator('option').evaluateAll((opts, cur) => (opts as HTMLOptionElement[]).find((o) => o.value && o.value !== cur)?.label ?? '', current);
    await spot.selectOption({ label: other });
    await anaOnBen.getByTestId('meeting-point').filter({ hasText: `Ana picked ${other}` }).waitFor({ timeout: 5000 });
    await screenshot(anaPhone, 'meeting-me-on-their-way');

    // "What others see" says who sees the photo; Cleo never added one.
    const anaSees = anaPhone.getByTestId('photo-visibility');
    await expect(anaSees.textContent()).resolves.toMatch(/Shown to the people you both said yes to, or were introduced to, on their phones/);
    await expect(anaSees.textContent()).resolves.toMatch(/Nobody else sees it: not the big screen, the kiosk or the organisers.? lists\./);
    await expect(anaSees.textContent()).resolves.toContain('The same people see your “where I am” line and when you wrote it.');
    await anaSees.scrollIntoViewIfNeeded();
    await screenshot(anaPhone, 'meeting-me-what-others-see');
    const cleoPhone = await aPhone(cleo);
    await expect(cleoPhone.getByTestId('photo-visibility').textContent()).resolves.toMatch(/None: you haven.t added a photo, so nobody sees one\./);
  });

  it("lets the organiser name the meeting points in the event's settings", async () => {
    const context = await aContext(browser, { viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    await context.addCookies([{ name: 'ew_session', value: org.cookie.split('=')[1] ?? '', url: server.url }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/dashboard/events/${eventId}/settings`);
    const editor = page.getByRole('region', { name: 'Meeting points' });
    await expect(editor.getByRole('textbox', { name: 'Meeting point 1' }).inputValue()).resolves.toBe('Spot A: by the window');
    await editor.getByRole('button', { name: 'Add a meeting point' }).click();
    await editor.getByRole('textbox', { name: 'Meeting point 3' }).fill("The bar's left end");
    await editor.getByRole('button', { name: 'Remove Table 4' }).click();
    // Zones: each spot's, and the zone of the kiosk, so pairs meet near where they came in.
    // (A field that offers the zones already named is a combobox.)
    await editor.getByRole('combobox', { name: 'Zone of meeting point 1' }).fill('Ground floor');
    await editor.getByRole('combobox', { name: 'Zone of meeting point 2' }).fill('Terrace');
    await editor.getByRole('group', { name: 'Which zone is each kiosk in?' }).getByRole('combobox').first().fill('Ground floor');
    await editor.getByRole('button', { name: 'Save meeting points' }).click();
    await editor.getByText('Saved. Pairs sent to a removed spot get another one.').waitFor();
    await screenshot(page, 'meeting-dashboard-points');
    const stored = await org.get(`/api/events/${eventId}/meeting-points`);
    const body = stored.body as MeetingPoints;
    expect(body.points.map((p) => [p.name, p.zone])).toEqual([
      ['Spot A: by the window', 'Ground floor'],
      ["The bar's left end", 'Terrace'],
    ]);
    expect(body.kiosks.map((k) => k.zone)).toEqual(['Ground floor']);
  });
});
