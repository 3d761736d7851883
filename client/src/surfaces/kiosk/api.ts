import type {
  CheckinBody,
  CheckinOutcome,
  Device,
  ErrorCode,
  Intent,
  IntentBody,
  KioskEvent,
  KioskMode,
  KioskSuggestion,
  NameSearchResult,
  PairResult,
  PhoneLink,
  SignInOptions,
  WalkInBody,
  WalkInResult,
} from '@edgewise/shared';
import { ApiError, apiRequest } from '../../lib/api';
import { currentLanguage, translate } from '../../lib/i18n';

/** Past this a check-in counts as offline and goes to the queue: people are waiting. */
export const CHECKIN_TIMEOUT_MS = 4000;

/** Whether this server mails sign-in links: the kiosk only points to "Email me my link" when it does. */
export const fetchSignInOptions = () => apiRequest<SignInOptions>('GET', '/api/me/sign-in', undefined, { timeoutMs: 4000 });

export const pairDevice = (code: string, mode: KioskMode) => apiRequest<PairResult>('POST', '/api/devices/pair', { code, mode });

export const fetchDevice = (token: string) =>
  apiRequest<{ device: Device; event: KioskEvent }>('GET', '/api/device', undefined, { deviceToken: token, timeoutMs: 8000 });

export const postCheckin = (token: string, eventId: string, body: CheckinBody) =>
  apiRequest<CheckinOutcome>('POST', `/api/events/${eventId}/checkins`, body, { deviceToken: token, timeoutMs: CHECKIN_TIMEOUT_MS });

export const postWalkIn = (token: string, eventId: string, body: WalkInBody) =>
  apiRequest<WalkInResult>('POST', `/api/events/${eventId}/walkins`, body, { deviceToken: token, timeoutMs: 8000 });

export const putIntent = (token: string, eventId: string, attendeeId: string, body: IntentBody) =>
  apiRequest<Intent>('PUT', `/api/events/${eventId}/attendees/${attendeeId}/intent`, body, { deviceToken: token, timeoutMs: 8000 });

export const fetchSuggestions = (token: string, eventId: string, attendeeId: string) =>
  apiRequest<KioskSuggestion[]>('GET', `/api/events/${eventId}/attendees/${attendeeId}/suggestions`, undefined, { deviceToken: token, timeoutMs: 3000 });

/** The photo of the guest this kiosk has just let in (the server refuses anyone else). */
export const putKioskPhoto = (token: string, eventId: string, attendeeId: string, photo: Blob) =>
  apiRequest<void>('PUT', `/api/events/${eventId}/attendees/${attendeeId}/photo`, undefined, {
    deviceToken: token,
    text: photo,
    contentType: photo.type || 'image/jpeg',
    timeoutMs: 20_000,
  });

/** A one-time link that opens the attendee's own page on their phone. */
export const createPhoneLink = (token: string, eventId: string, attendeeId: string) =>
  apiRequest<PhoneLink>('POST', `/api/events/${eventId}/attendees/${attendeeId}/phone-link`, {}, { deviceToken: token, timeoutMs: 5000 });

/** The saved intent, or null when there is none or the kiosk may not read it. */
export async function fetchIntent(token: string, eventId: string, attendeeId: string): Promise<Intent | null> {
  try {
    return await apiRequest<Intent>('GET', `/api/events/${eventId}/attendees/${attendeeId}/intent`, undefined, { deviceToken: token, timeoutMs: 3000 });
  } catch {
    return null;
  }
}

export interface NameSearchAnswer {
  results: NameSearchResult[];
  /** More people match than the kiosk may show: the person should type more. */
  tooMany: boolean;
}

/** Name search reads a response header (`x-too-many`), which `apiRequest` does not expose. */
export async function searchNames(token: string, eventId: string, q: string, signal: AbortSignal): Promise<NameSearchAnswer> {
  let res: Response;
  try {
    res = await fetch(`/api/events/${eventId}/kiosk/search?${new URLSearchParams({ q })}`, {
      headers: { accept: 'application/json', 'accept-language': currentLanguage.value, authorization: `Bearer ${token}` },
      signal,
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new ApiError(0, 'network', translate('common.serverUnreachable'));
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (data as { error?: { code?: ErrorCode; message?: string } } | null)?.error;
    if (res.status >= 502 && !e) throw new ApiError(res.status, 'network', translate('common.serverUnreachable'));
    throw new ApiError(res.status, e?.code ?? 'internal', e?.message ?? translate('common.requestFailed', { status: res.status }));
  }
  const flag = res.headers.get('x-too-many');
  const tooMany = flag !== null && flag !== '0' && flag !== 'false';
  return { results: Array.isArray(data) ? (data as NameSearchResult[]) : [], tooMany };
}
