import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendeePhotos } from '@edgewise/db';
import { aGuest, anOpenEvent, anOrganiser, type Organiser } from '../fixtures/builders';
import type { TestServer } from '../fixtures/server';
import { aBrowser, aPage, anAppServer, browserAvailable, screenshot, tonight } from './harness';

/**
 * The kiosk offers a photo after the intent, with its own camera (Chromium's fake one here):
 * take, look, retake, use; or skip with one tap. Nothing is stored before "Use this photo".
 */
describe.skipIf(!browserAvailable)('a photo at the kiosk, in a real browser with a camera', () => {
  let server: TestServer;
  let org: Organiser;
  let eventId: string;
  let browser: Browser;
  let page: Page;

  const photoOf = async (attendeeId: string) =>
    (await server.database.db.select().from(attendeePhotos).where(eq(attendeePhotos.attendeeId, attendeeId)))[0] ?? null;

  /** What a handheld scanner does: types the QR text into whatever has the focus, then Enter. */
  async function scanWithHandheld(text: string) {
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'ticket-input');
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  /** Checked in by ticket, then the intent's two pages saved: the photo step comes next. */
  async function checkInAndStateIntent(name: string) {
    const guest = await aGuest(org, eventId, { name });
    await scanWithHandheld(`${server.url}/t/${guest.secret}`);
    await page.getByRole('heading', { name: `Welcome, ${name}!` }).waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: /Tell people what you.re looking for/ }).click();
    await page.getByRole('group', { name: /I.m looking for/ }).getByRole('button', { name: 'Investors' }).click();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByRole('button', { name: 'Yes, show me' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Add a photo so your matches can find you' }).waitFor();
    return guest;
  }

  /** Each step fits the kiosk's screen: nothing to scroll to. */
  const fitsTheScreen = () => page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1);

  beforeAll(async () => {
    server = await anAppServer('pglite', { realClock: true });
    org = await anOrganiser(server);
    eventId = await anOpenEvent(org, { name: 'Climate Tech Night', ...tonight() });
    browser = await aBrowser({ fakeCamera: true });
    ({ page } = await aPage(browser, server, { viewport: { width: 1280, height: 800 } }));
    const code = await org.post(`/api/events/${eventId}/pairing-codes`, { kind: 'kiosk', name: 'Front door' });
    await page.goto('/kiosk');
    await page.getByLabel('Pairing code').fill((code.body as { code: string }).code);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('takes, shows, retakes and stores a photo only when the guest uses it', async () => {
    const ana = await checkInAndStateIntent('Ana Lens');
    const take = page.getByRole('button', { name: 'Take my photo' });
    const skip = page.getByRole('button', { name: 'Skip' });
    // Skipping is as easy to reach as taking: one tap, a button as big.
    const [takeBox, skipBox] = [await take.boundingBox(), await skip.boundingBox()];
    expect(skipBox!.height).toBeGreaterThanOrEqual(takeBox!.height);
    expect(skipBox!.height).toBeGreaterThanOrEqual(56);
    await page.waitForFunction(() => ((document.querySelector('[data-testid="kiosk-photo"] video') as HTMLVideoElement | null)?.videoWidth ?? 0) > 0);
    await expect(page.getByText('Only the people you both say yes to, or are introduced to, see it, on their phones.').isVisible()).resolves.toBe(true);
    expect(await fitsTheScreen()).toBe(true);
    await screenshot(page, 'kiosk-photo-1280x800-camera');

    await take.click();
    await page.getByTestId('kiosk-photo-still').waitFor();
    await expect(page.getByRole('img', { name: 'Your photo, Ana Lens, not saved yet' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'kiosk-photo-1280x800-preview');
    // Looked at, not used: nothing has left the kiosk.
    expect(await photoOf(ana.id)).toBeNull();

    await page.getByRole('button', { name: 'Retake' }).click();
    await take.click();
    await page.getByRole('button', { name: 'Use this photo' }).click();
    await page.getByRole('heading', { name: /Thanks! You.re all set/ }).waitFor();
    await expect(page.getByText('Your photo is saved: you can change or remove it on your phone.').isVisible()).resolves.toBe(true);
    const stored = await photoOf(ana.id);
    expect(stored).not.toBeNull();
    // The camera's frame, fitted in 512 px, a JPEG without metadata.
    const meta = await sharp(stored!.jpeg).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 512 });
    expect(meta.height).toBeLessThan(512);
    expect(meta.exif).toBeUndefined();
    await page.getByRole('button', { name: 'Done' }).click();
  });

  it('skips with one tap and stores nothing, and fits each kiosk screen', async () => {
    await page.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
    const ben = await checkInAndStateIntent('Ben Skipper');
    await page.getByRole('button', { name: 'Skip' }).click();
    await page.getByRole('heading', { name: /Thanks! You.re all set/ }).waitFor();
    await expect(page.getByText('Your photo is saved').count()).resolves.toBe(0);
    expect(await photoOf(ben.id)).toBeNull();
    await page.getByRole('button', { name: 'Done' }).click();

    await page.setViewportSize({ width: 800, height: 1280 });
    await page.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
    const cleo = await checkInAndStateIntent('Cleo Portrait');
    await page.waitForFunction(() => ((document.querySelector('[data-testid="kiosk-photo"] video') as HTMLVideoElement | null)?.videoWidth ?? 0) > 0);
    expect(await fitsTheScreen()).toBe(true);
    await screenshot(page, 'kiosk-photo-800x1280-camera');
    await page.getByRole('button', { name: 'Take my photo' }).click();
    await page.getByTestId('kiosk-photo-still').waitFor();
    expect(await fitsTheScreen()).toBe(true);
    await screenshot(page, 'kiosk-photo-800x1280-preview');
    await page.getByRole('button', { name: 'Skip' }).click();
    await page.getByRole('heading', { name: /Thanks! You.re all set/ }).waitFor();
    expect(await photoOf(cleo.id)).toBeNull();

    // The other kiosk sizes the steps are made for: the step fits without scrolling there too.
    for (const [width, height, name] of [
      [1024, 768, 'Dora Small'],
      [1080, 1920, 'Eli Totem'],
    ] as const) {
      await page.getByRole('button', { name: 'Done' }).click();
      await page.setViewportSize({ width, height });
      await page.getByRole('heading', { name: 'Scan your ticket' }).waitFor();
      await checkInAndStateIntent(name);
      await page.getByRole('button', { name: 'Take my photo' }).click();
      await page.getByTestId('kiosk-photo-still').waitFor();
      expect(await fitsTheScreen()).toBe(true);
      await screenshot(page, `kiosk-photo-${width}x${height}-preview`);
      await page.getByRole('button', { name: 'Skip' }).click();
      await page.getByRole('heading', { name: /Thanks! You.re all set/ }).waitFor();
    }
  });
});
