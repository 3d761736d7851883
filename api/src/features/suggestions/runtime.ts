import { defaultEventSettings, type EventSettings, type ScreenSnapshot, type SuggestionsChanged } from '@edgewise/shared';
import type { Db } from '@edgewise/db';
import type { Io } from '../../context';
import type { AppDeps, MatchingConfig } from '../../deps';
import type { Suggestion } from '../../matching';
import { awayAttendeeIds, writeSign } from '../checkins/presence-repo';
import { suggestionsChangedOf } from '../me/snapshot';
import { attendeeRoom, organiserRoom } from '../realtime/socket';
import { buildScreenSnapshot, screenRoom } from '../screen/snapshot';
import type { MatchingRuntime } from './hooks';
import { workerHost, type EngineHost } from './host';
import type { EngineOp, EngineOptions, EngineReply } from './protocol';
import { EventPushes } from './pushes';
import { boundPairs, eventForMatching, listedRows, openEventIds, ownersListing, pairStates, readPeople, writeLists } from './repo';

export const defaultMatchingConfig: MatchingConfig = {
  globalPassMs: 30_000,
  // Short: a burst also merges while the batch before it runs, and every millisecond here is
  // one the person who just checked in waits for their list.
  batchDelayMs: 2,
  retryMs: 1_000,
};

/**
 * Lists a global pass (or a rebuild) changed are written and pushed this many at a time,
 * and any check-in, exit, intent change or answer waiting meanwhile is applied between two
 * such slices: a pass that moved thousands of lists must not hold up the one person
 * who just arrived.
 */
const GLOBAL_SLICE = 10;

/**
 * What a global pass leaves to do (its lists written in slices, their pushes in the `later`
 * lanes of pushes.ts) rests after each piece for as long as the piece took, times this: at
 * most about half the machine goes to it, and a check-in arriving meanwhile shares the
 * database and the main thread with one piece at most, not with a queue of them run back
 * to back. An incremental batch ends a slice's rest at once.
 */
const BACKGROUND_REST = 1;

/** Where live matching sends what it changed. */
export interface MatchingEmitters {
  suggestionsChanged(payload: SuggestionsChanged): void;
  screenChanged(payload: ScreenSnapshot): void;
  /** A batch wrote an event's lists: the organisers' counts may have moved. */
  listsWritten(eventId: string): void;
  /**
   * Whether an attendee's room, or an event's screens, has anyone in it right now. Building
   * a payload costs queries; nobody listening means nobody to build it for (a socket that
   * joins later syncs on connect, after the write it would have been told about).
   */
  listening(room: { attendeeId: string } | { screensOf: string }): boolean;
  /**
   * Which of these attendees have a phone connected now, on any node: an open page is a
   * sign of life, so the away sweep leaves them in. Absent: nobody counts as connected.
   */
  connected?(attendeeIds: readonly string[]): Promise<Set<string>>;
}

export function ioEmitters(io: Io): MatchingEmitters {
  return {
    suggestionsChanged: (p) => io.to(attendeeRoom(p.attendeeId)).emit('suggestions:changed', p),
    screenChanged: (p) => io.to(screenRoom(p.eventId)).emit('screen:changed', p),
    listsWritten: (eventId) => io.to(organiserRoom(eventId)).emit('matching:changed', { eventId, at: new Date().toISOString() }),
    // This node's rooms: matching for an event runs on the node its sockets reach.
    listening: (room) => (io.sockets.adapter.rooms.get('attendeeId' in room ? attendeeRoom(room.attendeeId) : screenRoom(room.screensOf))?.size ?? 0) > 0,
    async connected(attendeeIds) {
      const found = new Set<string>();
      if (attendeeIds.length === 0) return found;
      for (const socket of await io.in(attendeeIds.map(attendeeRoom)).fetchSockets()) if (socket.data.attendeeId) found.add(socket.data.attendeeId);
      return found;
    },
  };
}

/** Everything waiting to be applied to one event, merged: a burst of changes is one batch. */
interface Work {
  /** Presence, profile or intent changed: read again and upsert. */
  people: Set<string>;
  /** What others see of them changed: whoever lists them is told. */
  profiles: Set<string>;
  pairs: Map<string, readonly [string, string]>;
  global: boolean;
  /** Rebuild the engine from the database (settings changed, a failure, a start). */
  rebuild: boolean;
}

const emptyWork = (): Work => ({ people: new Set(), profiles: new Set(), pairs: new Map(), global: false, rebuild: false });

/** Work that is only a global pass, which waits behind everything else. */
const onlyGlobal = (w: Work) => w.global && !w.rebuild && w.people.size === 0 && w.profiles.size === 0 && w.pairs.size === 0;

/** No batch for this long, and the next change starts one at once (see `schedule`). */
const QUIET_MS = 20;

/**
 * Lists computed by a global pass or a rebuild, not yet written: the engine is ahead of the
 * database for these owners until they are. A later incremental batch that returns a list
 * of one of them writes that newer list and takes the owner out of here.
 */
interface PendingLists {
  now: number;
  lists: Map<string, Suggestion[]>;
}

function mergeWork(into: Work, from: Work) {
  for (const id of from.people) into.people.add(id);
  for (const id of from.profiles) into.profiles.add(id);
  for (const [k, p] of from.pairs) into.pairs.set(k, p);
  into.global ||= from.global;
  into.rebuild ||= from.rebuild;
}

interface EventState {
  id: string;
  work: Work | null;
  retry: NodeJS.Timeout | null;
  failures: number;
  running: Promise<void> | null;
  /** The options of the engine the worker holds for this event; null when it holds none. */
  loaded: EngineOptions | null;
  /** The last screen content sent, without its version. */
  lastScreen: string | null;
  pending: PendingLists | null;
  /** Pushes of the lists batches and passes changed, beside the batches. */
  pushes: EventPushes;
  /** The batch being applied for people waiting on it (a check-in, an answer): pushes of a pass's lists let it go first. */
  urgent: Promise<void> | null;
  /** The global pass under way in the worker; check-ins are applied while it runs. */
  passing: Promise<void> | null;
  /** Who the last away sweep found away: the next one tells matching only of changes. */
  away: Set<string>;
  /** Ends the rest between two slices of a pass's lists (see `BACKGROUND_REST`): a change has come. */
  wake: (() => void) | null;
  /**
   * The event's row as matching last read it, kept until `eventChanged` (every write to an
   * event's status or settings calls it, on whichever node, before it queues the batch that
   * applies the change) or a rebuild (a failure makes one): a batch then costs no read of it.
   */
  event: MatchingEvent | null;
  /** Bumped when the row above is forgotten: a read begun before must not be kept. */
  eventGeneration: number;
  /** When the last run of batches ended (performance.now()). */
  lastRun: number;
}

type MatchingEvent = NonNullable<Awaited<ReturnType<typeof eventForMatching>>>;

/** A stable seed per event: a rebuild after a restart breaks ties the same way. */
function seedOf(eventId: string): number {
  return Number.parseInt(eventId.replace(/-/g, '').slice(0, 8), 16) | 0;
}

function optionsFor(eventId: string, stored: Partial<EventSettings>): EngineOptions {
  const settings = { ...defaultEventSettings, ...stored };
  const perPerson = settings.suggestionsPerPerson;
  // A little more than a list's length: popular people are seen, not mobbed.
  return { perPerson, maxExposure: perPerson + 2, edgeMinutes: settings.edgeMinutes, seed: seedOf(eventId), topics: settings.topics };
}

// A topic's new label rebuilds the engine, so every reason shown next is written with it.
const sameOptions = (a: EngineOptions, b: EngineOptions) =>
  a.perPerson === b.perPerson &&
  a.maxExposure === b.maxExposure &&
  a.edgeMinutes === b.edgeMinutes &&
  a.seed === b.seed &&
  JSON.stringify(a.topics) === JSON.stringify(b.topics);

export interface MatchingRuntimeInput {
  deps: AppDeps;
  emit: MatchingEmitters;
  /** Where the engines run; the worker thread unless a test hands in another. */
  host?: EngineHost;
  /**
   * With several nodes: called inside the transaction of every list write, it throws unless
   * this node still holds the matching lease at its fencing number (api/src/cluster).
   */
  fence?: (tx: Db) => Promise<void>;
}

/**
 * Live matching for one process. The hooks only note what changed and return; per event,
 * the changes are merged and applied one batch at a time, off the request path:
 * the people and pairs concerned are read here, on the main thread (PGlite lives in this
 * process, so a worker could not open it), the engines in the worker thread compute the
 * lists that changed, and the lists are written back in one transaction and broadcast to
 * each attendee concerned, and the event's screens. Postgres stays the truth: an engine is
 * built from it on first use and rebuilt from it after any failure.
 */
export function createMatchingRuntime({ deps, emit, host = workerHost(deps.log), fence }: MatchingRuntimeInput): MatchingRuntime {
  const config = { ...defaultMatchingConfig, ...deps.matching };
  const db = () => deps.database.db;
  /** Lists are written only by the lease holder: a former owner that thawed is refused. */
  const writeFenced = (eventId: string, lists: ReadonlyMap<string, Suggestion[]>, at: Date) =>
    fence
      ? db().transaction(async (tx) => {
          await fence(tx as unknown as Db);
          return writeLists(tx as unknown as Db, eventId, lists, at);
        })
      : writeLists(db(), eventId, lists, at);
  const states = new Map<string, EventState>();
  let closed = false;
  let lastVersion = 0;
  const nextVersion = () => (lastVersion = Math.max(lastVersion + 1, deps.now()));

  const stateOf = (eventId: string): EventState => {
    let s = states.get(eventId);
    if (!s) {
      const pushes = new EventPushes({
        eventId,
        push: (attendeeIds) => pushLists(eventId, attendeeIds),
        listening: (attendeeId) => emit.listening({ attendeeId }),
        urgent: () => states.get(eventId)?.urgent ?? null,
        restFactor: BACKGROUND_REST,
        closed: () => closed,
        log: deps.log,
      });
      s = { id: eventId, work: null, retry: null, failures: 0, running: null, loaded: null, lastScreen: null, pending: null, pushes, passing: null, urgent: null, away: new Set(), wake: null, event: null, eventGeneration: 0, lastRun: -Infinity };
      states.set(eventId, s);
    }
    return s;
  };

  const enqueue = (eventId: string, change: (w: Work) => void) => {
    if (closed) return;
    const s = stateOf(eventId);
    change((s.work ??= emptyWork()));
    if (!onlyGlobal(s.work)) s.wake?.();
    schedule(s);
  };

  function schedule(s: EventState) {
    if (s.running || closed) return;
    if (s.retry) {
      clearTimeout(s.retry);
      s.retry = null;
    }
    s.running = (async () => {
      // After a quiet spell a change goes at once (what the same request told, in the same
      // turn, still joins it): someone who just arrived waits for this batch. In a burst, a
      // short wait lets a queue of kiosks uploading arrive as one batch; while a batch runs,
      // new changes gather for the next one.
      const quiet = performance.now() - s.lastRun >= QUIET_MS;
      await new Promise((resolve) => (quiet ? setImmediate(resolve) : setTimeout(resolve, config.batchDelayMs)));
      await drain(s);
    })().finally(() => {
      s.running = null;
      s.lastRun = performance.now();
      // Work that arrived as the last batch finished; after a failure, the retry timer runs it.
      if ((s.work || s.pending) && !s.retry) schedule(s);
    });
  }

  /**
   * Runs what is queued for the event, most urgent first: changes people wait for (their own
   * check-in, an answer), then slices of lists a global pass left to write, then the next
   * pass, which the worker runs in steps while the batches behind it go on.
   */
  async function drain(s: EventState) {
    while (!closed) {
      const work = s.work;
      let step: () => Promise<void>;
      if (work && !onlyGlobal(work)) {
        // A global pass due stays queued behind this batch (a rebuild makes one anyway).
        s.work = work.global && !work.rebuild ? { ...emptyWork(), global: true } : null;
        work.global = false;
        step = () => {
          const batch = runBatch(s, work);
          const urgent: Promise<void> = batch
            .catch(() => {})
            .finally(() => {
              if (s.urgent === urgent) s.urgent = null;
            });
          s.urgent = urgent;
          return batch;
        };
      } else if (s.pending) {
        const pending = s.pending;
        step = async () => {
          const started = performance.now();
          await writePendingSlice(s, pending);
          if (s.pending) await rest(s, (performance.now() - started) * BACKGROUND_REST);
        };
      } else if (work && s.loaded) {
        // The pass under way finishes first; it schedules this event again when it ends.
        if (s.passing) return;
        s.work = null;
        startPass(s);
        continue;
      } else if (work) {
        // No engine yet: building it is a pass.
        s.work = null;
        step = () => runBatch(s, work);
      } else return;
      try {
        await step();
        s.failures = 0;
      } catch (err) {
        deps.log({ level: 'error', msg: 'live matching failed: rebuilding from the database', eventId: s.id, err: String((err as Error)?.stack ?? err) });
        s.loaded = null;
        // The rebuild recomputes every list from the database, those not yet written included.
        s.pending = null;
        // The work is kept (whom to tell) and the engine rebuilt, after a pause that grows
        // while the failure lasts, so a database outage is not hammered.
        const again = s.work ?? emptyWork();
        if (work) mergeWork(again, work);
        again.rebuild = true;
        s.work = again;
        s.failures++;
        if (!closed) {
          s.retry = setTimeout(() => {
            s.retry = null;
            schedule(s);
          }, Math.min(config.retryMs * 2 ** (s.failures - 1), 30_000));
          s.retry.unref();
        }
        return;
      }
    }
  }

  /** The event's row, from the last read unless it has been forgotten since (see `EventState.event`). */
  async function eventOf(s: EventState): Promise<MatchingEvent | null> {
    if (s.event) return s.event;
    const generation = s.eventGeneration;
    const row = await eventForMatching(db(), s.id);
    if (row && generation === s.eventGeneration) s.event = row;
    return row;
  }

  function forgetEvent(s: EventState) {
    s.event = null;
    s.eventGeneration++;
  }

  /** Waits `ms`, or until a change that someone waits for is queued. */
  function rest(s: EventState, ms: number): Promise<void> {
    if (closed || (s.work && !onlyGlobal(s.work))) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (s.wake === done) s.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      s.wake = done;
    });
  }

  /** Writes the next few lists a global pass left and queues their pushes; the last slice also updates the screens. */
  async function writePendingSlice(s: EventState, pending: PendingLists) {
    const slice = new Map<string, Suggestion[]>();
    for (const [owner, list] of pending.lists) {
      if (slice.size >= GLOBAL_SLICE) break;
      slice.set(owner, list);
    }
    for (const owner of slice.keys()) pending.lists.delete(owner);
    const last = pending.lists.size === 0;
    if (last && s.pending === pending) s.pending = null;
    const written = await writeFenced(s.id, slice, new Date(pending.now));
    if (written.size > 0) emit.listsWritten(s.id);
    // Pushed from the queue: a slice holds up a waiting check-in for its write only.
    s.pushes.later([...written]);
    if (last) await updateScreens(s, s.id, pending.now);
  }

  /**
   * Starts a global pass in the worker and returns: the batches queued behind it run while
   * it does, the worker applying them between its steps. The lists it changed are written
   * and pushed in slices when it ends, unless a later batch has given their owners newer ones.
   */
  function startPass(s: EventState) {
    const now = deps.now();
    s.passing = host
      .request({ kind: 'pass', eventId: s.id, now })
      .then((reply) => {
        if (!reply.ok) throw new Error(reply.error);
        // Even a pass that changed no list has news for the screens (welcomes leave with
        // time): the last slice written, here maybe an empty one, updates them.
        writeLater(s, now, Object.entries(reply.lists));
      })
      .catch((err: unknown) => {
        if (closed) return;
        deps.log({ level: 'error', msg: 'a global pass failed: rebuilding from the database', eventId: s.id, err: String((err as Error)?.stack ?? err) });
        s.loaded = null;
        s.pending = null;
        (s.work ??= emptyWork()).rebuild = true;
      })
      .finally(() => {
        s.passing = null;
        if (!closed) schedule(s);
      });
  }

  /** Queues lists computed at `now` to be written and pushed in slices (see `writePendingSlice`). */
  function writeLater(s: EventState, now: number, lists: Iterable<[string, Suggestion[]]>) {
    const later = (s.pending ??= { now, lists: new Map() });
    later.now = now;
    for (const [owner, list] of lists) later.lists.set(owner, list);
  }

  /** Builds these attendees' lists together and sends each to its room. */
  async function pushLists(eventId: string, attendeeIds: readonly string[]) {
    for (const payload of await suggestionsChangedOf(db(), eventId, attendeeIds)) emit.suggestionsChanged(payload);
  }

  async function loadEngine(s: EventState, options: EngineOptions, now: number): Promise<EngineReply> {
    const [people, pairs, listed] = await Promise.all([readPeople(db(), s.id, now), boundPairs(db(), s.id), listedRows(db(), s.id)]);
    // Owners of stored lists who are gone get their lists emptied by the same diff.
    const listIds = [...new Set([...people.map((p) => p.id), ...listed.keys()])];
    const lists = [...listed].map(([ownerId, entries]) => ({ ownerId, entries }));
    const reply = await host.request({ kind: 'load', eventId: s.id, options, people, pairs, lists, now, listIds });
    if (reply.ok) s.loaded = options;
    return reply;
  }

  /** What a batch's changes need from the database: the people, the pairs, whose views show them. */
  async function readChanges(s: EventState, work: Work, now: number) {
    const ids = [...work.people];
    const [people, pairs, watchers] = await Promise.all([
      readPeople(db(), s.id, now, ids),
      work.pairs.size > 0 ? pairStates(db(), s.id, [...work.pairs.values()]) : [],
      ownersListing(db(), s.id, [...work.profiles]),
    ]);
    const found = new Set(people.map((p) => p.id));
    const ops: EngineOp[] = [
      ...ids.filter((id) => !found.has(id)).map((id): EngineOp => ({ op: 'remove', id })),
      ...people.map((person): EngineOp => ({ op: 'upsert', person })),
      ...pairs.map((p): EngineOp => ({ op: 'pair', ...p })),
    ];
    return { ops, watchers };
  }

  async function runBatch(s: EventState, work: Work) {
    const now = deps.now();
    const engineKept = s.loaded !== null && !work.rebuild;
    // A rebuild reads the event again; otherwise its row is kept (see `EventState.event`), or
    // read alongside the people: no round trip of its own on the way from a check-in to its push.
    if (work.rebuild) forgetEvent(s);
    const [event, changes] = await Promise.all([eventOf(s), engineKept ? readChanges(s, work, now) : null]);
    if (!event) {
      // Deleted: its rows went with it.
      if (s.loaded) await host.request({ kind: 'drop', eventId: s.id });
      s.loaded = null;
      s.pending = null;
      return;
    }
    // The two people of a changed pair were told by the command that changed it; here go
    // the lists that moved, and the views of people whose profile changed.
    const notify = new Set<string>();
    if (event.status !== 'open') {
      // Matching runs while the doors are open; what was suggested stays for the follow-up.
      if (s.loaded) await host.request({ kind: 'drop', eventId: s.id });
      s.loaded = null;
      s.pending = null;
      if (event.status === 'closed') {
        // The close checked everyone out: every open list empties at once (the rows stay,
        // expired, as after any exit), and every page hears of it.
        const listed = await listedRows(db(), s.id);
        if (listed.size > 0) {
          const written = await writeFenced(s.id, new Map([...listed.keys()].map((owner) => [owner, []])), new Date(now));
          for (const id of written) notify.add(id);
          if (written.size > 0) emit.listsWritten(s.id);
        }
      }
    } else {
      const options = optionsFor(s.id, event.settings);
      let reply: EngineReply | null = null;
      let wide = false;
      if (changes && s.loaded && sameOptions(s.loaded, options)) {
        for (const id of changes.watchers) notify.add(id);
        const listIds = [...new Set([...changes.watchers, ...[...work.pairs.values()].flat()])];
        reply = await host.request({ kind: 'apply', eventId: s.id, ops: changes.ops, now, listIds });
        if (!reply.ok && !reply.notLoaded) throw new Error(reply.error);
      }
      if (!reply?.ok) {
        reply = await loadEngine(s, options, now);
        wide = true;
      }
      if (!reply.ok) throw new Error(reply.error);
      // Queued behind whatever waits: it runs in steps, between batches.
      if (reply.passDue) (s.work ??= emptyWork()).global = true;
      const lists = new Map<string, Suggestion[]>(Object.entries(reply.lists));
      // Newer than anything a global pass left for these owners.
      for (const owner of lists.keys()) s.pending?.lists.delete(owner);
      if (wide) {
        // A rebuild: the people this batch is about now, everyone else in slices.
        const urgent = new Set([...work.people, ...[...work.pairs.values()].flat(), ...notify]);
        const others = [...lists].filter(([owner]) => !urgent.has(owner));
        for (const [owner] of others) lists.delete(owner);
        if (others.length > 0) writeLater(s, now, others);
      }
      const written = await writeFenced(s.id, lists, new Date(now));
      for (const id of written) notify.add(id);
      if (written.size > 0) emit.listsWritten(s.id);
    }
    // The people the batch is about are waited for: someone just arrived wants this push.
    // Right behind it go the others' (whose lists took the newcomer in or made room), while
    // the next batch runs: each payload is a versioned snapshot read after this batch's
    // write, and a page keeps the newest version it saw, so their order does not matter.
    const subjects = new Set([...work.people].filter((id) => notify.has(id)));
    await s.pushes.now([...subjects]);
    s.pushes.soon([...notify].filter((id) => !subjects.has(id)));
    await updateScreens(s, event.id, now);
  }

  async function updateScreens(s: EventState, eventId: string, now: number) {
    if (!emit.listening({ screensOf: eventId })) {
      // A screen that connects syncs first; the next change is then news to it.
      s.lastScreen = null;
      return;
    }
    const screen = await buildScreenSnapshot(db(), eventId, now);
    const content = JSON.stringify({ ...screen, version: 0 });
    if (content !== s.lastScreen) {
      s.lastScreen = content;
      emit.screenChanged({ ...screen, version: nextVersion() });
    }
  }

  // The periodic pass: better lists under the caps, people reaching the edges with time,
  // welcomes leaving the screen. Only events with a live engine take part.
  const ticker = setInterval(() => {
    for (const s of states.values()) {
      if (!s.loaded) continue;
      enqueue(s.id, (w) => (w.global = true));
      sweep(s).catch((err: unknown) => deps.log({ level: 'warn', msg: 'the away sweep failed', eventId: s.id, err: String(err) }));
    }
  }, config.globalPassMs);

  /**
   * Who is away now, against who was at the last sweep: those who went away leave every
   * list, those back (a sign that did not already bring them back) return. Someone with a
   * phone connected is not away: the connection is their sign, written here.
   */
  async function sweep(s: EventState) {
    const now = deps.now();
    let away = await awayAttendeeIds(db(), s.id, now);
    if (away.length > 0 && emit.connected) {
      const online = await emit.connected(away);
      for (const id of online) await writeSign(db(), s.id, id, now);
      away = away.filter((id) => !online.has(id));
    }
    const next = new Set(away);
    const changed = [...away.filter((id) => !s.away.has(id)), ...[...s.away].filter((id) => !next.has(id))];
    s.away = next;
    if (changed.length > 0) enqueue(s.id, (w) => changed.forEach((id) => w.people.add(id)));
  }
  ticker.unref();

  // Open events get their engines at start, so lists of people who left while the server
  // was down are cleared and the periodic pass has something to work on.
  let warmUp: Promise<void> | null = openEventIds(db()).then(
    (ids) => {
      for (const id of ids) enqueue(id, (w) => (w.rebuild = true));
    },
    (err: unknown) => deps.log({ level: 'error', msg: 'live matching could not list open events', err: String(err) }),
  ).finally(() => {
    warmUp = null;
  });

  async function settled(eventId?: string) {
    for (;;) {
      if (warmUp) await warmUp;
      const busy = [...states.values()].filter((s) => (s.running || s.passing || s.pushes.busy) && (eventId === undefined || s.id === eventId));
      for (const s of busy) s.pushes.resume();
      if (busy.length === 0) return;
      await Promise.all(busy.flatMap((s) => [s.running, s.passing, ...s.pushes.lanes()]));
    }
  }

  return {
    presenceChanged: (eventId, attendeeId) => {
      // Back by a sign, or in or out by the log: the next sweep looks at them afresh.
      states.get(eventId)?.away.delete(attendeeId);
      enqueue(eventId, (w) => w.people.add(attendeeId));
    },
    attendeeChanged: (eventId, attendeeId) =>
      enqueue(eventId, (w) => {
        w.people.add(attendeeId);
        w.profiles.add(attendeeId);
      }),
    pairChanged: (eventId, a, b) => enqueue(eventId, (w) => w.pairs.set(a < b ? `${a}|${b}` : `${b}|${a}`, [a, b])),
    eventChanged: (eventId) => {
      const s = states.get(eventId);
      if (s) forgetEvent(s);
      enqueue(eventId, () => {});
    },
    settled,
    async runGlobalPass(eventId) {
      enqueue(eventId, (w) => (w.global = true));
      await settled(eventId);
    },
    async sweepAway(eventId) {
      await sweep(stateOf(eventId));
      await settled(eventId);
    },
    async close() {
      if (closed) return;
      clearInterval(ticker);
      await settled().catch(() => {});
      closed = true;
      for (const s of states.values()) if (s.retry) clearTimeout(s.retry);
      await Promise.all([...states.values()].flatMap((s) => [s.running, s.passing, ...s.pushes.lanes()]));
      await host.close();
    },
  };
}
