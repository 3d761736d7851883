import type { AuditEntry, OrganiserRole } from '@edgewise/shared';
import { roleLabels } from '../auth/roles';

const role = (v: unknown) => (typeof v === 'string' && v in roleLabels ? roleLabels[v as OrganiserRole].toLowerCase() : String(v));

/** What an audit line says happened, in words; unknown actions show their code. */
export function describeAudit(e: AuditEntry): string {
  const target = e.target?.name || e.target?.id || '';
  const d = e.details;
  switch (e.action) {
    case 'export.attendees':
      return 'Exported the guest list';
    case 'export.suggestions':
      return 'Exported the pairs and introductions';
    case 'export.audit':
      return 'Exported the audit log';
    case 'event.erase':
      return `Erased the event's personal data (${String(d.attendeesErased ?? 0)} attendees)`;
    case 'introduction.create':
      return `Introduced ${target}`;
    case 'team.role_change':
      return `Changed ${target} from ${role(d.from)} to ${role(d.to)}`;
    case 'team.access_change':
      return `Changed the events of ${target}`;
    case 'team.invitation_create':
      return `Invited ${target} as ${role(d.role)}`;
    case 'team.invitation_accept':
      return `Joined the team as ${role(d.role)}`;
    case 'team.invitation_revoke':
      return `Withdrew the invitation for ${target}`;
    case 'team.member_create':
      return `Added ${target} as ${role(d.role)}`;
    case 'team.member_remove':
      return `Removed ${target} from the team`;
    case 'ticket.revoke':
      return `Revoked the ticket of ${target}`;
    case 'ticket.reissue':
      return `Reissued the ticket of ${target}`;
    case 'attendee.sign_out':
      return `Signed ${target} out everywhere`;
    default:
      return target ? `${e.action}: ${target}` : e.action;
  }
}
