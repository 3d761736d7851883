import { AuditCsvQuery, AuditPage, AuditQuery } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { Registrar } from '../../http/route';
import { actorOf, recordAudit } from './record';
import { auditPage, sendAuditCsv } from './service';

const TAG = 'Audit';

export function registerAuditRoutes(r: Registrar, ctx: FeatureContext) {
  const db = () => ctx.deps.database.db;

  r.add(
    {
      method: 'get',
      path: '/audit',
      summary: 'The audit log of sensitive actions, newest first, a page at a time (owners only)',
      tag: TAG,
      auth: 'organiser',
      role: 'owner',
      query: AuditQuery,
      response: AuditPage,
    },
    async ({ query, res }) => {
      res.setHeader('cache-control', 'no-store');
      return auditPage(db(), query);
    },
  );

  r.add(
    {
      method: 'get',
      path: '/audit.csv',
      summary: 'The audit log as a spreadsheet-safe CSV (owners only; the export is itself logged)',
      tag: TAG,
      auth: 'organiser',
      role: 'owner',
      query: AuditCsvQuery,
      produces: 'text/csv',
    },
    async ({ query, auth, res }) => {
      await recordAudit(db(), ctx.deps.now(), actorOf(auth), { action: 'export.audit', eventId: query.eventId ?? null });
      await sendAuditCsv(db(), query, res, ctx.deps.now());
      return undefined;
    },
  );
}
