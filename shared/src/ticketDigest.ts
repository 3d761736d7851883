/**
 * How a ticket travels in a kiosk's check-in list: never its secret, only an HMAC-SHA256 of
 * it keyed per event, so a list copied off a kiosk opens nothing and says nothing about
 * another event's tickets. The server computes it for the list; the kiosk computes it for
 * each scanned secret and looks it up: with WebCrypto where the page has it, and in plain
 * TypeScript where it has not (a kiosk served over http on the venue's LAN is no secure
 * context, so `crypto.subtle` is missing there).
 */
import { hmacSha256 } from './sha256';

const keyText = (eventId: string) => `edgewise-checkin-list:${eventId}`;

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Whether this runtime can compute digests: always, WebCrypto or not. */
export const canDigestTickets = () => true;

/** A function digesting ticket secrets for one event; the key is imported once. */
export async function ticketDigester(eventId: string): Promise<(secret: string) => Promise<string>> {
  const enc = new TextEncoder();
  const subtle = globalThis.crypto?.subtle;
  if (typeof subtle?.importKey !== 'function') {
    const keyBytes = enc.encode(keyText(eventId));
    return (secret) => Promise.resolve(base64url(hmacSha256(keyBytes, enc.encode(secret))));
  }
  const key = await subtle.importKey('raw', enc.encode(keyText(eventId)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return async (secret) => base64url(await subtle.sign('HMAC', key, enc.encode(secret)));
}
