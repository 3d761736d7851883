/**
 * How a ticket travels in a kiosk's check-in list: never its secret, only an HMAC-SHA256 of
 * it keyed per event, so a list copied off a kiosk opens nothing and says nothing about
 * another event's tickets. The server computes it for the list; the kiosk computes it for
 * each scanned secret (WebCrypto in both places) and looks it up.
 */

const keyText = (eventId: string) => `edgewise-checkin-list:${eventId}`;

function base64url(bytes: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Whether this runtime can compute digests (WebCrypto needs a secure context in a browser). */
export const canDigestTickets = () => typeof globalThis.crypto?.subtle?.importKey === 'function';

/** A function digesting ticket secrets for one event; the key is imported once. */
export async function ticketDigester(eventId: string): Promise<(secret: string) => Promise<string>> {
  const enc = new TextEncoder();
  const key = await globalThis.crypto.subtle.importKey('raw', enc.encode(keyText(eventId)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return async (secret) => base64url(await globalThis.crypto.subtle.sign('HMAC', key, enc.encode(secret)));
}
