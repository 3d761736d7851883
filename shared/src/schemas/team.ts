import { z } from 'zod';
import { Email, Id, Name } from './common';
import { OrganiserRole, Password } from './auth';

/** The events a member works on; owners work on every event, so theirs is always empty. */
const EventIds = z.array(Id).max(500);

export const OrganiserIdParams = z.object({ organiserId: Id });
export const InvitationIdParams = z.object({ invitationId: Id });

/** One member of the organisation, as the Team page lists them. */
export const TeamMember = z.object({
  id: Id,
  name: z.string(),
  email: z.string(),
  role: OrganiserRole,
  eventIds: z.array(Id),
  createdAt: z.string(),
});
export type TeamMember = z.infer<typeof TeamMember>;

/** An invitation not yet accepted, revoked or expired. */
export const PendingInvitation = z.object({
  id: Id,
  email: z.string(),
  role: OrganiserRole,
  eventIds: z.array(Id),
  invitedBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type PendingInvitation = z.infer<typeof PendingInvitation>;

export const Team = z.object({ members: z.array(TeamMember), invitations: z.array(PendingInvitation) });
export type Team = z.infer<typeof Team>;

export const CreateInvitationBody = z.object({ email: Email, role: OrganiserRole, eventIds: EventIds.default([]) });
export type CreateInvitationBody = z.infer<typeof CreateInvitationBody>;

/** The one-time link is shown once, to the owner who made it: only its hash is stored. */
export const CreatedInvitation = z.object({
  id: Id,
  url: z.string(),
  expiresAt: z.string(),
  /** Whether the link was also mailed (only when a mail server is configured). */
  mailed: z.boolean(),
});
export type CreatedInvitation = z.infer<typeof CreatedInvitation>;

/** The code from an invitation link; sent in a body so it stays out of logs and paths. */
export const InvitationCodeBody = z.object({ code: z.string().min(20).max(200) });
export type InvitationCodeBody = z.infer<typeof InvitationCodeBody>;

/** What the accept page shows before the colleague sets a password. */
export const InvitationInfo = z.object({
  email: z.string(),
  role: OrganiserRole,
  invitedBy: z.string(),
  expiresAt: z.string(),
});
export type InvitationInfo = z.infer<typeof InvitationInfo>;

export const AcceptInvitationBody = InvitationCodeBody.extend({ name: Name, password: Password });
export type AcceptInvitationBody = z.infer<typeof AcceptInvitationBody>;

export const UpdateMemberBody = z
  .object({ role: OrganiserRole.optional(), eventIds: EventIds.optional() })
  .refine((b) => b.role !== undefined || b.eventIds !== undefined, 'give a role, events or both');
export type UpdateMemberBody = z.infer<typeof UpdateMemberBody>;

/** One line of the audit log: who did what, when, to whom. */
export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.object({ kind: z.enum(['organiser', 'attendee', 'device', 'system']), id: z.string().nullable(), name: z.string() }),
  action: z.string(),
  eventId: z.string().nullable(),
  target: z.object({ kind: z.string(), id: z.string(), name: z.string() }).nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.object({
  eventId: Id.optional(),
  /** Entries older than this id (the `next` of the previous page). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditCsvQuery = z.object({ eventId: Id.optional() });
export type AuditCsvQuery = z.infer<typeof AuditCsvQuery>;

export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  /** Pass as `before` for the next, older page; null at the start of the log. */
  next: z.number().int().nullable(),
});
export type AuditPage = z.infer<typeof AuditPage>;

/** The audit export's columns, oldest line first. */
export const auditExportColumns = ['When', 'Who', 'Action', 'Event', 'Target', 'Details'] as const;
