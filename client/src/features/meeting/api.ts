import type { FloorPlan, MeetingPoints, MeetingPointsBody } from '@edgewise/shared';
import { organiserRequest } from '../auth/session';

const path = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}/meeting-points`;

export const getMeetingPoints = (eventId: string) => organiserRequest<MeetingPoints>('GET', path(eventId));
export const saveMeetingPoints = (eventId: string, body: MeetingPointsBody) => organiserRequest<MeetingPoints>('PUT', path(eventId), body);

const planPath = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}/floor-plan`;
export const putFloorPlan = (eventId: string, plan: Blob) =>
  organiserRequest<FloorPlan>('PUT', planPath(eventId), undefined, { text: plan, contentType: plan.type || 'image/jpeg', timeoutMs: 60_000 });
export const deleteFloorPlan = (eventId: string) => organiserRequest<void>('DELETE', planPath(eventId));
