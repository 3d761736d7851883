import { z } from 'zod';
import { Email, Id, Name, text } from './common';
import { CheckinOutcome } from './checkins';

export const AttendeeInput = z.object({
  name: Name,
  email: Email.nullable().optional(),
  company: text(120).optional(),
  role: text(120).optional(),
  firstTime: z.boolean().optional(),
  host: z.boolean().optional(),
});
export type AttendeeInput = z.infer<typeof AttendeeInput>;

export const AttendeePatch = AttendeeInput.partial();
export type AttendeePatch = z.infer<typeof AttendeePatch>;

export const AttendeeSource = z.enum(['guest_list', 'manual', 'walk_in', 'demo']);

/**
 * From the log and signs of life: `away` is checked in by the log but without a sign (scan,
 * phone socket, answer) for the event's "away after" minutes; a sign brings them back.
 */
export const Presence = z.enum(['not_arrived', 'present', 'away', 'left']);
export type Presence = z.infer<typeof Presence>;

export const Attendee = z.object({
  id: Id,
  eventId: Id,
  name: z.string(),
  email: z.string().nullable(),
  company: z.string(),
  role: z.string(),
  firstTime: z.boolean(),
  host: z.boolean(),
  source: AttendeeSource,
  createdAt: z.string(),
});
export type Attendee = z.infer<typeof Attendee>;

/** A guest-list row as the organiser sees it: with ticket and presence. */
export const GuestListEntry = Attendee.extend({
  presence: Presence,
  firstCheckinAt: z.string().nullable(),
  lastScanAt: z.string().nullable(),
  ticketIssuedAt: z.string().nullable(),
  ticketRevoked: z.boolean(),
  hasIntent: z.boolean(),
  flagged: z.boolean(),
});
export type GuestListEntry = z.infer<typeof GuestListEntry>;

export const GuestListQuery = z.object({
  q: z.string().trim().max(120).optional(),
});

/** Kiosk name search: a few letters minimum, a few results, no guest-list dump. */
export const NameSearchQuery = z.object({
  q: z.string().trim().min(3, 'type at least 3 letters').max(60),
});
export const NameSearchResult = z.object({
  id: Id,
  name: z.string(),
  /** Only enough to tell two people of the same name apart. */
  hint: z.string(),
  presence: Presence,
});
export type NameSearchResult = z.infer<typeof NameSearchResult>;

export const WalkInBody = z.object({
  name: Name,
  email: Email.nullable().optional(),
  company: text(120).optional(),
  role: text(120).optional(),
  firstTime: z.boolean().optional(),
  nonce: z.string().min(8).max(100),
  scannedAt: z.iso.datetime({ offset: true }),
});
export type WalkInBody = z.infer<typeof WalkInBody>;

// CSV import ---------------------------------------------------------------

export const ImportRowStatus = z.enum(['add', 'error', 'duplicate']);
export const ImportProblem = z.object({ field: z.string(), code: z.string(), message: z.string() });
export type ImportProblem = z.infer<typeof ImportProblem>;
export const ImportRow = z.object({
  line: z.number().int(),
  status: ImportRowStatus,
  data: AttendeeInput.partial(),
  problems: z.array(ImportProblem),
});
export type ImportRow = z.infer<typeof ImportRow>;
export const ImportPreview = z.object({
  columns: z.array(z.string()),
  unknownColumns: z.array(z.string()),
  rows: z.array(ImportRow),
  summary: z.object({ add: z.number().int(), error: z.number().int(), duplicate: z.number().int() }),
});
export type ImportPreview = z.infer<typeof ImportPreview>;
export const ImportQuery = z.object({
  /** Commit the rows that would be added and leave duplicates out, explicitly. */
  skipDuplicates: z.enum(['true', 'false']).optional(),
});
export const ImportResult = z.object({ added: z.number().int(), skippedDuplicates: z.number().int() });
export type ImportResult = z.infer<typeof ImportResult>;

/** A walk-in added and checked in at the kiosk, with the link to the ticket it was given. */
export const WalkInResult = z.object({
  attendee: z.object({ id: Id, name: z.string() }),
  outcome: CheckinOutcome,
  /** The walk-in's live ticket (null only if an organiser revoked it since). */
  ticketUrl: z.string().nullable(),
});
export type WalkInResult = z.infer<typeof WalkInResult>;

/** An organiser checks a guest in or out from the guest list. */
export const PresenceBody = z.object({ type: z.enum(['entry', 'exit']) });
export type PresenceBody = z.infer<typeof PresenceBody>;
