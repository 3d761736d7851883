import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '@edgewise/db';
import type { GuestListChanged, GuestListEntry, ImportPreview } from '@edgewise/shared';
import { aGuest, anOpenEvent, anOrganiser, type Organiser } from '../fixtures/builders';
import { aSocket, dbKinds, startServer, type TestServer } from '../fixtures/server';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/csv/${name}`, import.meta.url));

describe.each(dbKinds)('guest-list import (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;

  beforeAll(async () => {
    sut = await startServer(kind);
    org = await anOrganiser(sut);
  });
  afterAll(async () => {
    await sut?.close();
  });

  const upload = (path: string, csv: Buffer | string) =>
    org.agent.post(path).set('x-csrf-token', org.csrf).set('content-type', 'text/csv').send(Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'));
  const preview = (eventId: string, csv: Buffer | string) => upload(`/api/events/${eventId}/attendees/import/preview`, csv);
  const commit = (eventId: string, csv: Buffer | string, skipDuplicates?: boolean) =>
    upload(`/api/events/${eventId}/attendees/import${skipDuplicates === undefined ? '' : `?skipDuplicates=${skipDuplicates}`}`, csv);
  const guestList = async (eventId: string) => (await org.get(`/api/events/${eventId}/attendees`)).body as GuestListEntry[];

  describe('preview', () => {
    it('gives each row of a messy export its verdict and writes nothing', async () => {
      const eventId = await anOpenEvent(org);
      await aGuest(org, eventId, { name: 'Existing Person', email: 'existing@example.org' });

      const res = await preview(eventId, fixture('mixed.csv'));
      expect(res.status).toBe(200);
      const body = res.body as ImportPreview;
      expect(body.columns).toEqual(['name', 'email', 'company', 'role', 'firstTime', 'host']);
      expect(body.unknownColumns).toEqual(['Dietary']);

      const verdicts = body.rows.map((r) => [r.line, r.status, r.problems.map((p) => `${p.field}:${p.code}`).join(' ')]);
      expect(verdicts).toEqual([
        [2, 'add', ''],
        [3, 'add', ''], // its quoted Dietary cell runs onto line 4
        [5, 'error', 'name:formula_injection'],
        [6, 'error', 'name:required'],
        [7, 'error', 'email:invalid_email'],
        [8, 'duplicate', 'email:duplicate_in_file'],
        [9, 'duplicate', 'email:already_registered'],
        [10, 'add', ''],
        [11, 'error', 'name:too_long'],
        [12, 'error', 'company:formula_injection'],
        [13, 'add', ''],
        [14, 'error', 'firstTime:invalid_boolean'],
        [15, 'error', 'row:too_many_cells'],
        [16, 'add', ''],
      ]);
      expect(body.summary).toEqual({ add: 5, error: 7, duplicate: 2 });

      const row = (line: number) => body.rows.find((r) => r.line === line);
      // Quoted commas and doubled quotes come through as written; yes/no columns become booleans.
      expect(row(2)?.data).toEqual({ name: 'Ana Sousa', email: 'ana@example.org', company: 'Tidewater, Lda', role: 'Designer', firstTime: true, host: false });
      expect(row(3)?.data).toMatchObject({ name: 'Bruno "Bru" Lima', firstTime: false, host: true });
      expect(row(8)?.problems[0]?.message).toBe('same email as line 2');
      expect(row(9)?.problems[0]?.message).toBe('already on the guest list as Existing Person');
      expect(row(5)?.problems[0]?.message).toMatch(/= \+ - @ are refused/);
      expect(row(10)?.data.name).toHaveLength(120);
      expect(row(13)?.data).toMatchObject({ name: 'Дмитрий Иванов', company: 'Яндекс', firstTime: true });

      expect(await guestList(eventId)).toHaveLength(1);
    });

    it('reads first and last name columns and semicolon-separated files', async () => {
      const eventId = await anOpenEvent(org);
      const res = await preview(eventId, fixture('semicolon-first-last.csv'));
      expect(res.status).toBe(200);
      expect(res.body.rows.map((r: ImportPreview['rows'][number]) => r.data.name)).toEqual(['Nora Silva', 'Otto']);
      expect(res.body.rows[0].data.company).toBe('Atlântico, SA');
    });

    it('refuses a Latin-1 file with csv_encoding and asks for "CSV UTF-8" instead of guessing', async () => {
      const eventId = await anOpenEvent(org);
      const res = await preview(eventId, fixture('latin1.csv'));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('csv_encoding');
      expect(res.body.error.message).toContain('CSV UTF-8');
    });

    it('refuses unreadable files with csv_malformed and says where', async () => {
      const eventId = await anOpenEvent(org);
      const unclosed = await preview(eventId, fixture('unclosed-quote.csv'));
      expect(unclosed.status).toBe(400);
      expect(unclosed.body.error).toMatchObject({ code: 'csv_malformed', details: { line: 3 } });
      expect(unclosed.body.error.message).toMatch(/^Line 3:/);

      const noName = await preview(eventId, fixture('no-name-column.csv'));
      expect(noName.status).toBe(400);
      expect(noName.body.error.code).toBe('csv_malformed');
      expect(noName.body.error.message).toContain('needs a name column');

      for (const empty of ['', '\uFEFF', '\r\n\r\n']) {
        const res = await preview(eventId, empty);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('csv_malformed');
      }
    });

    it('refuses more than 5000 rows', async () => {
      const eventId = await anOpenEvent(org);
      const rows = Array.from({ length: 5001 }, (_, i) => `Guest ${i},guest${i}@example.org`);
      const res = await preview(eventId, ['name,email', ...rows].join('\n'));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('csv_malformed');
      expect(res.body.error.message).toContain('5000');
    });

    it('answers 404 for an unknown event and 403 without the CSRF token', async () => {
      const missing = await preview(randomUUID(), fixture('clean-bom-crlf.csv'));
      expect(missing.status).toBe(404);
      const eventId = await anOpenEvent(org);
      const noCsrf = await org.agent.post(`/api/events/${eventId}/attendees/import`).set('content-type', 'text/csv').send(fixture('clean-bom-crlf.csv'));
      expect(noCsrf.status).toBe(403);
      expect(await guestList(eventId)).toEqual([]);
    });
  });

  describe('commit', () => {
    it('imports nothing at all when any row has an error, and answers with the preview', async () => {
      const eventId = await anOpenEvent(org);
      await aGuest(org, eventId, { email: 'existing@example.org' });
      const before = await guestList(eventId);

      for (const skip of [undefined, true]) {
        const res = await commit(eventId, fixture('mixed.csv'), skip);
        expect(res.status).toBe(422);
        expect(res.body.error.code).toBe('csv_has_errors');
        expect(res.body.error.details.summary).toEqual({ add: 5, error: 7, duplicate: 2 });
        expect(res.body.error.details.rows).toHaveLength(14);
      }
      const after = await guestList(eventId);
      expect(after.length).toBe(before.length);
      expect(after).toEqual(before);
    });

    it('adds every row of a clean file (BOM, CRLF, quoted commas) with a ticket each, in one go', async () => {
      const eventId = await anOpenEvent(org);
      const socket = await aSocket(sut, { cookie: org.cookie });
      const changes: GuestListChanged[] = [];
      socket.on('guestlist:changed', (p) => changes.push(p));
      await socket.emitWithAck('event:subscribe', { eventId });
      try {
        const res = await commit(eventId, fixture('clean-bom-crlf.csv'));
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ added: 3, skippedDuplicates: 0 });

        const list = await guestList(eventId);
        expect(list.map((g) => g.name)).toEqual(['Beatriz Costa', 'Chen Wei', 'O\'Brien <Dev> & "Sons"']);
        expect(list[1]).toMatchObject({ email: 'chen@example.org', company: 'Tide, Inc.', role: 'Investor', firstTime: false, host: true, source: 'guest_list' });
        expect(list[0]).toMatchObject({ firstTime: true, host: false });
        for (const g of list) {
          expect(g).toMatchObject({ ticketRevoked: false, presence: 'not_arrived' });
          const ticket = await org.get(`/api/events/${eventId}/attendees/${g.id}/ticket`);
          expect(ticket.status).toBe(200);
          expect(ticket.body.secret).toMatch(/^[A-Za-z0-9_-]{24}$/);
        }
        const stored = await sut.database.db.select().from(tickets).where(eq(tickets.eventId, eventId));
        expect(new Set(stored.map((t) => t.secret)).size).toBe(3);

        await waitFor(() => changes.length > 0);
        expect(changes[0]).toEqual({ eventId, version: sut.clock() });
      } finally {
        socket.close();
      }
    });

    it('leaves duplicates out only when told to', async () => {
      const eventId = await anOpenEvent(org);
      const refused = await commit(eventId, fixture('with-duplicates.csv'));
      expect(refused.status).toBe(422);
      expect(refused.body.error.details.summary).toEqual({ add: 3, error: 0, duplicate: 1 });
      expect(await guestList(eventId)).toEqual([]);

      const explicitNo = await commit(eventId, fixture('with-duplicates.csv'), false);
      expect(explicitNo.status).toBe(422);

      const res = await commit(eventId, fixture('with-duplicates.csv'), true);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ added: 3, skippedDuplicates: 1 });
      // The first line with an email wins; the later repeat is the one skipped.
      expect((await guestList(eventId)).map((g) => g.name)).toEqual(['Hugo Reis', 'Inês Faria', 'Joana Pinto']);
    });

    it('treats a second upload of the same file as all duplicates', async () => {
      const eventId = await anOpenEvent(org);
      expect((await commit(eventId, fixture('clean-bom-crlf.csv'))).status).toBe(201);
      const again = await preview(eventId, fixture('clean-bom-crlf.csv'));
      expect(again.body.summary).toEqual({ add: 0, error: 0, duplicate: 3 });
      const res = await commit(eventId, fixture('clean-bom-crlf.csv'), true);
      expect(res.body).toEqual({ added: 0, skippedDuplicates: 3 });
      expect(await guestList(eventId)).toHaveLength(3);
    });

    it('imports a full-size list of 5000 rows atomically', async () => {
      const eventId = await anOpenEvent(org);
      const rows = Array.from({ length: 5000 }, (_, i) => `Guest ${String(i).padStart(4, '0')},guest${i}@example.org,Company ${i % 37}`);
      const res = await commit(eventId, ['name,email,company', ...rows].join('\r\n'));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ added: 5000, skippedDuplicates: 0 });
      const stored = await sut.database.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.eventId, eventId));
      expect(stored).toHaveLength(5000);
    });
  });
});

async function waitFor(check: () => boolean, ms = 2000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
