import type { DashboardSnapshot } from '@edgewise/shared';
import { organiserRequest } from '../auth/session';

export const getDashboard = (eventId: string) =>
  organiserRequest<DashboardSnapshot>('GET', `/api/events/${encodeURIComponent(eventId)}/dashboard`);
