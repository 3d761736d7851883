import { EventIdParams } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { Registrar } from '../../http/route';
import { actorOf, recordAudit } from '../audit/record';
import { exportAttendees, exportSuggestions } from './service';

const TAG = 'Exports';

export function registerExportRoutes(r: Registrar, ctx: FeatureContext) {
  const db = () => ctx.deps.database.db;

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/exports/attendees.csv',
      summary: 'The guest list as a spreadsheet-safe CSV (UTF-8 with a BOM): check-in times in the event\'s zone, intent and each guest\'s ticket link',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      produces: 'text/csv',
    },
    async ({ params, auth, res }) => {
      await recordAudit(db(), ctx.deps.now(), actorOf(auth), { action: 'export.attendees', eventId: params.eventId });
      await exportAttendees(db(), params.eventId, res, ctx.deps.publicUrl, auth.language);
      return undefined;
    },
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/exports/suggestions.csv',
      summary: 'Every pair suggested or introduced as a spreadsheet-safe CSV: scores, reasons, answers, mutual and met times, who introduced whom',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      produces: 'text/csv',
    },
    async ({ params, auth, res }) => {
      await recordAudit(db(), ctx.deps.now(), actorOf(auth), { action: 'export.suggestions', eventId: params.eventId });
      await exportSuggestions(db(), params.eventId, res, auth.language);
      return undefined;
    },
  );
}
