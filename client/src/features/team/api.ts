import type {
  AuditPage,
  CreatedInvitation,
  CreateInvitationBody,
  InvitationInfo,
  Team,
  TeamMember,
  UpdateMemberBody,
} from '@edgewise/shared';
import { apiRequest } from '../../lib/api';
import { organiserRequest } from '../auth/session';

export const getTeam = () => organiserRequest<Team>('GET', '/api/team');
export const inviteColleague = (body: CreateInvitationBody) => organiserRequest<CreatedInvitation>('POST', '/api/team/invitations', body);
export const revokeInvitation = (id: string) => organiserRequest<void>('DELETE', `/api/team/invitations/${encodeURIComponent(id)}`);
export const updateMember = (id: string, body: UpdateMemberBody) => organiserRequest<TeamMember>('PATCH', `/api/team/members/${encodeURIComponent(id)}`, body);
export const removeMember = (id: string) => organiserRequest<void>('DELETE', `/api/team/members/${encodeURIComponent(id)}`);

export function auditPage(opts: { before?: number | null; eventId?: string; limit?: number } = {}) {
  const q = new URLSearchParams({ limit: String(opts.limit ?? 50) });
  if (opts.before) q.set('before', String(opts.before));
  if (opts.eventId) q.set('eventId', opts.eventId);
  return organiserRequest<AuditPage>('GET', `/api/audit?${q}`);
}
export const auditCsvUrl = '/api/audit.csv';

/** For the accept page, before anyone is logged in. */
export const invitationInfo = (code: string) => apiRequest<InvitationInfo>('POST', '/api/auth/invitation', { code });
