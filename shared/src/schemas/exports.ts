import { z } from 'zod';
import { Id } from './common';
import { FollowupDelivery } from './followup';

/**
 * The organiser's CSV exports are files, not JSON: their columns are fixed here so the
 * dashboard, the API reference and the tests speak of the same ones.
 */
export const attendeeExportColumns = [
  'Name',
  'Email',
  'Company',
  'Role',
  'First time',
  'Host',
  'First check-in',
  'Last check-out',
  'Present',
  'Looking for',
  'Offering',
  'Interests',
  'Ask me about',
  /** The guest's live ticket as a link (what their QR carries); empty when it was revoked. */
  'Ticket link',
] as const;

export const suggestionExportColumns = [
  'Person A',
  'Person B',
  'State',
  'Score',
  'Reasons (A sees)',
  'Reasons (B sees)',
  'A answered',
  'A answered at',
  'B answered',
  'B answered at',
  'Suggested at',
  'Mutual at',
  'Met at',
  'Introduced by',
  'Introduction message',
  'Introduced at',
] as const;

// Data rights ---------------------------------------------------------------------------

/** Deleting oneself is final: the body must say so in words. */
export const DeleteMeBody = z.object({ confirm: z.literal('delete my data', { error: 'type "delete my data" to confirm' }) });
export type DeleteMeBody = z.infer<typeof DeleteMeBody>;

/** Erasing an event's personal data: the organiser types the event's slug. */
export const EraseEventBody = z.object({ confirmSlug: z.string().trim().min(1).max(60) });
export type EraseEventBody = z.infer<typeof EraseEventBody>;

export const EraseEventResult = z.object({
  eventId: Id,
  erasedAt: z.string(),
  /** How many attendees were removed with everything that hung off them. */
  attendeesErased: z.number().int(),
});
export type EraseEventResult = z.infer<typeof EraseEventResult>;

const Stamp = z.string().nullable();

/** Everything stored about one attendee, as they download it. Others appear by name only. */
export const MyData = z.object({
  exportedAt: z.string(),
  event: z.object({ id: Id, name: z.string(), startsAt: z.string(), endsAt: z.string(), timeZone: z.string() }),
  profile: z.object({
    id: Id,
    name: z.string(),
    email: z.string().nullable(),
    company: z.string(),
    role: z.string(),
    firstTime: z.boolean(),
    host: z.boolean(),
    matchingOptOut: z.boolean(),
    source: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
  tickets: z.array(z.object({ createdAt: z.string(), revokedAt: Stamp })),
  checkins: z.array(
    z.object({ type: z.string(), status: z.string(), reason: z.string(), method: z.string(), scannedAt: z.string(), receivedAt: z.string(), flagged: z.boolean() }),
  ),
  intent: z
    .object({
      /** Topic ids, and the same in words ("looking for" labels). */
      seeks: z.array(z.string()),
      lookingFor: z.array(z.string()),
      /** Topic ids, and the same in words ("offering" labels). */
      offers: z.array(z.string()),
      offering: z.array(z.string()),
      interests: z.array(z.string()),
      askMeAbout: z.string(),
      hostOptIn: z.boolean(),
      showOnScreen: z.boolean(),
      updatedAt: z.string(),
    })
    .nullable(),
  contactCard: z.object({ shareEmail: z.boolean(), phone: z.string(), link: z.string(), updatedAt: z.string() }).nullable(),
  /** Suggestions made to this attendee (they were the viewer). */
  suggestions: z.array(
    z.object({
      person: z.string(),
      score: z.number(),
      reasons: z.array(z.string()),
      state: z.string(),
      yourAnswer: z.string().nullable(),
      createdAt: z.string(),
      answeredAt: Stamp,
      mutualAt: Stamp,
      metAt: Stamp,
    }),
  ),
  notes: z.array(z.object({ about: z.string(), text: z.string(), updatedAt: z.string() })),
  introductions: z.array(z.object({ with: z.string(), by: z.string(), message: z.string(), createdAt: z.string() })),
  acquaintances: z.array(z.object({ knows: z.string() })),
  sessions: z.array(z.object({ createdAt: z.string(), expiresAt: z.string() })),
  followup: FollowupDelivery.nullable(),
  /** Your photo as stored (a JPEG re-encoded without metadata), not its bytes: /me shows it. */
  photo: z.object({ width: z.number().int(), height: z.number().int(), storedAt: z.string() }).nullable(),
  whereIAm: z.object({ text: z.string(), writtenAt: z.string() }).nullable(),
});
export type MyData = z.infer<typeof MyData>;
