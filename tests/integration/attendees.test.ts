import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkins, intents, tickets } from '@edgewise/db';
import type { GuestListChanged, GuestListEntry } from '@edgewise/shared';
import { aGuest, anAttendee, anOpenEvent, anOrganiser, type Organiser } from '../fixtures/builders';
import { aSocket, dbKinds, request, startServer, type TestServer } from '../fixtures/server';

describe.each(dbKinds)('attendees (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;

  beforeAll(async () => {
    sut = await startServer(kind);
    org = await anOrganiser(sut);
  });
  afterAll(async () => {
    await sut?.close();
  });

  const guestList = async (eventId: string, q?: string) => {
    const res = await org.get(`/api/events/${eventId}/attendees${q === undefined ? '' : `?q=${encodeURIComponent(q)}`}`);
    expect(res.status).toBe(200);
    return res.body as GuestListEntry[];
  };

  describe('adding', () => {
    it('adds an attendee with a lower-cased email and issues a ticket whose QR link carries a 144-bit secret', async () => {
      const eventId = await anOpenEvent(org);
      const res = await org.post(`/api/events/${eventId}/attendees`, { name: '  Ana Sousa ', email: 'Ana.Sousa@Example.ORG', company: 'Tidewater', firstTime: true });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        eventId,
        name: 'Ana Sousa',
        email: 'ana.sousa@example.org',
        company: 'Tidewater',
        role: '',
        firstTime: true,
        host: false,
        source: 'manual',
      });

      const ticket = await org.get(`/api/events/${eventId}/attendees/${res.body.id}/ticket`);
      expect(ticket.status).toBe(200);
      expect(ticket.body.attendeeId).toBe(res.body.id);
      expect(ticket.body.secret).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(ticket.body.url).toBe(`${sut.deps.publicUrl}/t/${ticket.body.secret}`);
      expect(Date.parse(ticket.body.issuedAt)).toBe(sut.clock());
    });

    it('gives every attendee a different ticket secret', async () => {
      const eventId = await anOpenEvent(org);
      const secrets = new Set<string>();
      for (let i = 0; i < 5; i++) secrets.add((await aGuest(org, eventId)).secret);
      expect(secrets.size).toBe(5);
    });

    it('refuses a second attendee with the same email in any case, naming the one already registered', async () => {
      const eventId = await anOpenEvent(org);
      const first = await aGuest(org, eventId, { email: 'bruno@example.org' });
      const res = await org.post(`/api/events/${eventId}/attendees`, anAttendee({ email: 'BRUNO@example.org' }));
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('duplicate_email');
      expect(res.body.error.details).toEqual({ attendeeId: first.id });
      expect(await guestList(eventId)).toHaveLength(1);
    });

    it('lets the same email register for two different events, and several guests go without email', async () => {
      const a = await anOpenEvent(org);
      const b = await anOpenEvent(org);
      expect((await org.post(`/api/events/${a}/attendees`, anAttendee({ email: 'carla@example.org' }))).status).toBe(201);
      expect((await org.post(`/api/events/${b}/attendees`, anAttendee({ email: 'carla@example.org' }))).status).toBe(201);
      expect((await org.post(`/api/events/${a}/attendees`, anAttendee({ email: null }))).status).toBe(201);
      expect((await org.post(`/api/events/${a}/attendees`, anAttendee({ email: null }))).status).toBe(201);
      expect(await guestList(a)).toHaveLength(3);
    });

    it('refuses a blank name, a bad email and control characters with validation_failed', async () => {
      const eventId = await anOpenEvent(org);
      for (const body of [{ name: '   ' }, { name: 'Dan', email: 'not-an-email' }, { name: 'Dan\u0007' }, { name: 'x'.repeat(121) }]) {
        const res = await org.post(`/api/events/${eventId}/attendees`, body);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
      }
      expect(await guestList(eventId)).toEqual([]);
    });

    it('answers 404 for an event that does not exist and 401 without a session', async () => {
      const missing = await org.post(`/api/events/${randomUUID()}/attendees`, anAttendee());
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');

      const eventId = await anOpenEvent(org);
      const anonymous = await request(sut.url).post(`/api/events/${eventId}/attendees`).send(anAttendee());
      expect(anonymous.status).toBe(401);
      expect((await request(sut.url).get(`/api/events/${eventId}/attendees`)).status).toBe(401);
    });
  });

  describe('editing and removing', () => {
    it('edits only the fields sent', async () => {
      const eventId = await anOpenEvent(org);
      const guest = await aGuest(org, eventId, { name: 'Dora Lima', company: 'Kelp', role: 'Engineer' });
      const res = await org.patch(`/api/events/${eventId}/attendees/${guest.id}`, { role: 'CTO', host: true, email: 'DORA@example.org' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: guest.id, name: 'Dora Lima', company: 'Kelp', role: 'CTO', host: true, email: 'dora@example.org' });
      const [entry] = await guestList(eventId);
      expect(entry).toMatchObject({ role: 'CTO', host: true, email: 'dora@example.org' });
    });

    it('refuses an edit to an email another attendee of the event uses', async () => {
      const eventId = await anOpenEvent(org);
      const taken = await aGuest(org, eventId, { email: 'eva@example.org' });
      const other = await aGuest(org, eventId, { email: 'fred@example.org' });
      const res = await org.patch(`/api/events/${eventId}/attendees/${other.id}`, { email: 'Eva@Example.org' });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'duplicate_email', details: { attendeeId: taken.id } });
      // Re-saving one's own email is not a clash.
      expect((await org.patch(`/api/events/${eventId}/attendees/${taken.id}`, { email: 'eva@example.org' })).status).toBe(200);
    });

    it('deletes an attendee with their tickets, check-ins and intent', async () => {
      const eventId = await anOpenEvent(org);
      const guest = await aGuest(org, eventId);
      const keep = await aGuest(org, eventId);
      const db = sut.database.db;
      await db.insert(checkins).values(aScan(eventId, guest.id, { type: 'entry', at: '2026-11-25T18:00:00Z' }));
      await db.insert(intents).values({ attendeeId: guest.id, eventId, seeks: [], offers: [], interests: [] });

      const res = await org.delete(`/api/events/${eventId}/attendees/${guest.id}`);
      expect(res.status).toBe(204);
      expect((await guestList(eventId)).map((g) => g.id)).toEqual([keep.id]);
      expect(await db.select().from(tickets).where(eq(tickets.attendeeId, guest.id))).toEqual([]);
      expect(await db.select().from(checkins).where(eq(checkins.attendeeId, guest.id))).toEqual([]);
      expect(await db.select().from(intents).where(eq(intents.attendeeId, guest.id))).toEqual([]);
      expect((await org.get(`/api/events/${eventId}/attendees/${guest.id}/ticket`)).status).toBe(404);
      expect((await org.delete(`/api/events/${eventId}/attendees/${guest.id}`)).status).toBe(404);
    });

    it("never reaches another event's attendee through this event's paths", async () => {
      const theirs = await anOpenEvent(org);
      const ours = await anOpenEvent(org);
      const guest = await aGuest(org, theirs, { name: 'Gil Neves' });
      const paths = [
        org.patch(`/api/events/${ours}/attendees/${guest.id}`, { name: 'Hijacked' }),
        org.delete(`/api/events/${ours}/attendees/${guest.id}`),
        org.get(`/api/events/${ours}/attendees/${guest.id}/ticket`),
        org.get(`/api/events/${ours}/attendees/${guest.id}/ticket/qr`),
        org.post(`/api/events/${ours}/attendees/${guest.id}/ticket/reissue`),
        org.post(`/api/events/${ours}/attendees/${guest.id}/ticket/revoke`),
      ];
      for (const res of await Promise.all(paths)) {
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
      const [still] = await guestList(theirs);
      expect(still).toMatchObject({ id: guest.id, name: 'Gil Neves', ticketRevoked: false });
      expect((await org.get(`/api/events/${theirs}/attendees/${guest.id}/ticket`)).body.secret).toBe(guest.secret);
      expect(await guestList(ours)).toEqual([]);
    });
  });

  describe('the guest list', () => {
    it('sorts by name ignoring case and filters by name, email or company', async () => {
      const eventId = await anOpenEvent(org);
      await aGuest(org, eventId, { name: 'zé Carlos', email: 'ze@example.org', company: 'Moinho' });
      await aGuest(org, eventId, { name: 'Beatriz Costa', email: 'bia@tidewater.example', company: 'Sol' });
      await aGuest(org, eventId, { name: 'Álvaro Reis', email: null, company: 'Tidewater 100%' });
      await aGuest(org, eventId, { name: 'amélia Duarte', email: 'amelia@example.org', company: 'Kelp' });

      expect((await guestList(eventId)).map((g) => g.name)).toEqual(['Álvaro Reis', 'amélia Duarte', 'Beatriz Costa', 'zé Carlos']);
      expect((await guestList(eventId, 'TIDEWATER')).map((g) => g.name)).toEqual(['Álvaro Reis', 'Beatriz Costa']);
      expect((await guestList(eventId, 'carlos')).map((g) => g.name)).toEqual(['zé Carlos']);
      // `%` is a letter to search for, not a wildcard.
      expect((await guestList(eventId, '100%')).map((g) => g.name)).toEqual(['Álvaro Reis']);
      expect((await guestList(eventId, '%')).map((g) => g.name)).toEqual(['Álvaro Reis']);
      expect(await guestList(eventId, 'nobody')).toEqual([]);
    });

    it('derives presence, first check-in, last scan, intent and flags from the log', async () => {
      const eventId = await anOpenEvent(org);
      const never = await aGuest(org, eventId, { name: 'A Never' });
      const inside = await aGuest(org, eventId, { name: 'B Inside' });
      const left = await aGuest(org, eventId, { name: 'C Left' });
      const late = await aGuest(org, eventId, { name: 'D Offline' });
      const db = sut.database.db;
      await db.insert(checkins).values([
        aScan(eventId, inside.id, { type: 'entry', at: '2026-11-25T18:05:00Z' }),
        // A refused repeat scan is a sighting, not a change of presence.
        aScan(eventId, inside.id, { type: 'entry', at: '2026-11-25T18:30:00Z', effective: false, status: 'already_checked_in' }),
        aScan(eventId, left.id, { type: 'entry', at: '2026-11-25T18:00:00Z' }),
        aScan(eventId, left.id, { type: 'exit', at: '2026-11-25T19:00:00Z' }),
        aScan(eventId, left.id, { type: 'entry', at: '2026-11-25T19:30:00Z', effective: false, status: 'event_closed' }),
        // Uploaded after the exit but scanned before it: the exit is still the latest.
        aScan(eventId, late.id, { type: 'entry', at: '2026-11-25T18:10:00Z' }),
        aScan(eventId, late.id, { type: 'exit', at: '2026-11-25T18:50:00Z' }),
        aScan(eventId, late.id, { type: 'entry', at: '2026-11-25T18:20:00Z', flagged: true, receivedAt: '2026-11-25T19:40:00Z' }),
      ]);
      await db.insert(intents).values({ attendeeId: inside.id, eventId, seeks: ['Investors'], offers: [], interests: [] });

      const byId = new Map((await guestList(eventId)).map((g) => [g.id, g]));
      expect(byId.get(never.id)).toMatchObject({ presence: 'not_arrived', firstCheckinAt: null, lastScanAt: null, hasIntent: false, flagged: false });
      expect(byId.get(inside.id)).toMatchObject({
        presence: 'present',
        firstCheckinAt: '2026-11-25T18:05:00.000Z',
        lastScanAt: '2026-11-25T18:30:00.000Z',
        hasIntent: true,
        flagged: false,
      });
      expect(byId.get(left.id)).toMatchObject({ presence: 'left', firstCheckinAt: '2026-11-25T18:00:00.000Z', lastScanAt: '2026-11-25T19:30:00.000Z' });
      expect(byId.get(late.id)).toMatchObject({ presence: 'left', firstCheckinAt: '2026-11-25T18:10:00.000Z', flagged: true });
      for (const g of byId.values()) expect(g).toMatchObject({ ticketRevoked: false, ticketIssuedAt: new Date(sut.clock()).toISOString() });
    });

    it('shows a revoked ticket until one is reissued', async () => {
      const eventId = await anOpenEvent(org);
      const guest = await aGuest(org, eventId);
      expect((await org.post(`/api/events/${eventId}/attendees/${guest.id}/ticket/revoke`)).status).toBe(204);
      expect((await guestList(eventId))[0]).toMatchObject({ ticketRevoked: true, ticketIssuedAt: null });
      sut.clock.advance(60_000);
      expect((await org.post(`/api/events/${eventId}/attendees/${guest.id}/ticket/reissue`)).status).toBe(201);
      expect((await guestList(eventId))[0]).toMatchObject({ ticketRevoked: false, ticketIssuedAt: new Date(sut.clock()).toISOString() });
    });
  });

  it("tells the event's organisers when the guest list changes, and nobody else", async () => {
    const eventId = await anOpenEvent(org);
    const other = await anOpenEvent(org);
    const socket = await aSocket(sut, { cookie: org.cookie });
    const bystander = await aSocket(sut, { cookie: org.cookie });
    try {
      expect(await socket.emitWithAck('event:subscribe', { eventId })).toEqual({ ok: true, data: { eventId } });
      expect(await bystander.emitWithAck('event:subscribe', { eventId: other })).toMatchObject({ ok: true });
      const seen: GuestListChanged[] = [];
      const strays: GuestListChanged[] = [];
      socket.on('guestlist:changed', (p) => seen.push(p));
      bystander.on('guestlist:changed', (p) => strays.push(p));

      const guest = await aGuest(org, eventId);
      await waitFor(() => seen.length >= 1);
      expect(seen[0]).toEqual({ eventId, version: sut.clock() });

      await org.patch(`/api/events/${eventId}/attendees/${guest.id}`, { role: 'Speaker' });
      await org.delete(`/api/events/${eventId}/attendees/${guest.id}`);
      await waitFor(() => seen.length >= 3);
      expect(strays).toEqual([]);
    } finally {
      socket.close();
      bystander.close();
    }
  });
});

let scanSeq = 0;

/** A row of the check-in log as the kiosk flow writes it. */
function aScan(
  eventId: string,
  attendeeId: string,
  o: { type: 'entry' | 'exit'; at: string; effective?: boolean; flagged?: boolean; status?: string; receivedAt?: string },
) {
  const effective = o.effective ?? true;
  return {
    eventId,
    attendeeId,
    nonce: `scan-${Date.now().toString(36)}-${++scanSeq}`,
    type: o.type,
    method: 'qr_camera',
    status: o.status ?? 'ok',
    reason: effective ? (o.type === 'entry' ? 'first_entry' : 'exit') : 'already_present',
    scannedAt: new Date(o.at),
    receivedAt: new Date(o.receivedAt ?? o.at),
    flagged: o.flagged ?? false,
    effective,
  };
}

async function waitFor(check: () => boolean, ms = 2000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
