/**
 * The security headers on every response (API, pages, /me): a CSP fitted to the client we
 * build and serve ourselves, no framing, no sniffing, no referrer, and HSTS only where the
 * public address is https.
 *
 * What the built client needs (client/dist): module scripts from our own origin and no inline
 * script or eval (zod runs jitless in the browser, client/src/lib/zodConfig.ts); stylesheets
 * from our own origin and no inline styles (the follow-up mail preview, whose HTML keeps
 * inline styles as mails do, is a page of its own with its own policy); QR codes drawn as
 * inline SVG or loaded from our API; the kiosk's camera through getUserMedia (a MediaStream on
 * `srcObject`, which no fetch directive governs) and BarcodeDetector or jsQR (plain
 * JavaScript: no WebAssembly, so no 'wasm-unsafe-eval'); socket.io on the same origin;
 * downloads through blob: links.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * The websocket origin matching a public URL, for browsers that do not yet count ws(s): of
 * their own host as 'self'. Read on every response: the tests learn their port after the app is built.
 */
function websocketOrigin(publicUrl: string): string {
  try {
    const url = new URL(publicUrl);
    return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
  } catch {
    return "'self'";
  }
}

export function securityHeaders(publicUrl: () => string): RequestHandler[] {
  const https = publicUrl().startsWith('https:');
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'", () => websocketOrigin(publicUrl())],
          mediaSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // Over plain http (a laptop on the venue's LAN) upgrading would break every request.
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      // Links carry secrets (/me?code=, /t/<secret>, /dashboard/setup?token=): nothing leaks them onward.
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: https ? { maxAge: YEAR_SECONDS, includeSubDomains: false } : false,
      xFrameOptions: { action: 'deny' },
      crossOriginEmbedderPolicy: false,
    }),
    (_req, res, next) => {
      // The kiosk scans with its camera; nothing else, and no embedded page, asks for devices.
      res.setHeader('permissions-policy', 'camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()');
      next();
    },
  ];
}
