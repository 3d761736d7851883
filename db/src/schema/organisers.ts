import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * One installation is one organisation: every organiser is a member of it with one role.
 * owner: everything, the team included; organiser: the events they are given access to;
 * door: check-in, guest search, walk-ins and devices of their events, nothing else.
 */
export const organiserRoles = ['owner', 'organiser', 'door'] as const;
export type OrganiserRole = (typeof organiserRoles)[number];

export const organisers = pgTable(
  'organisers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull().unique(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: organiserRoles }).notNull().default('organiser'),
    /** The dashboard's language for this organiser (and their CSV headers, their mails). */
    language: text('language').notNull().default('en'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('organisers_role_check', sql`${t.role} in ('owner', 'organiser', 'door')`)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie value: a leaked table does not leak live sessions. */
    id: text('id').primaryKey(),
    organiserId: uuid('organiser_id')
      .notNull()
      .references(() => organisers.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_organiser_idx').on(t.organiserId)],
);

/** A one-time invitation to join the team, by link (and by mail when SMTP is set). */
export const teamInvitations = pgTable(
  'team_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** SHA-256 of the code in the link: a database dump holds no working invitation. */
    codeHash: text('code_hash').notNull().unique(),
    email: text('email').notNull(),
    role: text('role', { enum: organiserRoles }).notNull(),
    /** The events an organiser or door-staff member will work on (ignored for owners). */
    eventIds: jsonb('event_ids').$type<string[]>().notNull().default([]),
    invitedBy: uuid('invited_by').references(() => organisers.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [check('team_invitations_role_check', sql`${t.role} in ('owner', 'organiser', 'door')`)],
);

/**
 * Sensitive actions, append-only: who did what, when. Names are copied in so the log still
 * reads after a member or an attendee is removed.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** organiser | attendee | device | system */
    actorKind: text('actor_kind').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull().default(''),
    /** e.g. `export.attendees`, `event.erase`, `team.role_change`, `ticket.revoke` */
    action: text('action').notNull(),
    eventId: uuid('event_id'),
    targetKind: text('target_kind'),
    targetId: text('target_id'),
    targetName: text('target_name').notNull().default(''),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_event_idx').on(t.eventId, t.at)],
);

/**
 * Fixed-window counters shared by every node: one upsert per hit. `key` is a hash of the
 * limit's name and what it counts (an address, an account), so no address or email is stored.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    resetAt: timestamp('reset_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('rate_limits_reset_idx').on(t.resetAt)],
);
