import { z } from 'zod';
import { Email, Id, Name, text } from './common';
import { CheckinOutcome } from './checkins';
import { LanguageCode } from '../i18n/languages';

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
  /** The language the guest chose at the kiosk (one of the event's): their page and mails follow it. */
  language: LanguageCode.optional(),
});
export type WalkInBody = z.infer<typeof WalkInBody>;

// CSV import ---------------------------------------------------------------

/** What a column of a guest-list file can become. */
export const ImportField = z.enum(['name', 'firstName', 'lastName', 'email', 'company', 'role', 'firstTime', 'host', 'seeks', 'offers', 'interests']);
export type ImportField = z.infer<typeof ImportField>;

/** How the preview names each field to people ("First time", never "firstTime"). */
export const importFieldLabels: Record<ImportField, string> = {
  name: 'Name',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  company: 'Company',
  role: 'Role',
  firstTime: 'First time',
  host: 'Host',
  seeks: 'Looking for',
  offers: 'Offering',
  interests: 'Interests',
};

/**
 * A manual column mapping: `index:field` pairs by 0-based column, comma-separated, where
 * `ignore` drops a column the header aliases would have used (`3:email,5:ignore`).
 */
const mappingPair = new RegExp(`^\\d{1,3}:(${[...ImportField.options, 'ignore'].join('|')})$`);
export const ImportMapping = z
  .string()
  .max(2000)
  .refine((s) => s === '' || s.split(',').every((p) => mappingPair.test(p)), 'is not a list of column:field pairs')
  .transform((s) => {
    const map = new Map<number, ImportField | null>();
    for (const pair of s === '' ? [] : s.split(',')) {
      const [index, field] = pair.split(':');
      map.set(Number(index), field === 'ignore' ? null : (field as ImportField));
    }
    return map;
  });

export const ImportColumn = z.object({
  index: z.number().int(),
  header: z.string(),
  field: ImportField.nullable(),
  /** `alias`: recognised by its header; `manual`: the organiser's mapping; `none`: ignored. */
  by: z.enum(['alias', 'manual', 'none']),
});
export type ImportColumn = z.infer<typeof ImportColumn>;

/**
 * `update`: the email is already on the guest list and the file changes something;
 * `unchanged`: already there as the file says. `duplicate` (repeated in the file) and
 * `error` rows are the broken ones, which an import can skip.
 */
export const ImportRowStatus = z.enum(['add', 'update', 'unchanged', 'error', 'duplicate']);
export const ImportProblem = z.object({ field: z.string(), code: z.string(), message: z.string() });
export type ImportProblem = z.infer<typeof ImportProblem>;
export const ImportRow = z.object({
  line: z.number().int(),
  status: ImportRowStatus,
  data: AttendeeInput.partial(),
  problems: z.array(ImportProblem),
  /**
   * What the guest looks for, offers and is into, from the file's intent columns (`|`
   * between topics, either side's label), as topic ids and in the event's words. Stored
   * for a guest who has no intent yet; what someone said themselves is never overwritten.
   */
  intent: z
    .object({
      seeks: z.array(z.string()),
      offers: z.array(z.string()),
      interests: z.array(z.string()),
      lookingFor: z.array(z.string()),
      offering: z.array(z.string()),
    })
    .optional(),
  /** For `update` and `unchanged`: the guest it matches by email, and what would change. */
  attendeeId: Id.optional(),
  changes: z.array(ImportField).optional(),
});
export type ImportRow = z.infer<typeof ImportRow>;
export const ImportEncoding = z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']);
export type ImportEncoding = z.infer<typeof ImportEncoding>;
export const ImportPreview = z.object({
  /** How the bytes were read; `windows-1252` covers Latin-1 files too. */
  encoding: ImportEncoding,
  bom: z.boolean(),
  delimiter: z.enum([',', ';', '\t']),
  columns: z.array(ImportColumn),
  rows: z.array(ImportRow),
  summary: z.object({
    add: z.number().int(),
    update: z.number().int(),
    unchanged: z.number().int(),
    error: z.number().int(),
    duplicate: z.number().int(),
  }),
});
export type ImportPreview = z.infer<typeof ImportPreview>;
export const ImportPreviewQuery = z.object({ mapping: ImportMapping.optional() });
export const ImportQuery = ImportPreviewQuery.extend({
  /** Commit the other rows and leave rows repeating an email in the file out, explicitly. */
  skipDuplicates: z.enum(['true', 'false']).optional(),
  /** Commit the valid rows and leave every broken row (errors and repeats) out, explicitly. */
  skipInvalid: z.enum(['true', 'false']).optional(),
});
export const ImportResult = z.object({
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  skippedDuplicates: z.number().int(),
  skippedErrors: z.number().int(),
});
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
