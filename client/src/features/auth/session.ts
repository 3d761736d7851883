import { reactive, readonly } from 'vue';
import type { AcceptInvitationBody, LanguageCode, LoginBody, Organiser, SessionInfo, SetupBody, SetupStatus } from '@edgewise/shared';
import { ApiError, apiRequest, type RequestOptions } from '../../lib/api';
import { setLanguage } from '../../lib/i18n';

export type SessionStatus = 'unknown' | 'anonymous' | 'authenticated';

interface SessionState {
  status: SessionStatus;
  organiser: Organiser | null;
  csrfToken: string | null;
}

const state = reactive<SessionState>({ status: 'unknown', organiser: null, csrfToken: null });

/** The organiser's session as the dashboard knows it; changed only through this module. */
export const session = readonly(state);

function adopt(info: SessionInfo) {
  state.organiser = info.organiser;
  state.csrfToken = info.csrfToken;
  state.status = 'authenticated';
  // The dashboard speaks the organiser's own language, whichever browser they log in from.
  void setLanguage(info.language);
}

function forget() {
  state.organiser = null;
  state.csrfToken = null;
  state.status = 'anonymous';
}

/** Asks the server who is logged in. False (and anonymous) on 401; other failures throw. */
export async function loadSession(): Promise<boolean> {
  try {
    adopt(await apiRequest<SessionInfo>('GET', '/api/auth/session'));
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      forget();
      return false;
    }
    throw err;
  }
}

export async function fetchSetupStatus(): Promise<SetupStatus> {
  return apiRequest<SetupStatus>('GET', '/api/auth/setup');
}

export async function setupFirstOrganiser(body: SetupBody): Promise<void> {
  adopt(await apiRequest<SessionInfo>('POST', '/api/auth/setup', body));
}

export async function login(body: LoginBody): Promise<void> {
  adopt(await apiRequest<SessionInfo>('POST', '/api/auth/login', body));
}

/** Accepting a team invitation creates the account and logs it in. */
export async function acceptInvitation(body: AcceptInvitationBody): Promise<void> {
  adopt(await apiRequest<SessionInfo>('POST', '/api/auth/accept-invitation', body));
}

/** The organiser's own dashboard language: shown at once, kept for their next session. */
export async function setDashboardLanguage(language: LanguageCode): Promise<void> {
  await setLanguage(language);
  await organiserRequest<unknown>('PUT', '/api/auth/language', { language });
}

export async function logout(): Promise<void> {
  try {
    await organiserRequest<void>('POST', '/api/auth/logout');
  } finally {
    forget();
  }
}

/**
 * Every organiser call goes through here. It sends the CSRF token on writes; when the
 * server refuses the token (the session was renewed in another tab) it fetches the
 * current one and retries once; a 401 marks the session gone so the dashboard shows the
 * login page.
 */
export async function organiserRequest<T>(method: string, path: string, body?: unknown, opts: Omit<RequestOptions, 'csrf'> = {}): Promise<T> {
  const send = () => apiRequest<T>(method, path, body, { ...opts, csrf: state.csrfToken });
  try {
    return await send();
  } catch (err) {
    if (err instanceof ApiError && err.code === 'csrf_failed' && (await loadSession())) {
      try {
        return await send();
      } catch (again) {
        throw noteUnauthenticated(again);
      }
    }
    throw noteUnauthenticated(err);
  }
}

function noteUnauthenticated(err: unknown): unknown {
  if (err instanceof ApiError && err.code === 'unauthenticated') forget();
  return err;
}

/** For a socket refused at the handshake: the cookie may have expired meanwhile. */
export async function recheckSession(): Promise<void> {
  await loadSession().catch(() => undefined);
}
