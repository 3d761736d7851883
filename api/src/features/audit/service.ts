import type { Response } from 'express';
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { auditLog, events, type Db } from '@edgewise/db';
import { auditExportColumns, type AuditEntry, type AuditPage, type AuditQuery } from '@edgewise/shared';
import { attachmentHeader, BOM, csvRow } from '../exports/csv';

type Row = typeof auditLog.$inferSelect;

const toEntry = (r: Row): AuditEntry => ({
  id: r.id,
  at: r.at.toISOString(),
  actor: { kind: r.actorKind as AuditEntry['actor']['kind'], id: r.actorId, name: r.actorName },
  action: r.action,
  eventId: r.eventId,
  target: r.targetKind && r.targetId ? { kind: r.targetKind, id: r.targetId, name: r.targetName } : null,
  details: r.details,
});

function filters(q: { eventId?: string | undefined; before?: number | undefined }): SQL | undefined {
  const where: SQL[] = [];
  if (q.eventId) where.push(eq(auditLog.eventId, q.eventId));
  if (q.before !== undefined) where.push(lt(auditLog.id, q.before));
  return where.length ? and(...where) : undefined;
}

/** Newest first, a page at a time: `next` is the `before` of the following page. */
export async function auditPage(db: Db, q: AuditQuery): Promise<AuditPage> {
  const rows = await db.select().from(auditLog).where(filters(q)).orderBy(desc(auditLog.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { entries: page.map(toEntry), next: rows.length > q.limit && last ? last.id : null };
}

/** The whole log (or one event's part) as a spreadsheet-safe CSV, newest first. */
export async function sendAuditCsv(db: Db, q: { eventId?: string | undefined }, res: Response, now: number): Promise<void> {
  const rows = await db
    .select({ entry: auditLog, eventName: events.name })
    .from(auditLog)
    .leftJoin(events, eq(events.id, auditLog.eventId))
    .where(filters(q))
    .orderBy(desc(auditLog.id));
  res.status(200);
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', attachmentHeader(`audit-log-${new Date(now).toISOString().slice(0, 10)}.csv`));
  res.setHeader('cache-control', 'no-store');
  let out = BOM + csvRow(auditExportColumns);
  for (const { entry: r, eventName } of rows) {
    const target = r.targetKind ? `${r.targetKind}: ${r.targetName || r.targetId || ''}` : '';
    out += csvRow([r.at.toISOString(), r.actorName, r.action, eventName ?? r.eventId ?? '', target, Object.keys(r.details).length ? JSON.stringify(r.details) : '']);
  }
  res.end(out);
}
