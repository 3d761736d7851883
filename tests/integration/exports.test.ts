import { parse } from 'csv-parse/sync';
import type { Test } from 'supertest';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introductions, suggestions } from '@edgewise/db';
import { attendeeExportColumns, suggestionExportColumns, type CheckinOutcome } from '@edgewise/shared';
import { aGuest, anIntent, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { dbKinds, request, startServer, type TestServer } from '../fixtures/server';
import { aSignedInToken } from '../fixtures/credentials';

type Guest = Awaited<ReturnType<typeof aGuest>>;

/** The raw bytes of a response, whatever its type: a BOM must not be lost on the way. */
const bytes = (req: Test) =>
  req.buffer(true).parse((res, cb) => {
    const stream = res as unknown as NodeJS.ReadableStream;
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => cb(null, Buffer.concat(chunks)));
  });

function readCsv(body: Buffer): Record<string, string>[] {
  return parse(body.toString('utf8'), { bom: true, columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
}

describe.each(dbKinds)('CSV exports (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  let eventId: string;
  let slug: string;
  let zoe: Guest;
  let li: Guest;
  let ben: Guest;
  let kiosk: { token: string };

  const now = () => new Date(sut.clock()).toISOString();
  const scan = async (guest: Guest, type: 'entry' | 'exit') => {
    const res = await request(sut.url)
      .post(`/api/events/${eventId}/checkins`)
      .set('authorization', `Bearer ${kiosk.token}`)
      .send({ token: guest.secret, type, nonce: aNonce(), scannedAt: now() });
    expect((res.body as CheckinOutcome).status).toBe('ok');
  };
  const csv = (name: 'attendees' | 'suggestions', agent = org.agent) => bytes(agent.get(`/api/events/${eventId}/exports/${name}.csv`));

  beforeAll(async () => {
    sut = await startServer(kind);
    org = await anOrganiser(sut);
    // Kolkata's +05:30 shows that times are written in the event's zone, not the server's.
    eventId = await anOpenEvent(org, { timeZone: 'Asia/Kolkata', slug: `export-night-${kind}` });
    slug = `export-night-${kind}`;
    kiosk = await aPairedDevice(sut, org, eventId);
    zoe = await aGuest(org, eventId, { name: 'Zoë Åberg', email: 'zoe@example.org', company: '=HYPERLINK("http://evil.example","click")', role: '+1 designer', firstTime: true });
    li = await aGuest(org, eventId, { name: '李小龍', email: null, company: 'Dragon, "Ltd"', role: 'Line one' });
    ben = await aGuest(org, eventId, { name: 'Ben Okafor', email: 'ben@example.org', company: 'Northwind', role: 'Investor', host: true });
    const intent = await org.put(`/api/events/${eventId}/attendees/${zoe.id}/intent`, anIntent({ seeks: ['Investors', 'Advice'], offers: ['Design'], askMeAbout: '@everyone -tidal energy' }));
    expect(intent.status).toBe(200);

    sut.clock.set(Date.parse('2026-11-25T18:00:00Z'));
    await scan(zoe, 'entry');
    sut.clock.set(Date.parse('2026-11-25T18:30:00Z'));
    await scan(ben, 'entry');
    sut.clock.set(Date.parse('2026-11-25T19:45:10Z'));
    await scan(ben, 'exit');
    // Matching stops with the doors, so the pairs below are the whole story.
    expect((await org.patch(`/api/events/${eventId}`, { status: 'closed' })).status).toBe(200);
    await sut.matching.settled();

    const db = sut.database.db;
    const at = (iso: string) => new Date(iso);
    await db.delete(suggestions).where(sql`${suggestions.eventId} = ${eventId}`);
    await db.insert(suggestions).values([
      {
        eventId, attendeeId: zoe.id, targetId: ben.id, score: 0.8, state: 'met', answer: 'yes', listed: false,
        reasons: [{ kind: 'receives', text: "They offer Investors, which you're looking for" }],
        createdAt: at('2026-11-25T18:31:00Z'), answeredAt: at('2026-11-25T18:40:00Z'), mutualAt: at('2026-11-25T18:50:00Z'), metAt: at('2026-11-25T19:00:00Z'),
      },
      {
        eventId, attendeeId: ben.id, targetId: zoe.id, score: 0.6, state: 'met', answer: 'yes', listed: false,
        reasons: [{ kind: 'gives', text: '=cmd|calc' }],
        createdAt: at('2026-11-25T18:31:00Z'), answeredAt: at('2026-11-25T18:50:00Z'), mutualAt: at('2026-11-25T18:50:00Z'), metAt: at('2026-11-25T19:00:00Z'),
      },
      { eventId, attendeeId: li.id, targetId: zoe.id, score: 0.3, state: 'declined', answer: 'no', listed: false, reasons: [], createdAt: at('2026-11-25T18:20:00Z'), answeredAt: at('2026-11-25T18:21:00Z') },
    ]);
    await db.insert(introductions).values({ eventId, aId: li.id, bId: ben.id, byName: 'Olga Organiser', message: 'You both build boats', createdAt: at('2026-11-25T19:10:00Z') });
  });
  afterAll(async () => {
    await sut?.close();
  });

  it('exports the guest list as a spreadsheet-safe UTF-8 CSV with a BOM, times in the event zone', async () => {
    const res = await csv('attendees');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${slug}-attendees.csv"; filename*=UTF-8''${slug}-attendees.csv`);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8');
    expect(text.split('\r\n').at(-1)).toBe('');

    const rows = readCsv(body);
    expect(Object.keys(rows[0] ?? {})).toEqual([...attendeeExportColumns]);
    expect(rows.map((r) => r.Name)).toEqual(['Ben Okafor', 'Zoë Åberg', '李小龍']);
    const [b, z, l] = rows;
    expect(z).toMatchObject({
      Email: 'zoe@example.org',
      // Formulas arrive as the text people typed, behind the apostrophe spreadsheets read as "text".
      Company: `'=HYPERLINK("http://evil.example","click")`,
      Role: "'+1 designer",
      'First time': 'yes',
      'First check-in': '2026-11-25T23:30:00+05:30',
      // Closing the event (at 19:45:10Z, with Ben's exit) checked her out.
      'Last check-out': '2026-11-26T01:15:10+05:30',
      Present: 'no',
      // Each side in its own words.
      'Looking for': 'Investors; Advice',
      Offering: 'I design',
      'Ask me about': "'@everyone -tidal energy",
      // The link her QR carries, for a mail merge or a badge printer.
      'Ticket link': `${sut.deps.publicUrl}/t/${zoe.secret}`,
    });
    expect(b).toMatchObject({ Host: 'yes', 'First check-in': '2026-11-26T00:00:00+05:30', 'Last check-out': '2026-11-26T01:15:10+05:30', Present: 'no' });
    expect(l).toMatchObject({ Email: '', Company: 'Dragon, "Ltd"', 'First check-in': '', Present: 'no', 'Ticket link': `${sut.deps.publicUrl}/t/${li.secret}` });
  });

  it('exports every pair once with answers, times and the introduction that joined them', async () => {
    const res = await csv('suggestions');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain(`filename="${slug}-suggestions.csv"`);
    const rows = readCsv(res.body as Buffer);
    expect(Object.keys(rows[0] ?? {})).toEqual([...suggestionExportColumns]);
    expect(rows.map((r) => [r['Person A'], r['Person B'], r.State])).toEqual([
      ['Ben Okafor', 'Zoë Åberg', 'met'],
      ['Ben Okafor', '李小龍', 'mutual'],
      ['Zoë Åberg', '李小龍', 'declined'],
    ]);
    expect(rows[0]).toMatchObject({
      Score: '0.7',
      'Reasons (A sees)': "'=cmd|calc",
      'Reasons (B sees)': "They offer Investors, which you're looking for",
      'A answered': 'yes',
      'A answered at': '2026-11-26T00:20:00+05:30',
      'B answered at': '2026-11-26T00:10:00+05:30',
      'Mutual at': '2026-11-26T00:20:00+05:30',
      'Met at': '2026-11-26T00:30:00+05:30',
      'Introduced by': '',
    });
    expect(rows[1]).toMatchObject({ 'Introduced by': 'Olga Organiser', 'Introduction message': 'You both build boats', 'Introduced at': '2026-11-26T00:40:00+05:30' });
    expect(rows[2]).toMatchObject({ 'A answered': '', 'B answered': 'no', 'B answered at': '2026-11-25T23:51:00+05:30' });
  });

  it('is for organisers only', async () => {
    const anonymous = await request(sut.url).get(`/api/events/${eventId}/exports/attendees.csv`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    const fromKiosk = await request(sut.url).get(`/api/events/${eventId}/exports/suggestions.csv`).set('authorization', `Bearer ${kiosk.token}`);
    expect(fromKiosk.status).toBe(401);
    const asAttendee = await request(sut.url)
      .get(`/api/events/${eventId}/exports/attendees.csv`)
      .set('authorization', `Bearer ${await aSignedInToken(sut, zoe.id)}`);
    expect(asAttendee.status).toBe(401);
    const unknown = await org.get(`/api/events/00000000-0000-4000-8000-000000000000/exports/attendees.csv`);
    expect(unknown.status).toBe(404);
    expect((await org.get(`/api/events/not-an-id/exports/attendees.csv`)).status).toBe(400);
  });

  it('leaves a deleted attendee out of both exports', async () => {
    const token = await aSignedInToken(sut, ben.id);
    const gone = await request(sut.url).delete('/api/me').set('authorization', `Bearer ${token}`).send({ confirm: 'delete my data' });
    expect(gone.status).toBe(204);
    const people = readCsv((await csv('attendees')).body as Buffer);
    expect(people.map((r) => r.Name)).toEqual(['Zoë Åberg', '李小龍']);
    const pairs = readCsv((await csv('suggestions')).body as Buffer);
    expect(pairs.map((r) => [r['Person A'], r['Person B']])).toEqual([['Zoë Åberg', '李小龍']]);
    const all = ((await csv('suggestions')).body as Buffer).toString('utf8') + ((await csv('attendees')).body as Buffer).toString('utf8');
    expect(all).not.toMatch(/Ben|Okafor|Northwind|ben@example/);
  });
});
