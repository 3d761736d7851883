import type { CheckinLogEntry, CreateEventBody, Event, EventStats, EventTemplate, UpdateEventBody } from '@edgewise/shared';
import { organiserRequest } from '../auth/session';

const base = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`;

export const listEvents = () => organiserRequest<Event[]>('GET', '/api/events');
export const getEvent = (eventId: string) => organiserRequest<Event>('GET', base(eventId));
export const createEvent = (body: CreateEventBody) => organiserRequest<Event>('POST', '/api/events', body);
export const updateEvent = (eventId: string, body: UpdateEventBody) => organiserRequest<Event>('PATCH', base(eventId), body);
export const getEventStats = (eventId: string) => organiserRequest<EventStats>('GET', `${base(eventId)}/stats`);

export function listCheckins(eventId: string, opts: { limit?: number; flagged?: boolean } = {}) {
  const q = new URLSearchParams({ limit: String(opts.limit ?? 50) });
  if (opts.flagged) q.set('flagged', 'true');
  return organiserRequest<CheckinLogEntry[]>('GET', `${base(eventId)}/checkins?${q}`);
}
export const listEventTemplates = () => organiserRequest<EventTemplate[]>('GET', '/api/event-templates');
