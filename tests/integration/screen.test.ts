import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, IntentBody, ScreenSnapshot } from '@edgewise/shared';
import { anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aKioskRoom } from '../fixtures/room';
import { aSocket, dbKinds, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

const sync = (socket: ClientSocket) => new Promise<Ack<ScreenSnapshot>>((resolve) => socket.emit('screen:sync', {}, resolve));

async function synced(socket: ClientSocket): Promise<ScreenSnapshot> {
  const ack = await sync(socket);
  if (!ack.ok) throw new Error(`screen:sync refused: ${ack.error.code}`);
  return ack.data;
}

function recorder(socket: ClientSocket) {
  const got: ScreenSnapshot[] = [];
  socket.on('screen:changed', (p) => got.push(p));
  return got;
}

const names = (s: ScreenSnapshot) => ({
  welcomes: s.welcomes.map((w) => w.name).sort(),
  cards: s.cards.map((c) => [c.a.name, c.b.name].sort().join(' & ')).sort(),
});

describe.each(dbKinds)('the big screen (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    sut = await startServer(kind, { limits: { pairPerWindow: 1000 } });
    org = await anOrganiser(sut);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await sut?.close();
  });

  const connect = async (opts: { token?: string; cookie?: string }) => {
    const socket = await aSocket(sut, opts);
    sockets.push(socket);
    return socket;
  };

  async function aRoom() {
    const room = await aKioskRoom(sut, org, sockets, { name: 'Ocean Data Meetup' });
    const screen = await aPairedDevice(sut, org, room.eventId, 'screen');
    const arrive = (name: string, email: string, intent: Partial<IntentBody>) => room.arriveAtKiosk(name, intent, { email, company: `${name.split(' ')[0]} & Co` });
    return { eventId: room.eventId, kiosk: room.kiosk, screen, arrive };
  }

  const shown = { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'], showOnScreen: true };
  const shownToo = { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'], showOnScreen: true };
  const hidden = { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'], showOnScreen: false };

  it('welcomes and pairs only people who agreed to be shown, with nothing to contact them by', async () => {
    const room = await aRoom();
    await room.arrive('Ana Shown', 'ana.shown@example.org', shown);
    await room.arrive('Ben Shown', 'ben.shown@example.org', shownToo);
    await room.arrive('Carl Hidden', 'carl.hidden@example.org', hidden);
    await sut.matching.settled();

    const snapshot = await synced(await connect({ token: room.screen.token }));
    expect(snapshot).toMatchObject({ eventId: room.eventId, eventName: 'Ocean Data Meetup', screenEnabled: true, present: 3 });
    expect(names(snapshot)).toEqual({ welcomes: ['Ana Shown', 'Ben Shown'], cards: ['Ana Shown & Ben Shown'] });
    const card = snapshot.cards[0]!;
    expect(card.state).toBe('proposed');
    expect(card.reasons).toEqual(expect.arrayContaining(['Both into Climate']));
    expect(card.reasons.some((r) => /offers Investors/.test(r))).toBe(true);
    expect(card.a.company).toMatch(/& Co$/);
    const text = JSON.stringify(snapshot);
    expect(text).not.toMatch(/@example\.org/);
    expect(text).not.toMatch(/Carl/);
    expect(text).not.toMatch(/that's you|you're looking for/);
  });

  it("pushes new content to the event's screens as people arrive, and nothing to another event's screen", async () => {
    const room = await aRoom();
    const other = await aRoom();
    const here = await connect({ token: room.screen.token });
    const there = await connect({ token: other.screen.token });
    const toHere = recorder(here);
    const toThere = recorder(there);

    await room.arrive('Dora Arrives', 'dora@example.org', shown);
    await sut.matching.settled();
    await sync(here);
    await sync(there);

    expect(toHere.length).toBeGreaterThan(0);
    expect(toHere.at(-1)).toMatchObject({ eventId: room.eventId, present: 1 });
    expect(names(toHere.at(-1)!).welcomes).toEqual(['Dora Arrives']);
    expect(toThere).toEqual([]);

    // The other event's screen asks for its snapshot: it gets its own event's, never this one.
    const theirs = await synced(there);
    expect(theirs).toMatchObject({ eventId: other.eventId, present: 0, welcomes: [], cards: [] });
  });

  it('answers screen:sync to paired screens only', async () => {
    const room = await aRoom();
    const kioskSocket = await connect({ token: room.kiosk.token });
    const organiserSocket = await connect({ cookie: org.cookie });
    for (const socket of [kioskSocket, organiserSocket]) {
      const ack = await sync(socket);
      expect(ack).toEqual({ ok: false, error: { code: 'forbidden', message: 'Paired screens only.' } });
    }
  });

  it('lets welcomes go after 15 minutes and keeps the cards', async () => {
    const room = await aRoom();
    await room.arrive('Eli Early', 'eli@example.org', shown);
    await room.arrive('Fay Early', 'fay@example.org', shownToo);
    await sut.matching.settled();
    const screen = await connect({ token: room.screen.token });
    expect(names(await synced(screen)).welcomes).toEqual(['Eli Early', 'Fay Early']);
    const changes = recorder(screen);

    sut.clock.advance(16 * 60_000);
    await sut.matching.runGlobalPass(room.eventId);
    await sync(screen);
    expect(changes.at(-1)).toMatchObject({ welcomes: [], present: 2 });
    expect(names(changes.at(-1)!).cards).toEqual(['Eli Early & Fay Early']);
  });

  it('shows nothing but the head count once the organiser turns the screen off', async () => {
    const room = await aRoom();
    await room.arrive('Gus Shown', 'gus@example.org', shown);
    await room.arrive('Hana Shown', 'hana@example.org', shownToo);
    await sut.matching.settled();
    const screen = await connect({ token: room.screen.token });
    const changes = recorder(screen);

    const res = await org.patch(`/api/events/${room.eventId}`, { settings: { screenEnabled: false } });
    expect(res.status).toBe(200);
    await sut.matching.settled();
    await sync(screen);
    expect(changes.at(-1)).toMatchObject({ screenEnabled: false, welcomes: [], cards: [], present: 2 });
    expect(await synced(screen)).toMatchObject({ screenEnabled: false, welcomes: [], cards: [] });
  });
});
