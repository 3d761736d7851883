import type { Attendee, AttendeeInput, CheckinOutcome, AttendeePatch, GuestListEntry, ImportPreview, ImportResult, TicketInfo } from '@edgewise/shared';
import { organiserRequest } from '../auth/session';

const attendees = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}/attendees`;
const attendee = (eventId: string, attendeeId: string) => `${attendees(eventId)}/${encodeURIComponent(attendeeId)}`;

export function listGuests(eventId: string, q = '') {
  const query = q.trim() ? `?${new URLSearchParams({ q: q.trim() })}` : '';
  return organiserRequest<GuestListEntry[]>('GET', `${attendees(eventId)}${query}`);
}
export const addAttendee = (eventId: string, body: AttendeeInput) => organiserRequest<Attendee>('POST', attendees(eventId), body);
export const updateAttendee = (eventId: string, attendeeId: string, body: AttendeePatch) =>
  organiserRequest<Attendee>('PATCH', attendee(eventId, attendeeId), body);
export const removeAttendee = (eventId: string, attendeeId: string) => organiserRequest<void>('DELETE', attendee(eventId, attendeeId));

export const getTicket = (eventId: string, attendeeId: string) => organiserRequest<TicketInfo>('GET', `${attendee(eventId, attendeeId)}/ticket`);
export const reissueTicket = (eventId: string, attendeeId: string) =>
  organiserRequest<TicketInfo>('POST', `${attendee(eventId, attendeeId)}/ticket/reissue`);
export const revokeTicket = (eventId: string, attendeeId: string) => organiserRequest<void>('POST', `${attendee(eventId, attendeeId)}/ticket/revoke`);
/** The QR image; `v` changes with each ticket so the browser never shows a stale code. */
export const ticketQrUrl = (eventId: string, attendeeId: string, version: string) =>
  `${attendee(eventId, attendeeId)}/ticket/qr?format=svg&v=${encodeURIComponent(version)}`;

export const badgesUrl = (eventId: string, attendeeId?: string) =>
  `/api/events/${encodeURIComponent(eventId)}/badges${attendeeId ? `?attendeeId=${encodeURIComponent(attendeeId)}` : ''}`;

/** The file goes as its raw bytes: the server decides whether they are UTF-8. */
export const previewImport = (eventId: string, file: Blob) =>
  organiserRequest<ImportPreview>('POST', `${attendees(eventId)}/import/preview`, undefined, { text: file, timeoutMs: 60_000 });
export const commitImport = (eventId: string, file: Blob, skipDuplicates: boolean) =>
  organiserRequest<ImportResult>('POST', `${attendees(eventId)}/import?skipDuplicates=${skipDuplicates}`, undefined, { text: file, timeoutMs: 60_000 });

/** Ends every session of the guest (their page closes on every phone, sockets included). */
export const signOutGuest = (eventId: string, attendeeId: string) => organiserRequest<void>('POST', `${attendee(eventId, attendeeId)}/sign-out`);

/** Checks a guest in or out by hand (the log records who did it); the answer is the scan's outcome. */
export const setPresence = (eventId: string, attendeeId: string, type: 'entry' | 'exit') =>
  organiserRequest<CheckinOutcome>('POST', `${attendee(eventId, attendeeId)}/presence`, { type });
