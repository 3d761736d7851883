import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { suggestions } from '@edgewise/db';
import { EngineSet } from '../../api/src/features/suggestions/engines';
import type { EngineHost } from '../../api/src/features/suggestions/host';
import type { EngineReply } from '../../api/src/features/suggestions/protocol';
import { anOrganiser, type Organiser } from '../fixtures/builders';
import { aKioskRoom, aSignedInPhone, nextChange } from '../fixtures/room';
import { dbKinds, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

/**
 * The engines in this thread, as the worker holds them, except that a global pass can be
 * held after its first step: a pass under way, for as long as the test likes. Requests
 * that arrive meanwhile are answered at once, as the worker answers them between steps,
 * unless the test holds the changes too (`holdChanges`): a batch being matched.
 */
function aHeldHost() {
  const engines = new EngineSet();
  const finishing: (() => void)[] = [];
  /** What each pass was answered, in order. */
  const answers: EngineReply[] = [];
  let holding = false;
  const finish = () => {
    while (engines.passing) engines.stepPasses(() => false);
  };
  let holdingChanges = false;
  const changes: (() => void)[] = [];
  let changesSeen = 0;
  const host: EngineHost = {
    request: async (request) => {
      if (request.kind === 'apply') {
        changesSeen++;
        if (holdingChanges) await new Promise<void>((resolve) => changes.push(resolve));
      }
      if (request.kind !== 'pass') return engines.handle(request);
      return new Promise<EngineReply>((resolve) => {
        engines.startPass(request, (reply) => {
          answers.push(reply);
          resolve(reply);
        });
        // One step: the pass has begun, its plan half made.
        engines.stepPasses(() => true);
        if (holding) finishing.push(finish);
        else finish();
      });
    },
    close: async () => {},
  };
  return {
    host,
    answers,
    hold: () => (holding = true),
    /** Passes held now. */
    held: () => finishing.length,
    release() {
      holding = false;
      for (const run of finishing.splice(0)) run();
    },
    holdChanges: () => (holdingChanges = true),
    /** Batches of changes the engines have been asked to apply so far. */
    changesSeen: () => changesSeen,
    /** Lets the oldest held batch of changes through; later ones are still held. */
    releaseOneChange: () => changes.shift()?.(),
    releaseChanges() {
      holdingChanges = false;
      for (const run of changes.splice(0)) run();
    },
  };
}

const until = async (what: () => boolean) => {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(what()).toBe(true);
};

describe.each(dbKinds)('check-ins during a global pass (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  const sockets: ClientSocket[] = [];
  const engines = aHeldHost();

  beforeAll(async () => {
    sut = await startServer(kind, { matchingHost: engines.host });
    org = await anOrganiser(sut);
  });
  // A test that failed holding something must not hold up the next one.
  afterEach(() => {
    engines.releaseChanges();
    engines.release();
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await sut?.close();
  });

  const investor = { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] };
  const designer = { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'] };

  const listedFor = async (attendeeId: string) =>
    (
      await sut.database.db
        .select({ targetId: suggestions.targetId })
        .from(suggestions)
        .where(and(eq(suggestions.attendeeId, attendeeId), eq(suggestions.listed, true)))
    ).map((r) => r.targetId);

  it('pushes a newcomer their list while a global pass is still under way, and the pass keeps it', async () => {
    const room = await aKioskRoom(sut, org, sockets);
    const ana = await room.arriveAtKiosk('Ana Sousa', designer);
    await sut.matching.settled();

    engines.hold();
    const pass = sut.matching.runGlobalPass(room.eventId);
    await until(() => engines.held() === 1);

    const ben = await room.register('Ben Okafor');
    const phone = await aSignedInPhone(sut, sockets, ben);
    const pushed = nextChange(phone.socket, (p) => p.suggestions.some((s) => s.person.id === ana.id));
    await room.checkIn(ben);
    await room.stateIntent(ben, investor);
    await pushed;
    // The pass has not ended: Ben did not wait for it.
    expect(engines.held()).toBe(1);
    expect(await listedFor(ben.id)).toEqual([ana.id]);

    engines.release();
    await pass;
    expect(await listedFor(ben.id)).toEqual([ana.id]);
    expect(await listedFor(ana.id)).toEqual([ben.id]);
  });

  it("pushes a newcomer to the attendee whose list they entered while a global pass runs and the next arrival is still being matched", async () => {
    const room = await aKioskRoom(sut, org, sockets);
    const ana = await room.arriveAtKiosk('Ana Sousa', designer);
    const ben = await room.register('Ben Okafor');
    const dan = await room.register('Dan Reyes');
    await room.checkIn(ben);
    const anaPhone = await aSignedInPhone(sut, sockets, ana);
    await sut.matching.settled();

    engines.hold();
    const pass = sut.matching.runGlobalPass(room.eventId);
    await until(() => engines.held() === 1);
    engines.holdChanges();
    const seen = engines.changesSeen();
    const anaSeesBen = nextChange(anaPhone.socket, (p) => p.suggestions.some((s) => s.person.id === ben.id), 3000);
    // Ben says at the kiosk what he is looking for: now he is someone to meet.
    await room.stateIntent(ben, investor);
    await until(() => engines.changesSeen() === seen + 1);
    // Dan walks in while Ben is being matched: his check-in is next.
    await room.checkIn(dan);
    engines.releaseOneChange();
    await until(() => engines.changesSeen() === seen + 2);

    // Ben's round is over; Dan's is still being matched and the pass still runs. Ana, whose
    // list Ben entered, has him on her phone already: she waits for neither.
    const pushed = await anaSeesBen;
    expect(pushed.suggestions.map((s) => s.person.id)).toEqual([ben.id]);
    expect(engines.held()).toBe(1);

    engines.releaseChanges();
    engines.release();
    await pass;
  });

  it('calls off a pass under way when a settings change rebuilds the engine, and runs a new one after', async () => {
    const room = await aKioskRoom(sut, org, sockets);
    const ana = await room.arriveAtKiosk('Ana Sousa', designer);
    const ben = await room.arriveAtKiosk('Ben Okafor', investor);
    await sut.matching.settled();

    engines.hold();
    const pass = sut.matching.runGlobalPass(room.eventId);
    await until(() => engines.held() === 1);
    const answered = engines.answers.length;
    expect((await org.patch(`/api/events/${room.eventId}`, { settings: { suggestionsPerPerson: 2 } })).status).toBe(200);
    // The rebuild answers the pass under way with no lists; the lists it restored stay,
    // and a new pass is queued after it.
    await until(() => engines.answers.length === answered + 1);
    expect(engines.answers.at(-1)).toEqual({ ok: true, lists: {} });
    await until(() => engines.held() === 2);
    expect(await listedFor(ana.id)).toEqual([ben.id]);
    engines.release();
    await pass;
    expect(await listedFor(ana.id)).toEqual([ben.id]);
  });
});
