import type { Attendee, AttendeeInput, CheckinOutcome, AttendeePatch, GuestListEntry, ImportField, ImportPreview, ImportResult, TicketInfo } from '@edgewise/shared';
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

/** A manual column mapping as the API takes it: `index:field` pairs, `ignore` to drop a column. */
export type ColumnChoices = ReadonlyMap<number, ImportField | null>;
const mappingQuery = (mapping: ColumnChoices) =>
  [...mapping].map(([index, field]) => `${index}:${field ?? 'ignore'}`).join(',');
const importQuery = (params: Record<string, string>, mapping: ColumnChoices) => {
  const q = new URLSearchParams(params);
  if (mapping.size > 0) q.set('mapping', mappingQuery(mapping));
  const text = q.toString();
  return text ? `?${text}` : '';
};

/** The file goes as its raw bytes: the server detects its encoding and separator. */
export const previewImport = (eventId: string, file: Blob, mapping: ColumnChoices = new Map()) =>
  organiserRequest<ImportPreview>('POST', `${attendees(eventId)}/import/preview${importQuery({}, mapping)}`, undefined, { text: file, timeoutMs: 60_000 });
export const commitImport = (eventId: string, file: Blob, options: { skipInvalid: boolean; mapping: ColumnChoices }) =>
  organiserRequest<ImportResult>('POST', `${attendees(eventId)}/import${importQuery({ skipInvalid: String(options.skipInvalid) }, options.mapping)}`, undefined, {
    text: file,
    timeoutMs: 60_000,
  });
/** The file's broken rows with a Reason column, as a CSV to fix in a spreadsheet. */
export const brokenRows = (eventId: string, file: Blob, mapping: ColumnChoices = new Map()) =>
  organiserRequest<Blob>('POST', `${attendees(eventId)}/import/broken-rows.csv${importQuery({}, mapping)}`, undefined, { text: file, timeoutMs: 60_000, blob: true });

/** Ends every session of the guest (their page closes on every phone, sockets included). */
export const signOutGuest = (eventId: string, attendeeId: string) => organiserRequest<void>('POST', `${attendee(eventId, attendeeId)}/sign-out`);

/** Checks a guest in or out by hand (the log records who did it); the answer is the scan's outcome. */
export const setPresence = (eventId: string, attendeeId: string, type: 'entry' | 'exit') =>
  organiserRequest<CheckinOutcome>('POST', `${attendee(eventId, attendeeId)}/presence`, { type });
