import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { startServer, type DbKind, type TestServer } from '../fixtures/server';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const clientDist = path.join(repoRoot, 'client/dist');
export const artifacts = path.join(repoRoot, 'tests/.artifacts');

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The browser suite needs Debian's Chromium and a built client; without them it is skipped. */
export const browserAvailable = existsSync(chromiumPath) && existsSync(path.join(clientDist, 'index.html'));

const baseFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Starts Chromium; with `fakeCamera`, the page has a camera: showing that Y4M file, or with
 * `true` Chromium's own test pattern (a picture with no code in it).
 */
export async function aBrowser(opts: { fakeCamera?: string | true } = {}): Promise<Browser> {
  const args = [...baseFlags];
  if (opts.fakeCamera) args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream');
  if (typeof opts.fakeCamera === 'string') args.push(`--use-file-for-fake-video-capture=${opts.fakeCamera}`);
  return chromium.launch({ executablePath: chromiumPath, args, headless: true });
}

/**
 * The app server with the built client, as `npm start` serves it. With `realClock`, the
 * server's clock keeps to the machine's: pages stamp scans and count down with the
 * browser's own clock, which a fixed test clock would put in the future or the past.
 */
export async function anAppServer(kind: DbKind = 'pglite', opts: { realClock?: boolean } = {}): Promise<TestServer> {
  const server = await startServer(kind, { clientDist });
  if (!opts.realClock) return server;
  server.clock.set(Date.now());
  const ticker = setInterval(() => server.clock.set(Date.now()), 100);
  const close = server.close.bind(server);
  server.close = async () => {
    clearInterval(ticker);
    await close();
  };
  return server;
}

/** An open event happening now: started an hour ago, ends in four hours (for a server on `realClock`). */
export const tonight = () => ({ startsAt: new Date(Date.now() - 3600_000).toISOString(), endsAt: new Date(Date.now() + 4 * 3600_000).toISOString() });

/** What a phone gives a page: a narrow, touch screen. */
export const aPhoneScreen: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** What the pages of a context logged about the Content-Security-Policy, page by page. */
const cspReports = new WeakMap<Page, string[]>();
const isCspReport = (text: string) => /content security policy|securitypolicyviolation/i.test(text);

/**
 * Listens to a page for what a person would not see: script errors, and anything the
 * Content-Security-Policy refused (Chromium logs "Refused to ... Content Security Policy"; the
 * init script below also logs every `securitypolicyviolation` event). `screenshot` fails on the latter.
 */
function watch(page: Page) {
  if (cspReports.has(page)) return;
  const reports: string[] = [];
  cspReports.set(page, reports);
  page.on('console', (message) => {
    if (isCspReport(message.text())) reports.push(message.text());
  });
  page.on('pageerror', (err) => {
    if (isCspReport(err.message)) reports.push(err.message);
    console.error('[pageerror]', err.message);
  });
}

/** A browser context whose every page is watched (see `watch`); all the suite's pages come from here. */
export async function aContext(browser: Browser, options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  // Runs before the page's own scripts, through the DevTools protocol: the CSP does not apply to it.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`[securitypolicyviolation] ${e.effectiveDirective} refused ${e.blockedURI || 'inline code'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  context.on('page', watch);
  return context;
}

/** A page in a new context on the server: a desktop-sized window by default, the camera allowed. */
export async function aPage(browser: Browser, server: TestServer, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await aContext(browser, { baseURL: server.url, viewport: { width: 1280, height: 900 }, ...options });
  await context.grantPermissions(['camera'], { origin: server.url });
  const page = await context.newPage();
  watch(page);
  return { context, page };
}

/**
 * Keeps a picture of the page as a person sees it, and checks it with axe-core there and
 * then: every state the suite looks at is a state someone uses, so each must pass. Nothing
 * the page did until now may have been refused by the Content-Security-Policy either.
 */
export async function screenshot(page: Page, name: string) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  const reports = cspReports.get(page);
  if (!reports) throw new Error(`${name}: the page was not opened through aContext or aPage, so its CSP reports are unknown`);
  if (reports.length > 0) throw new Error(`Content-Security-Policy on ${name}: ${reports.join('; ')}`);
  const violations = await axeViolations(page);
  if (violations.length > 0) throw new Error(`axe-core on ${name}: ${violations.join('; ')}`);
}

/**
 * Writes a Y4M video (what Chromium's fake camera reads) showing a QR code of `text`,
 * drawn from the QR module matrix: a real code the kiosk must find and decode.
 */
export function writeQrVideo(text: string, file: string, opts: { width?: number; height?: number; frames?: number } = {}) {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  const frames = opts.frames ?? 10;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const quiet = 4;
  const scale = Math.floor(Math.min(width, height) * 0.8 / (size + quiet * 2));
  const side = (size + quiet * 2) * scale;
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  const y = Buffer.alloc(width * height, 200); // a light grey room
  for (let row = 0; row < side; row++) {
    for (let col = 0; col < side; col++) {
      const mr = Math.floor(row / scale) - quiet;
      const mc = Math.floor(col / scale) - quiet;
      const dark = mr >= 0 && mc >= 0 && mr < size && mc < size && qr.modules.get(mr, mc) === 1;
      y[(top + row) * width + left + col] = dark ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
  return file;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's moderate, serious and critical violations on the page as it is now (minor ones are advice). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, so the page's CSP (self-hosted scripts only) does not block it.
  await page.evaluate(`${axeSource}\n;0`);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'moderate' || v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
