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

/** A venue drawn as a plan: two halls, a bar and a stage, exported as a PNG of 1600 x 1000. */
function aDrawnPlan(file: string) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1000">
    <rect width="1600" height="1000" fill="#fbfaf6"/>
    <g fill="none" stroke="#333" stroke-width="8"><rect x="40" y="40" width="740" height="920"/><rect x="820" y="40" width="740" height="920"/></g>
    <rect x="80" y="80" width="300" height="120" fill="#d8e6f0"/><rect x="1180" y="80" width="340" height="160" fill="#f0e0c8"/>
    <g font-family="sans-serif" font-size="56" fill="#333"><text x="300" y="560">Hall A</text><text x="1080" y="560">Hall B</text>
    <text x="120" y="160" font-size="40">Bar</text><text x="1240" y="170" font-size="40">Stage</text></g></svg>`;
  return sharp(Buffer.from(svg)).png().toFile(file);
}

/**
 * The organiser uploads the venue's plan in the dashboard and pins the meeting points on it
 * (by a click, and by typing a place); two guests say yes to each other and the phone shows
 * the plan with their spot marked.
 */
describe.skipIf(!browserAvailable)('the floor plan with pins, in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let org: Organiser;
  let eventId = '';
  let ana: Awaited<ReturnType<typeof aGuest>>;
  let ben: Awaited<ReturnType<typeof aGuest>>;
  const contexts: BrowserContext[] = [];
  /** Ben's phone, showing Ana's card with the plan (second test), for the last one. */
  let benPhone: Page | null = null;
  const files = path.join(artifacts, 'floor-plan');

  beforeAll(async () => {
    mkdirSync(files, { recursive: true });
    server = await anAppServer('pglite', { realClock: true });
    org = await anOrganiser(server);
    eventId = await anOpenEvent(org, { name: 'Harbour Founders Night', ...tonight() });
    expect((await org.put(`/api/events/${eventId}/meeting-points`, { points: [{ name: 'Spot A: by the bar' }, { name: 'Spot B: by the stage' }] })).status).toBe(200);
    ana = await aGuest(org, eventId, { name: 'Ana Sousa', company: 'Tidewater', firstTime: true });
    ben = await aGuest(org, eventId, { name: 'Ben Okafor', company: 'Greenfield Ventures' });
    const people: [typeof ana, Partial<IntentBody>][] = [
      [ana, { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'] }],
      [ben, { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] }],
    ];
    await checkedInAtAKiosk(server, org, eventId, people);
    browser = await aBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('lets the organiser upload a plan and pin the meeting points on it, by a click and by typing', async () => {
    const context = await aContext(browser, { viewport: { width: 1920, height: 1080 } });
    contexts.push(context);
    await context.addCookies([{ name: 'ew_session', value: org.cookie.split('=')[1] ?? '', url: server.url }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/dashboard/events/${eventId}/settings`);
    const editor = page.getByRole('region', { name: 'Meeting points' });
    await editor.getByRole('button', { name: 'Upload a floor plan' }).waitFor();

    const file = path.join(files, 'venue.png');
    await aDrawnPlan(file);
    await editor.getByTestId('floor-plan-file').setInputFiles(file);
    await editor.getByText('Plan uploaded. Now put the meeting points on it.').waitFor({ timeout: 15_000 });
    const plan = editor.getByRole('img', { name: /^Floor plan of the venue/ });
    await plan.waitFor();
    await expect(plan.getAttribute('aria-label')).resolves.toBe('Floor plan of the venue, no pins yet');
    // The image itself is shown (the organiser's session fetches it), not an empty frame.
    await expect(plan.locator('image').evaluate((el) => (el as SVGImageElement).getBBox().width)).resolves.toBe(1600);

    // Spot A, the first without a pin, is chosen: a click by the bar puts it there.
    await expect(editor.getByRole('combobox', { name: 'Put on the plan' }).inputValue()).resolves.toBe(
      await editor.getByRole('option', { name: '1. Spot A: by the bar' }).getAttribute('value'),
    );
    const box = (await plan.boundingBox())!;
    await plan.click({ position: { x: box.width * 0.15, y: box.height * 0.3 } });
    await editor.getByTestId('pin-1').waitFor();
    // The next spot without a pin is chosen at once: Spot B, placed by the keyboard, its place typed.
    await expect(editor.getByTestId('pin-place').textContent()).resolves.toMatch(/^\s*2\. Spot B: by the stage is not on the plan yet\.\s*$/);
    await editor.getByRole('spinbutton', { name: 'From the left (%)' }).fill('84');
    await editor.getByRole('spinbutton', { name: 'From the left (%)' }).press('Tab');
    await editor.getByRole('spinbutton', { name: 'From the top (%)' }).fill('16');
    await editor.getByRole('spinbutton', { name: 'From the top (%)' }).press('Tab');
    await editor.getByTestId('pin-2').waitFor();
    // The kiosk stands at the door of Hall B.
    await editor.getByRole('combobox', { name: 'Put on the plan' }).selectOption({ index: 2 });
    await editor.getByText(/^Click or tap the plan where Kiosk “kiosk \d+” \(K1\) is, or type its place:$/).waitFor();
    await plan.click({ position: { x: box.width * 0.55, y: box.height * 0.9 } });
    await editor.getByTestId('pin-K1').waitFor();
    await expect(plan.getAttribute('aria-label')).resolves.toBe('Floor plan of the venue, 3 pins');
    await editor.getByText('Save the meeting points to keep the pins.').waitFor();
    await screenshot(page, 'floor-plan-dashboard');

    await editor.getByRole('button', { name: 'Save meeting points' }).click();
    const outcome = editor.getByText('Saved. Pairs sent to a removed spot get another one.').or(editor.getByRole('alert'));
    await outcome.waitFor();
    await expect(outcome.textContent()).resolves.toBe('Saved. Pairs sent to a removed spot get another one.');
    const stored = (await org.get(`/api/events/${eventId}/meeting-points`)).body as MeetingPoints;
    const [a, b] = stored.points;
    expect(a!.pin!.x).toBeCloseTo(0.15, 1);
    expect(a!.pin!.y).toBeCloseTo(0.3, 1);
    expect(b!.pin).toEqual({ x: 0.84, y: 0.16 });
    expect(stored.kiosks[0]!.pin!.x).toBeCloseTo(0.55, 1);
    expect(stored.floorPlan).toMatchObject({ width: 1600, height: 1000 });
  });

  it('shows a pair who both said yes the plan with their spot marked, larger on a tap', async () => {
    const phone = async (guest: { id: string }): Promise<Page> => {
      const { context, page } = await aPage(browser, server, aPhoneScreen);
      contexts.push(context);
      await page.goto(`/me?code=${await aSignInCode(server, guest.id)}`);
      await page.locator('#find-me').waitFor({ timeout: 10_000 });
      return page;
    };
    const anaPhone = await phone(ana);
    const bens = await phone(ben);
    benPhone = bens;
    const cardOf = (page: Page, name: string) => page.locator('#meet').getByRole('article', { name });
    await cardOf(anaPhone, 'Ben Okafor').getByRole('button', { name: /I.d like to meet/ }).click({ timeout: 10_000 });

    await cardOf(bens, 'Ana Sousa').getByRole('button', { name: /I.d like to meet/ }).click({ timeout: 10_000 });
    const card = cardOf(bens, 'Ana Sousa');
    const spot = (await card.getByTestId('meeting-point').textContent({ timeout: 8000 }))!.replace(/^Meet at (.*) around .*$/, '$1');
    expect(['Spot A: by the bar', 'Spot B: by the stage']).toContain(spot);
    const plan = card.getByRole('img', { name: `Floor plan of the venue, with ${spot} marked` });
    await plan.waitFor({ timeout: 8000 });
    // The pin stands where the organiser put that spot.
    const stored = (await org.get(`/api/events/${eventId}/meeting-points`)).body as MeetingPoints;
    const pin = stored.points.find((p) => p.name === spot)!.pin!;
    const transform = await card.getByTestId('floor-plan-pin').getAttribute('transform');
    const [x, y] = /translate\(([\d.]+) ([\d.]+)\)/.exec(transform ?? '')!.slice(1).map(Number);
    expect(x! / 1600).toBeCloseTo(pin.x, 3);
    expect(y! / 1000).toBeCloseTo(pin.y, 3);
    await card.getByTestId('meeting-point').scrollIntoViewIfNeeded();
    await screenshot(bens, 'floor-plan-me-card');

    const small = (await plan.boundingBox())!.height;
    await card.getByRole('button', { name: 'Show the plan larger' }).click();
    await card.getByRole('button', { name: 'Show the plan smaller' }).waitFor();
    expect((await plan.boundingBox())!.height).toBeGreaterThan(small * 1.5);
    // Zoomed in around the spot: its pin is in view in the frame.
    const frame = (await card.getByTestId('floor-plan').locator('.me-plan-frame').boundingBox())!;
    const marked = (await card.getByTestId('floor-plan-pin').boundingBox())!;
    expect(marked.x).toBeGreaterThanOrEqual(frame.x);
    expect(marked.x + marked.width).toBeLessThanOrEqual(frame.x + frame.width);
    expect(marked.y).toBeGreaterThanOrEqual(frame.y);
    expect(marked.y + marked.height).toBeLessThanOrEqual(frame.y + frame.height);
    await card.getByTestId('floor-plan').scrollIntoViewIfNeeded();
    await screenshot(bens, 'floor-plan-me-card-large');
    // Ana's phone shows the same spot on the plan.
    await cardOf(anaPhone, 'Ben Okafor').getByRole('img', { name: `Floor plan of the venue, with ${spot} marked` }).waitFor({ timeout: 8000 });
  });

  it('removes the plan with its pins when the organiser confirms, and the phones stop showing it at once', async () => {
    const context = await aContext(browser, { viewport: { width: 1920, height: 1080 } });
    contexts.push(context);
    await context.addCookies([{ name: 'ew_session', value: org.cookie.split('=')[1] ?? '', url: server.url }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/dashboard/events/${eventId}/settings`);
    const editor = page.getByRole('region', { name: 'Meeting points' });
    await editor.getByRole('button', { name: 'Remove the plan' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove the floor plan?' });
    await dialog.getByText('The 3 pins on it go too (the meeting points stay), and phones stop showing the plan.').waitFor();
    await dialog.getByRole('button', { name: 'Remove the plan' }).click();
    await editor.getByText('Plan removed, with its pins.').waitFor();
    await editor.getByRole('button', { name: 'Upload a floor plan' }).waitFor();
    await expect(editor.getByRole('img', { name: /^Floor plan/ }).count()).resolves.toBe(0);
    const stored = (await org.get(`/api/events/${eventId}/meeting-points`)).body as MeetingPoints;
    expect(stored.floorPlan).toBeNull();
    expect([...stored.points, ...stored.kiosks].map((p) => p.pin)).toEqual([null, null, null]);
    // Ben's card still names the spot, without the plan, without a reload.
    const card = benPhone!.locator('#meet').getByRole('article', { name: 'Ana Sousa' });
    await card.getByTestId('floor-plan').waitFor({ state: 'detached', timeout: 8000 });
    await expect(card.getByTestId('meeting-point').textContent()).resolves.toMatch(/^Meet at Spot [AB]: by the (bar|stage) around /);
  });
});
