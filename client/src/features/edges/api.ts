import type { CreateIntroductionBody, EdgesList, Introduction } from '@edgewise/shared';
import { organiserRequest } from '../auth/session';

const base = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`;

export const getEdges = (eventId: string) => organiserRequest<EdgesList>('GET', `${base(eventId)}/edges`);
export const listIntroductions = (eventId: string) => organiserRequest<Introduction[]>('GET', `${base(eventId)}/introductions`);
export const createIntroduction = (eventId: string, body: CreateIntroductionBody) =>
  organiserRequest<Introduction>('POST', `${base(eventId)}/introductions`, body);
