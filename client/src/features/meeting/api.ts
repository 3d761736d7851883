import type { MeetingPoints, MeetingPointsBody } from '@edgewise/shared';
import { organiserRequest } from '../auth/session';

const path = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}/meeting-points`;

export const getMeetingPoints = (eventId: string) => organiserRequest<MeetingPoints>('GET', path(eventId));
export const saveMeetingPoints = (eventId: string, body: MeetingPointsBody) => organiserRequest<MeetingPoints>('PUT', path(eventId), body);
