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

export function saveToken(token: string | null) {
  try {
    if (token) localStorage.setItem(ME_TOKEN_KEY, token);
    else localStorage.removeItem(ME_TOKEN_KEY);
  } catch {
    // Private browsing without storage: the session lasts as long as the page.
  }
}

/** Trades a one-time code (the kiosk's phone link or a mailed sign-in link) for the attendee's session, and keeps it. */
export async function startSession(body: MeSessionBody): Promise<MeSession> {
  const session = await claimSession(body);
  saveToken(session.token);
  return session;
}
