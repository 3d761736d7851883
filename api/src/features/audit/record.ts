import { auditLog, type Db } from '@edgewise/db';
import type { AttendeeAuth, AuthContext } from '../../http/auth';

/** Who did a sensitive thing, as the audit log names them. */
export interface AuditActor {
  kind: 'organiser' | 'attendee' | 'device' | 'system';
  id: string | null;
  name: string;
}

export interface AuditEntry {
  /** `export.attendees`, `event.erase`, `introduction.create`, `team.role_change`, `ticket.revoke`, `attendee.sign_out`... */
  action: string;
  eventId?: string | null;
  target?: { kind: string; id: string; name?: string };
  details?: Record<string, unknown>;
}

export function actorOf(auth: AuthContext | AttendeeAuth | null): AuditActor {
  if (!auth) return { kind: 'system', id: null, name: 'Edgewise' };
  if (auth.kind === 'organiser') return { kind: 'organiser', id: auth.organiser.id, name: `${auth.organiser.name} <${auth.organiser.email}>` };
  if (auth.kind === 'device') return { kind: 'device', id: auth.device.id, name: auth.device.name };
  return { kind: 'attendee', id: auth.attendee.id, name: auth.attendee.name };
}

/**
 * Appends one line to the audit log. Call it in the transaction that does the action when
 * there is one, so the log never claims what did not happen.
 */
export async function recordAudit(db: Db, now: number, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    at: new Date(now),
    actorKind: actor.kind,
    actorId: actor.id,
    actorName: actor.name,
    action: entry.action,
    eventId: entry.eventId ?? null,
    targetKind: entry.target?.kind ?? null,
    targetId: entry.target?.id ?? null,
    targetName: entry.target?.name ?? '',
    details: entry.details ?? {},
  });
}
