import { z } from 'zod';
import { Id } from './common';
import { ContactView } from './matching';

/** Where one attendee's follow-up mail is: claimed by a row, sent once. */
export const FollowupStatus = z.enum(['pending', 'sending', 'sent', 'failed', 'skipped']);
export type FollowupStatus = z.infer<typeof FollowupStatus>;

/** Why a follow-up was not sent to someone. */
export const FollowupSkipReason = z.enum(['not_checked_in', 'no_email', 'opted_out', 'no_connections']);
export type FollowupSkipReason = z.infer<typeof FollowupSkipReason>;

/** How the two people came together. */
export const FollowupHow = z.enum(['met', 'mutual', 'introduced']);
export type FollowupHow = z.infer<typeof FollowupHow>;

/** One person in a digest: only people one met, matched with both ways, or was introduced to. */
export const FollowupContact = z.object({
  attendeeId: Id,
  name: z.string(),
  company: z.string(),
  role: z.string(),
  how: FollowupHow,
  /** Who introduced the two, and what they said, for introductions. */
  introducedBy: z.string().nullable(),
  introductionMessage: z.string(),
  /** The reader's own private note about this person. */
  note: z.string(),
  /** What this person chose to share (both said yes, so it passes). */
  contact: ContactView,
});
export type FollowupContact = z.infer<typeof FollowupContact>;

export const FollowupAttachment = z.object({ filename: z.string(), contentType: z.string(), content: z.string() });
export type FollowupAttachment = z.infer<typeof FollowupAttachment>;

/** What the mail says, exactly as it would go out. */
export const FollowupDelivery = z.object({
  status: FollowupStatus,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
});
export type FollowupDelivery = z.infer<typeof FollowupDelivery>;

export const FollowupPreview = z.object({
  attendeeId: Id,
  name: z.string(),
  /** Null when there is nobody to send it to. */
  to: z.string().nullable(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  contacts: z.array(FollowupContact),
  attachments: z.array(FollowupAttachment),
  /** When the reminder in the .ics is set for. */
  reminderAt: z.string(),
  /** Set when it would not be sent, and why. */
  skipReason: FollowupSkipReason.nullable(),
  delivery: FollowupDelivery,
});
export type FollowupPreview = z.infer<typeof FollowupPreview>;

/** One row of the organiser's follow-up table: everyone who checked in. */
export const FollowupEntry = z.object({
  attendeeId: Id,
  name: z.string(),
  email: z.string().nullable(),
  optedOut: z.boolean(),
  ...FollowupDelivery.shape,
});
export type FollowupEntry = z.infer<typeof FollowupEntry>;

export const FollowupOverview = z.object({
  /** `preview`: no SMTP_URL on the server, so nothing is ever sent. */
  mailer: z.enum(['smtp', 'preview']),
  /** When the scheduler sends: the event's end plus its follow-up hours. */
  sendAt: z.string(),
  counts: z.record(FollowupStatus, z.number().int()),
  entries: z.array(FollowupEntry),
});
export type FollowupOverview = z.infer<typeof FollowupOverview>;

export const SendFollowupsBody = z.object({
  /** Only this attendee; everyone due when absent. */
  attendeeId: Id.optional(),
});
export type SendFollowupsBody = z.infer<typeof SendFollowupsBody>;

export const SendFollowupsResult = z.object({
  /** Follow-ups claimed by this request and now on their way. */
  queued: z.number().int(),
});
export type SendFollowupsResult = z.infer<typeof SendFollowupsResult>;

export const FollowupContactParams = z.object({ contactId: Id });
