import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '@edgewise/db';
import { aGuest, anOpenEvent, anOrganiser, type Organiser } from '../fixtures/builders';
import { dbKinds, request, startServer, type TestServer } from '../fixtures/server';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** supertest leaves binary bodies unread unless told how to collect them. */
const binary: Parameters<ReturnType<Organiser['get']>['parse']>[0] = (res, done) => {
  // In Node, superagent hands the parser the raw response stream.
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

describe.each(dbKinds)('tickets (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;

  beforeAll(async () => {
    sut = await startServer(kind);
    org = await anOrganiser(sut);
  });
  afterAll(async () => {
    await sut?.close();
  });

  const ticketPath = (eventId: string, attendeeId: string) => `/api/events/${eventId}/attendees/${attendeeId}/ticket`;
  const ticketRow = async (secret: string) => (await sut.database.db.select().from(tickets).where(eq(tickets.secret, secret)))[0];

  describe('QR codes', () => {
    it('draws the ticket as a PNG that nothing caches', async () => {
      const eventId = await anOpenEvent(org);
      const guest = await aGuest(org, eventId);
      const res = await org.get(`${ticketPath(eventId, guest.id)}/qr?format=png`).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['cache-control']).toBe('no-store');
      const png = res.body as Buffer;
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(png.length).toBeGreaterThan(500);
    });

    it('draws it as SVG by default, with the 4-module quiet zone', async () => {
      const eventId = await anOpenEvent(org);
      const guest = await aGuest(org, eventId);
      for (const path of [`${ticketPath(eventId, guest.id)}/qr`, `${ticketPath(eventId, guest.id)}/qr?format=svg`]) {
        const res = await org.get(path).buffer(true).parse(binary);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
        expect(res.headers['cache-control']).toBe('no-store');
        const svg = (res.body as Buffer).toString('utf8');
        expect(svg).toContain('<svg');
        // The first dark module sits 4 modules in from the edge.
        expect(svg).toMatch(/d="M4 4\.5h7/);
      }
    });

    it('encodes a different picture for a different ticket', async () => {
      const eventId = await anOpenEvent(org);
      const a = await aGuest(org, eventId);
      const b = await aGuest(org, eventId);
      const svgOf = async (id: string) => (await org.get(`${ticketPath(eventId, id)}/qr`).buffer(true).parse(binary)).body.toString('utf8');
      expect(await svgOf(a.id)).not.toBe(await svgOf(b.id));
    });

    it('refuses an unknown format and needs an organiser', async () => {
      const eventId = await anOpenEvent(org);
      const guest = await aGuest(org, eventId);
      const bad = await org.get(`${ticketPath(eventId, guest.id)}/qr?format=gif`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
      expect((await request(sut.url).get(`${ticketPath(eventId, guest.id)}/qr`)).status).toBe(401);
    });
  });

  describe('reissue and revoke', () => {
    it('reissues: a new secret goes live and the old ticket row is revoked', async () => {
      const eventId = await anOpenEvent(org);
      const guest = await aGuest(org, eventId);
      sut.clock.advance(5 * 60_000);

      const res = await org.post(`${ticketPath(eventId, guest.id)}/reissue`);
      expect(res.status).toBe(201);
      expect(res.body.attendeeId).toBe(guest.id);
      expect(res.body.secret).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(res.body.secret).not.toBe(guest.secret);
      expect(res.body.url).toBe(`${sut.deps.publicUrl}/t/${res.body.secret}`);
      expect(res.body.issuedAt).toBe(new Date(sut.clock()).toISOString());

      expect((await org.get(ticketPath(eventId, guest.id))).body).toEqual(res.body);
      expect((await ticketRow(guest.secret))?.revokedAt?.getTime()).toBe(sut.clock());
      expect((await ticketRow(res.body.secret))?.revokedAt).toBeNull();
    });

    it('keeps exactly one live ticket through repeated and concurrent reissues', async () => {
      const eventId = await anOpenEvent(org);
      const guest = await aGuest(org, eventId);
      const results = await Promise.all([1, 2, 3].map(() => org.post(`${ticketPath(eventId, guest.id)}/reissue`)));
      for (const r of results) expect(r.status).toBe(201);
      const rows = await sut.database.db.select().from(tickets).where(eq(tickets.attendeeId, guest.id));
      expect(rows).toHaveLength(4);
      const live = rows.filter((t) => t.revokedAt === null);
      expect(live).toHaveLength(1);
      expect((await org.get(ticketPath(eventId, guest.id))).body.secret).toBe(live[0]?.secret);
    });

    it('revokes: the ticket and its QR are gone until a new one is issued', async () => {
      const eventId = await anOpenEvent(org);
      const guest = await aGuest(org, eventId);
      const res = await org.post(`${ticketPath(eventId, guest.id)}/revoke`);
      expect(res.status).toBe(204);
      expect((await ticketRow(guest.secret))?.revokedAt).not.toBeNull();

      const ticket = await org.get(ticketPath(eventId, guest.id));
      expect(ticket.status).toBe(404);
      expect(ticket.body.error).toEqual({ code: 'not_found', message: 'no live ticket: reissue one' });
      expect((await org.get(`${ticketPath(eventId, guest.id)}/qr`)).status).toBe(404);
      // Revoking again changes nothing and is not an error.
      expect((await org.post(`${ticketPath(eventId, guest.id)}/revoke`)).status).toBe(204);

      const reissued = await org.post(`${ticketPath(eventId, guest.id)}/reissue`);
      expect(reissued.status).toBe(201);
      expect((await org.get(ticketPath(eventId, guest.id))).body.secret).toBe(reissued.body.secret);
    });
  });

  describe('badges', () => {
    it('prints one escaped badge per live ticket, sorted by name, with the date in the event time zone', async () => {
      // 17:00 UTC is 02:00 the next morning in Tokyo.
      const eventId = await anOpenEvent(org, { name: 'Night & Day <Tokyo>', timeZone: 'Asia/Tokyo', venue: 'Hall "B"' });
      const longCjk = '王小明'.repeat(40);
      await aGuest(org, eventId, { name: 'Zoë <script>alert(1)</script>', company: 'Acme & "Sons"', role: "O'Reilly fan" });
      await aGuest(org, eventId, { name: 'Ana Sousa', firstTime: true, company: '', role: '' });
      await aGuest(org, eventId, { name: longCjk, company: '北京科技' });
      const revoked = await aGuest(org, eventId, { name: 'Revoked Person' });
      await org.post(`${ticketPath(eventId, revoked.id)}/revoke`);

      const res = await org.get(`/api/events/${eventId}/badges`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      const html = res.text;

      expect(html).toContain('Zoë &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('Acme &amp; &quot;Sons&quot;');
      expect(html).toContain('O&#39;Reilly fan');
      expect(html).toContain('Night &amp; Day &lt;Tokyo&gt;');
      expect(html).toContain('Hall &quot;B&quot;');
      expect(html).not.toContain('<script');
      expect(html).toContain(longCjk);
      expect(html).not.toContain('Revoked Person');

      expect(html.match(/<svg/g)).toHaveLength(3);
      expect(html.match(/First time here/g)).toHaveLength(1);
      expect(html).toContain('Thu 26 Nov 2026 · 02:00');
      expect(html).toContain('@page { size: A4; margin: 10mm; }');
      expect(html).not.toMatch(/(src|href)=["']?https?:/);

      const order = ['Ana Sousa', 'Zoë &lt;script', longCjk].map((n) => html.indexOf(n));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      // The long name prints smaller than the short one.
      expect(html).toMatch(/class="name name-xl">Ana Sousa</);
      expect(html).toMatch(new RegExp(`class="name name-xs">${longCjk}<`));
    });

    it('prints four badges per A4 sheet', async () => {
      const eventId = await anOpenEvent(org);
      for (let i = 0; i < 5; i++) await aGuest(org, eventId);
      const html = (await org.get(`/api/events/${eventId}/badges`)).text;
      expect(html.match(/<div class="sheet">/g)).toHaveLength(2);
      expect(html.match(/<section class="badge">/g)).toHaveLength(5);
    });

    it('prints a single badge on request, and 404 for a revoked ticket or a stranger', async () => {
      const eventId = await anOpenEvent(org);
      const other = await anOpenEvent(org);
      const one = await aGuest(org, eventId, { name: 'Only Me' });
      await aGuest(org, eventId, { name: 'Not Me' });
      const stranger = await aGuest(org, other);
      const gone = await aGuest(org, eventId);
      await org.post(`${ticketPath(eventId, gone.id)}/revoke`);

      const res = await org.get(`/api/events/${eventId}/badges?attendeeId=${one.id}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Only Me');
      expect(res.text).not.toContain('Not Me');
      expect(res.text.match(/<svg/g)).toHaveLength(1);

      for (const id of [gone.id, stranger.id]) {
        const missing = await org.get(`/api/events/${eventId}/badges?attendeeId=${id}`);
        expect(missing.status).toBe(404);
        expect(missing.body.error.code).toBe('not_found');
      }
    });

    it('says so when there is nothing to print', async () => {
      const eventId = await anOpenEvent(org);
      const res = await org.get(`/api/events/${eventId}/badges`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('No badges to print');
      expect(res.text).not.toContain('<svg');
    });
  });
});
