import { OrganiserRole, type AuditEntry } from '@edgewise/shared';
import { translate as t } from '../../lib/i18n';

const role = (v: unknown) => {
  const parsed = OrganiserRole.safeParse(v);
  return parsed.success ? t('dashboard.roles.inline', { role: parsed.data }) : String(v);
};

/** What an audit line says happened, in words (the dashboard's language); unknown actions show their code. */
export function describeAudit(e: AuditEntry): string {
  const target = e.target?.name || e.target?.id || '';
  const d = e.details;
  switch (e.action) {
    case 'export.attendees':
      return t('dashboard.audit.exportAttendees');
    case 'export.suggestions':
      return t('dashboard.audit.exportSuggestions');
    case 'export.audit':
      return t('dashboard.audit.exportAudit');
    case 'event.erase':
      return t('dashboard.audit.erase', { count: Number(d.attendeesErased ?? 0) });
    case 'introduction.create':
      return t('dashboard.audit.introduce', { target });
    case 'team.role_change':
      return t('dashboard.audit.roleChange', { target, from: role(d.from), to: role(d.to) });
    case 'team.access_change':
      return t('dashboard.audit.accessChange', { target });
    case 'team.invitation_create':
      return t('dashboard.audit.invitationCreate', { target, role: role(d.role) });
    case 'team.invitation_accept':
      return t('dashboard.audit.invitationAccept', { role: role(d.role) });
    case 'team.invitation_revoke':
      return t('dashboard.audit.invitationRevoke', { target });
    case 'team.member_create':
      return t('dashboard.audit.memberCreate', { target, role: role(d.role) });
    case 'team.member_remove':
      return t('dashboard.audit.memberRemove', { target });
    case 'ticket.revoke':
      return t('dashboard.audit.ticketRevoke', { target });
    case 'ticket.reissue':
      return t('dashboard.audit.ticketReissue', { target });
    case 'attendee.sign_out':
      return t('dashboard.audit.signOut', { target });
    default:
      return target ? `${e.action}: ${target}` : e.action;
  }
}
