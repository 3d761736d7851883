import type { MeSession, MeSessionBody } from '@edgewise/shared';
import { claimSession } from './api';

/** Where the phone keeps the attendee's own session token (nothing else about them). */
export const ME_TOKEN_KEY = 'edgewise.me';

export function loadToken(): string | null {
  try {
    const token = localStorage.getItem(ME_TOKEN_KEY);
    return token && token.length > 0 ? token : null;
  } catch {
    return null;
  }
}

/**
 * SHA-256 digests of the one-time codes this phone traded for the stored session, kept beside
 * it: opening the same link again (the QR scanned twice, the mail tapped again) opens that
 * session instead of asking the server to spend a spent code. The digest, not the code, so
 * storage never holds a link, spent or not.
 */
export const ME_SPENT_KEY = 'edgewise.me.spent';
const MAX_SPENT = 20;

export function saveToken(token: string | null) {
  try {
    if (token) {
      if (localStorage.getItem(ME_TOKEN_KEY) !== token) localStorage.removeItem(ME_SPENT_KEY);
      localStorage.setItem(ME_TOKEN_KEY, token);
    } else {
      localStorage.removeItem(ME_TOKEN_KEY);
      localStorage.removeItem(ME_SPENT_KEY);
    }
  } catch {
    // Private browsing without storage: the session lasts as long as the page.
  }
}

/** Hex SHA-256 of a code; `null` where the page has no Web Crypto (plain http on a LAN address). */
async function digestOf(code: string): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const bytes = new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(code)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function spentDigests(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(ME_SPENT_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Whether this phone itself traded this code for the session it holds now. */
export async function spentHere(code: string): Promise<boolean> {
  if (!loadToken()) return false;
  const digest = await digestOf(code);
  return digest !== null && spentDigests().includes(digest);
}

async function rememberSpent(code: string) {
  const digest = await digestOf(code);
  if (!digest) return;
  try {
    localStorage.setItem(ME_SPENT_KEY, JSON.stringify([digest, ...spentDigests().filter((d) => d !== digest)].slice(0, MAX_SPENT)));
  } catch {
    // Without storage the next open asks the server, which still falls back to a live session.
  }
}

/** Trades a one-time code (the kiosk's phone link or a mailed sign-in link) for the attendee's session, and keeps it. */
export async function startSession(body: MeSessionBody): Promise<MeSession> {
  const session = await claimSession(body);
  saveToken(session.token);
  if ('code' in body) await rememberSpent(body.code);
  return session;
}
