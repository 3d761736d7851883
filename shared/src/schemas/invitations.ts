import { z } from 'zod';
import { Id } from './common';

/**
 * Ticket mails ("invitations"): each guest's QR, ticket link, personal sign-in link and
 * an .ics, sent from the dashboard. The contract integrators drive:
 * `POST /api/events/:eventId/invitations` queues, `GET` lists each guest's state.
 */

/** No ids: everyone with an email and a live ticket. `onlyUnsent`: leave out whoever was sent their current ticket. */
export const InvitationsBody = z
  .object({
    attendeeIds: z.array(Id).min(1).max(5000).optional(),
    onlyUnsent: z.boolean().optional(),
  })
  .strict();
export type InvitationsBody = z.infer<typeof InvitationsBody>;

export const InvitationsQueued = z.object({ queued: z.number().int() });
export type InvitationsQueued = z.infer<typeof InvitationsQueued>;

/**
 * `not_sent`: never queued; `queued`: waiting its turn (or its retry); `sending`: on its way;
 * `sent`; `failed`: the server's reason in `lastError`, retried while `nextAttemptAt` is set.
 * `unsendable`: no email or no live ticket.
 */
export const InvitationState = z.enum(['not_sent', 'queued', 'sending', 'sent', 'failed', 'unsendable']);
export type InvitationState = z.infer<typeof InvitationState>;

export const InvitationEntry = z.object({
  attendeeId: Id,
  name: z.string(),
  email: z.string().nullable(),
  state: InvitationState,
  /** Why a guest cannot be sent a ticket: no email, or their ticket was revoked. */
  unsendableReason: z.enum(['no_email', 'no_ticket']).nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  /** The state's time: when it was sent, failed, or queued. */
  at: z.string().nullable(),
  sentAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  /** The ticket was reissued after the last mail: the guest holds a QR that no longer works. */
  ticketChanged: z.boolean(),
});
export type InvitationEntry = z.infer<typeof InvitationEntry>;

export const InvitationCounts = z.object({
  queued: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
});
export type InvitationCounts = z.infer<typeof InvitationCounts>;

/** The run in progress: mails queued since the oldest one still waiting, and how many of them ended. */
export const InvitationRun = z.object({ total: z.number().int(), done: z.number().int() });

export const InvitationList = z.object({
  /** False without SMTP_URL: mails are previewed and the mail-merge file offered instead. */
  mail: z.boolean(),
  counts: InvitationCounts,
  run: InvitationRun.nullable(),
  entries: z.array(InvitationEntry),
});
export type InvitationList = z.infer<typeof InvitationList>;

/** To `organisers:<eventId>`: counts only (no names), whole, with a version. */
export const InvitationsChanged = z.object({
  eventId: Id,
  version: z.number(),
  counts: InvitationCounts,
  run: InvitationRun.nullable(),
});
export type InvitationsChanged = z.infer<typeof InvitationsChanged>;

export const InvitationPreview = z.object({
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string() })),
});
export type InvitationPreview = z.infer<typeof InvitationPreview>;
