import type { InvitationList, InvitationPreview, InvitationsBody, InvitationsQueued } from '@edgewise/shared';
import { organiserRequest } from '../auth/session';

const base = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}/invitations`;

export const listInvitations = (eventId: string) => organiserRequest<InvitationList>('GET', base(eventId));
/** Everyone (no ids), a selection, or only those not yet sent their current ticket. */
export const sendInvitations = (eventId: string, body: InvitationsBody) => organiserRequest<InvitationsQueued>('POST', base(eventId), body);
export const previewInvitation = (eventId: string, attendeeId: string) =>
  organiserRequest<InvitationPreview>('GET', `${base(eventId)}/${encodeURIComponent(attendeeId)}/preview`);
export const mailMergeUrl = (eventId: string) => `${base(eventId)}/mail-merge.csv`;
