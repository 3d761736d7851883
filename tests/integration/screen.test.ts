import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREEN_SHOWN_FIELDS, type Ack, type IntentBody, type ScreenPerson, type ScreenSnapshot, type SuggestionView } from '@edgewise/shared';
import { anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aKioskRoom, ask, sync as meSync } from '../fixtures/room';
import { aSocket, dbKinds, startServer, type ClientSocket, type TestServer } from '../fixtures/server';
import en from '../../shared/src/i18n/locales/en';

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
  welcomes: s.welcomes.map((w) => w.person.firstName).sort(),
  cards: s.cards.map((c) => [c.a.firstName, c.b.firstName].sort().join(' & ')).sort(),
});

/** Every person the snapshot shows, wherever they appear. */
const peopleIn = (s: ScreenSnapshot): ScreenPerson[] => [
  ...s.welcomes.map((w) => w.person),
  ...s.cards.flatMap((c) => [c.a, c.b]),
  ...s.introductions.flatMap((i) => [i.a, i.b]),
];

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
    const arriveWithPhone = (name: string, email: string, intent: Partial<IntentBody>) => room.arrive(name, intent, { email, company: `${name.split(' ')[0]} & Co` });
    return { eventId: room.eventId, kiosk: room.kiosk, screen, arrive, arriveWithPhone };
  }

  const shown = { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'], showOnScreen: true };
  const shownToo = { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'], showOnScreen: true };
  const hidden = { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'], showOnScreen: false };

  it('welcomes only people who agreed to be shown, with nothing to contact them by, and pairs nobody matching merely proposed', async () => {
    const room = await aRoom();
    await room.arrive('Ana Shown', 'ana.shown@example.org', shown);
    await room.arrive('Ben Shown', 'ben.shown@example.org', shownToo);
    await room.arrive('Carl Hidden', 'carl.hidden@example.org', hidden);
    await sut.matching.settled();

    const snapshot = await synced(await connect({ token: room.screen.token }));
    expect(snapshot).toMatchObject({ eventId: room.eventId, eventName: 'Ocean Data Meetup', screenEnabled: true, present: 3 });
    // Ana and Ben are suggested to each other, but neither said yes: the room sees no pair.
    expect(names(snapshot)).toEqual({ welcomes: ['Ana', 'Ben'], cards: [] });
    const text = JSON.stringify(snapshot);
    expect(text).not.toMatch(/@example\.org/);
    expect(text).not.toMatch(/Carl/);
    expect(text).not.toMatch(/that[’']s you|you[’']re looking for/);
  });

  it('shows exactly what the consent question says: first names and what they look for, a pair only when both said yes and both agreed', async () => {
    // The consent question names exactly the fields the snapshot is cut to.
    const named: Record<(typeof SCREEN_SHOWN_FIELDS)[number], string> = { firstName: 'your first name', lookingFor: 'what you are looking for' };
    expect(en.intent.screenHint.toLowerCase()).toMatch(new RegExp(`^${SCREEN_SHOWN_FIELDS.map((f) => named[f]).join(' and ')}\\. `));
    expect(en.intent.screenHint).toMatch(/both said yes to meeting or were introduced/);

    const room = await aRoom();
    const ana = await room.arriveWithPhone('Ana Shown', 'ana.shown2@example.org', shown);
    const ben = await room.arriveWithPhone('Ben Shown', 'ben.shown2@example.org', shownToo);
    const cy = await room.arriveWithPhone('Cy Hidden', 'cy.hidden2@example.org', hidden);
    await sut.matching.settled();
    const screen = await connect({ token: room.screen.token });
    const changes = recorder(screen);

    const listOf = async (phone: typeof ana) => (await meSync(phone.socket)).suggestions;
    const about = (list: SuggestionView[], id: string) => list.find((x) => x.person.id === id);
    const say = async (phone: typeof ana, targetId: string) => {
      const s = about(await listOf(phone), targetId);
      if (!s) throw new Error('no suggestion to answer');
      const ack = await ask(phone.socket, 'suggestion:answer', { suggestionId: s.id, answer: 'yes' });
      expect(ack.ok).toBe(true);
    };

    // One yes is not a pair.
    await say(ana, ben.id);
    await sut.matching.settled();
    expect((await synced(screen)).cards).toEqual([]);

    // Ana and Cy both say yes, but Cy said no to the screen: no pair either.
    await say(ana, cy.id);
    await say(cy, ana.id);
    await sut.matching.settled();
    expect(about(await listOf(ana), cy.id)?.state).toBe('mutual');
    expect((await synced(screen)).cards).toEqual([]);

    // Ben says yes too: now the pair is on the screen.
    await say(ben, ana.id);
    await sut.matching.settled();
    const snapshot = await synced(screen);
    expect(names(snapshot).cards).toEqual(['Ana & Ben']);
    expect(changes.some((c) => c.cards.length === 1)).toBe(true);

    for (const s of [snapshot, ...changes]) {
      for (const person of peopleIn(s)) expect(Object.keys(person).sort()).toEqual(['id', ...SCREEN_SHOWN_FIELDS].sort());
      const text = JSON.stringify(s);
      expect(text).not.toMatch(/Shown|Hidden/); // no surname
      expect(text).not.toMatch(/& Co/); // no company
      expect(text).not.toMatch(/Cy|@/);
    }
    const card = snapshot.cards[0]!;
    const byName = Object.fromEntries([card.a, card.b].map((p) => [p.firstName, p.lookingFor]));
    // What each looks for, in the topic's "looking for" words.
    expect(byName).toEqual({ Ana: ['Investors'], Ben: ['Design help'] });
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
    expect(names(toHere.at(-1)!).welcomes).toEqual(['Dora']);
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
    const eli = await room.arriveWithPhone('Eli Early', 'eli@example.org', shown);
    const fay = await room.arriveWithPhone('Fay Early', 'fay@example.org', shownToo);
    await sut.matching.settled();
    for (const [phone, other] of [[eli, fay], [fay, eli]] as const) {
      const s = (await meSync(phone.socket)).suggestions.find((x) => x.person.id === other.id)!;
      expect((await ask(phone.socket, 'suggestion:answer', { suggestionId: s.id, answer: 'yes' })).ok).toBe(true);
    }
    await sut.matching.settled();
    const screen = await connect({ token: room.screen.token });
    expect(names(await synced(screen)).welcomes).toEqual(['Eli', 'Fay']);
    const changes = recorder(screen);

    sut.clock.advance(16 * 60_000);
    await sut.matching.runGlobalPass(room.eventId);
    await sync(screen);
    expect(changes.at(-1)).toMatchObject({ welcomes: [], present: 2 });
    expect(names(changes.at(-1)!).cards).toEqual(['Eli & Fay']);
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
