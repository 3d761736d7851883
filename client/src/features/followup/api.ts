import type { FollowupOverview, FollowupPreview, MyData, SendFollowupsResult } from '@edgewise/shared';
import { apiRequest, ApiError } from '../../lib/api';
import { translate } from '../../lib/i18n';
import { organiserRequest } from '../auth/session';

const base = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`;

// The organiser's side ---------------------------------------------------------------

export const getFollowups = (eventId: string) => organiserRequest<FollowupOverview>('GET', `${base(eventId)}/followups`);
export const getFollowupPreview = (eventId: string, attendeeId: string) =>
  organiserRequest<FollowupPreview>('GET', `${base(eventId)}/attendees/${encodeURIComponent(attendeeId)}/followup/preview`);
export const sendFollowups = (eventId: string, attendeeId?: string) =>
  organiserRequest<SendFollowupsResult>('POST', `${base(eventId)}/followups/send`, attendeeId ? { attendeeId } : {});

// The attendee's side (their own session token) -----------------------------------------

export const getMyFollowup = (token: string) => apiRequest<FollowupPreview>('GET', '/api/me/followup', undefined, { deviceToken: token });
export const getMyData = (token: string) => apiRequest<MyData>('GET', '/api/me/data', undefined, { deviceToken: token });
export const deleteMe = (token: string) => apiRequest<void>('DELETE', '/api/me', { confirm: 'delete my data' }, { deviceToken: token });

/** A file the server answers behind a bearer token, which a plain link cannot send. */
export async function fetchFile(path: string, token: string): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  } catch {
    throw new ApiError(0, 'network', translate('common.serverUnreachable'));
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: ApiError['code']; message?: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? 'internal', body?.error?.message ?? translate('common.requestFailed', { status: res.status }));
  }
  return res.blob();
}

/** Hands a blob to the browser as a download with the given name. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
