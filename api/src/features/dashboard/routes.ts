import { DashboardSnapshot, EventIdParams } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { Registrar } from '../../http/route';
import { dashboardSnapshot } from './service';

const TAG = 'Dashboard';

export function registerDashboardRoutes(r: Registrar, ctx: FeatureContext) {
  r.add(
    {
      method: 'get',
      path: '/events/:eventId/dashboard',
      summary: 'The live dashboard: counts, arrivals per five minutes, supply and demand per tag, devices',
      tag: TAG,
      auth: 'organiser',
      role: 'door',
      params: EventIdParams,
      response: DashboardSnapshot,
    },
    async ({ params }) => dashboardSnapshot(ctx, params.eventId),
  );
}
