/**
 * The team: members of the one organisation, their roles and events, invitations by
 * one-time link, and the rule that the organisation always keeps an owner. Every change
 * is written to the audit log in the transaction that makes it; sessions and sockets of a
 * member whose role changed or who was removed end at once.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import { organisers, sessions, teamInvitations, type Db } from '@edgewise/db';
import type {
  AcceptInvitationBody,
  CreatedInvitation,
  CreateInvitationBody,
  CreateOrganiserBody,
  InvitationInfo,
  Organiser,
  OrganiserRole,
  Team,
  TeamMember,
  UpdateMemberBody,
} from '@edgewise/shared';
import { isLanguageCode } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { sha256 } from '../../deps';
import { AppError } from '../../http/errors';
import { recordAudit, type AuditActor } from '../audit/record';
import { hashPassword } from '../auth/password';
import { createOrganiser, insertSession, type StartedSession } from '../auth/service';
import { checkEventsExist, existingEvents, lockOwners, pendingInvitations, setEventAccess, teamMembers } from './repo';
import { invitationMail } from './mail';

export const INVITATION_DAYS = 7;
/** 32 random bytes: 256 bits in the link, only the SHA-256 stored. */
const CODE_BYTES = 32;

/** Owners work on every event: an event list means nothing for them. */
const eventsFor = (role: OrganiserRole, eventIds: readonly string[]) => (role === 'owner' ? [] : [...new Set(eventIds)]);

export async function getTeam(ctx: FeatureContext): Promise<Team> {
  const db = ctx.deps.database.db;
  return { members: await teamMembers(db), invitations: await pendingInvitations(db, ctx.deps.now()) };
}

/** An owner adding a colleague's account directly, with their role and events. */
export async function addMember(ctx: FeatureContext, actor: AuditActor, body: CreateOrganiserBody): Promise<Organiser> {
  const { deps } = ctx;
  const eventIds = eventsFor(body.role, body.eventIds);
  return deps.database.db.transaction(async (tx) => {
    await checkEventsExist(tx, eventIds);
    const member = await createOrganiser(tx, deps.now(), body);
    await setEventAccess(tx, member.id, eventIds, deps.now());
    await recordAudit(tx, deps.now(), actor, {
      action: 'team.member_create',
      target: { kind: 'organiser', id: member.id, name: `${member.name} <${member.email}>` },
      details: { role: member.role, eventIds },
    });
    return member;
  });
}

export async function createInvitation(ctx: FeatureContext, actor: AuditActor, body: CreateInvitationBody): Promise<CreatedInvitation> {
  const { deps } = ctx;
  const db = deps.database.db;
  const now = deps.now();
  const eventIds = eventsFor(body.role, body.eventIds);
  const code = deps.randomToken(CODE_BYTES);
  const expiresAt = new Date(now + INVITATION_DAYS * 86_400_000);
  const row = await db.transaction(async (tx) => {
    const [member] = await tx.select({ id: organisers.id }).from(organisers).where(eq(organisers.email, body.email)).limit(1);
    if (member) throw new AppError('conflict', 'This person is already on the team.', [{ path: 'email', message: 'is already on the team', code: 'taken' }]);
    await checkEventsExist(tx, eventIds);
    const [created] = await tx
      .insert(teamInvitations)
      .values({ codeHash: sha256(code), email: body.email, role: body.role, eventIds, invitedBy: actor.id, createdAt: new Date(now), expiresAt })
      .returning();
    if (!created) throw new Error('invitation insert returned nothing');
    await recordAudit(tx, now, actor, {
      action: 'team.invitation_create',
      target: { kind: 'invitation', id: created.id, name: body.email },
      details: { role: body.role, eventIds },
    });
    return created;
  });
  const url = `${deps.publicUrl}/dashboard/invite?code=${encodeURIComponent(code)}`;
  let mailed = false;
  if (deps.mailer?.kind === 'smtp') {
    const [inviter] = actor.id ? await db.select({ name: organisers.name, language: organisers.language }).from(organisers).where(eq(organisers.id, actor.id)) : [];
    try {
      const language = isLanguageCode(inviter?.language) ? inviter.language : undefined;
      await deps.mailer.send({ ...invitationMail({ inviter: inviter?.name ?? null, role: body.role, url, expiresAt, language }), to: body.email, attachments: [] });
      mailed = true;
    } catch (err) {
      // The owner still has the link on screen to pass on another way.
      deps.log({ level: 'warn', msg: 'invitation mail failed', invitationId: row.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { id: row.id, url, expiresAt: expiresAt.toISOString(), mailed };
}

export async function revokeInvitation(ctx: FeatureContext, actor: AuditActor, invitationId: string): Promise<void> {
  const { deps } = ctx;
  const now = deps.now();
  await deps.database.db.transaction(async (tx) => {
    const [row] = await tx
      .update(teamInvitations)
      .set({ revokedAt: new Date(now) })
      .where(and(eq(teamInvitations.id, invitationId), isNull(teamInvitations.usedAt), isNull(teamInvitations.revokedAt)))
      .returning();
    if (!row) throw new AppError('not_found', 'No open invitation with this id: it may have been accepted or revoked already.');
    await recordAudit(tx, now, actor, { action: 'team.invitation_revoke', target: { kind: 'invitation', id: row.id, name: row.email } });
  });
}

const invalidInvitation = () =>
  new AppError('invitation_invalid', 'This invitation link is not valid any more: it was used, withdrawn or has expired. Ask the person who invited you for a new one.');

async function openInvitation(db: Db, code: string, now: number, forUpdate: boolean) {
  const query = db
    .select()
    .from(teamInvitations)
    .where(and(eq(teamInvitations.codeHash, sha256(code)), isNull(teamInvitations.usedAt), isNull(teamInvitations.revokedAt), gt(teamInvitations.expiresAt, new Date(now))))
    .limit(1);
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw invalidInvitation();
  return row;
}

export async function invitationInfo(ctx: FeatureContext, code: string): Promise<InvitationInfo> {
  const db = ctx.deps.database.db;
  const row = await openInvitation(db, code, ctx.deps.now(), false);
  const [inviter] = row.invitedBy ? await db.select({ name: organisers.name }).from(organisers).where(eq(organisers.id, row.invitedBy)) : [];
  return { email: row.email, role: row.role, invitedBy: inviter?.name ?? '', expiresAt: row.expiresAt.toISOString() };
}

/** Creates the member the invitation names and spends it, in one transaction, and logs them in. */
export async function acceptInvitation(ctx: FeatureContext, body: AcceptInvitationBody): Promise<StartedSession> {
  const { deps } = ctx;
  const db = deps.database.db;
  // Hash before the transaction: the invitation's row stays locked only for the writes.
  await openInvitation(db, body.code, deps.now(), false);
  const passwordHash = await hashPassword(body.password);
  return db.transaction(async (tx) => {
    const now = deps.now();
    const invitation = await openInvitation(tx, body.code, now, true);
    const [member] = await tx
      .insert(organisers)
      .values({ email: invitation.email, name: body.name, passwordHash, role: invitation.role, createdAt: new Date(now) })
      .onConflictDoNothing({ target: organisers.email })
      .returning();
    if (!member) throw new AppError('conflict', 'An account with this email already exists: log in instead.');
    // Events deleted since the invitation was sent are simply not granted.
    const eventIds = await existingEvents(tx, eventsFor(invitation.role, invitation.eventIds));
    await setEventAccess(tx, member.id, eventIds, now);
    await tx.update(teamInvitations).set({ usedAt: new Date(now) }).where(eq(teamInvitations.id, invitation.id));
    const organiser: Organiser = { id: member.id, email: member.email, name: member.name, role: member.role };
    await recordAudit(tx, now, { kind: 'organiser', id: member.id, name: `${member.name} <${member.email}>` }, {
      action: 'team.invitation_accept',
      target: { kind: 'invitation', id: invitation.id, name: invitation.email },
      details: { role: invitation.role, eventIds },
    });
    return insertSession(tx, ctx, organiser);
  });
}

/**
 * Changes a member's role and/or events. A role change ends their sessions and sockets at
 * once (they log in again under the new role); losing an event takes their sockets out of
 * its room.
 */
export async function updateMember(ctx: FeatureContext, actor: AuditActor, organiserId: string, body: UpdateMemberBody): Promise<TeamMember> {
  const { deps } = ctx;
  const now = deps.now();
  const outcome = await deps.database.db.transaction(async (tx) => {
    const owners = await lockOwners(tx);
    const [member] = await tx.select().from(organisers).where(eq(organisers.id, organiserId)).for('update');
    if (!member) throw new AppError('not_found', 'No such member of the team.');
    const role = body.role ?? member.role;
    const roleChanged = role !== member.role;
    if (roleChanged && member.role === 'owner' && owners.length <= 1) {
      throw new AppError('last_owner', 'The organisation needs at least one owner: make someone else an owner first.');
    }
    const target = { kind: 'organiser', id: member.id, name: `${member.name} <${member.email}>` };
    if (roleChanged) {
      await tx.update(organisers).set({ role }).where(eq(organisers.id, member.id));
      await tx.delete(sessions).where(eq(sessions.organiserId, member.id));
      await recordAudit(tx, now, actor, { action: 'team.role_change', target, details: { from: member.role, to: role } });
    }
    let lost: string[] = [];
    if (body.eventIds !== undefined || role === 'owner') {
      const eventIds = eventsFor(role, body.eventIds ?? []);
      await checkEventsExist(tx, eventIds);
      const change = await setEventAccess(tx, member.id, eventIds, now);
      lost = change.lost;
      if (body.eventIds !== undefined && (change.gained.length > 0 || change.lost.length > 0)) {
        await recordAudit(tx, now, actor, { action: 'team.access_change', target, details: { granted: change.gained, withdrawn: change.lost } });
      }
    }
    return { roleChanged, lost };
  });
  if (outcome.roleChanged) await ctx.realtime.organiserSessionsEnded(organiserId);
  else await ctx.realtime.organiserEventsLost(organiserId, outcome.lost);
  const member = (await teamMembers(deps.database.db)).find((m) => m.id === organiserId);
  if (!member) throw new AppError('not_found', 'No such member of the team.');
  return member;
}

/** Removes a member: their account, sessions and event access go; the audit log keeps their name. */
export async function removeMember(ctx: FeatureContext, actor: AuditActor, organiserId: string): Promise<void> {
  const { deps } = ctx;
  const now = deps.now();
  await deps.database.db.transaction(async (tx) => {
    const owners = await lockOwners(tx);
    const [member] = await tx.select().from(organisers).where(eq(organisers.id, organiserId)).for('update');
    if (!member) throw new AppError('not_found', 'No such member of the team.');
    if (member.role === 'owner' && owners.length <= 1) {
      throw new AppError('last_owner', 'The organisation needs at least one owner: make someone else an owner before removing this one.');
    }
    // Sessions and event access go with the row (on delete cascade).
    await tx.delete(organisers).where(eq(organisers.id, member.id));
    await recordAudit(tx, now, actor, {
      action: 'team.member_remove',
      target: { kind: 'organiser', id: member.id, name: `${member.name} <${member.email}>` },
      details: { role: member.role },
    });
  });
  await ctx.realtime.organiserSessionsEnded(organiserId);
}
