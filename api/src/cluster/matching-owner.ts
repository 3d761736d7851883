import { randomBytes } from 'node:crypto';
import postgres, { type Sql } from 'postgres';
import { z } from 'zod';
import type { MatchingRuntime } from '../features/suggestions/runtime';
import { decode } from './codec';

/** Where the matching hooks of nodes that do not run matching go. */
export const MATCHING_CHANNEL = 'edgewise#matching';

/**
 * The advisory lock that makes a node the one running live matching: two int4 keys, so it
 * shows in `pg_locks` as classid/objid. The class is "Ewma" in ASCII; object 0 is "every
 * event". Any constant works, as long as every node of one deployment uses the same.
 */
export const MATCHING_LOCK = { classId: 0x45776d61, objId: 0 } as const;

export interface ClusterMatchingOptions {
  /** How often a node that does not run matching tries to take it over. */
  takeoverMs?: number;
  /** How long `settled()` waits for the owner to confirm hooks this node passed on. */
  settleTimeoutMs?: number;
}

export interface ClusterMatching extends MatchingRuntime {
  /** Whether this node runs the event's matching now. */
  owns(eventId: string): boolean;
}

const Id = z.string().min(1).max(64);
const HookNames = ['presenceChanged', 'attendeeChanged', 'pairChanged', 'eventChanged', 'runGlobalPass', 'sweepAway'] as const;
type HookName = (typeof HookNames)[number];
const Message = z.discriminatedUnion('k', [
  /** A hook called on `from`, for the owner to apply; `id` is echoed once it is settled. */
  z.object({ k: z.literal('hook'), from: Id, id: z.number().int().min(0), h: z.enum(HookNames), e: Id, a: z.array(Id).max(2) }),
  z.object({ k: z.literal('done'), to: Id, ids: z.array(z.number().int().min(0)).max(10_000) }),
]);
type Message = z.infer<typeof Message>;

/**
 * Live matching across several nodes. Exactly one node runs it, the one holding a
 * session-level advisory lock on a dedicated connection: it creates the matching runtime,
 * which rebuilds every open event's engine from the database, as at any start. The other
 * nodes run no engine: they pass each hook to the owner by NOTIFY and try the lock every
 * `takeoverMs`. When the owner dies its connection drops, Postgres frees the lock, and the
 * next node to try it takes over and rebuilds from the database, which holds everything a
 * hook in flight at that moment was about. Ownership is per node rather than per event: the
 * runtime warms every open event up at start, so it cannot be given a share of them from
 * outside (that would be a change to `features/suggestions/runtime.ts`).
 */
export function clusterMatching(input: {
  databaseUrl: string;
  /** The cluster's NOTIFY client (one connection, so this node's messages stay in order). */
  bus: Sql;
  /** Makes the runtime when this node becomes the owner. */
  start: () => MatchingRuntime;
  log: (line: Record<string, unknown>) => void;
  options?: ClusterMatchingOptions;
}): ClusterMatching {
  const { bus, start, log } = input;
  const takeoverMs = input.options?.takeoverMs ?? 3_000;
  const settleTimeoutMs = input.options?.settleTimeoutMs ?? 5_000;
  const nodeId = randomBytes(8).toString('hex');
  let closed = false;
  let runtime: MatchingRuntime | null = null;
  /** The runtime of a lost ownership, still finishing its last batch. */
  let stopping: Promise<void> = Promise.resolve();

  // Its own connection, never recycled: the lock lives exactly as long as this session.
  const lockSql = postgres(input.databaseUrl, {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    onnotice: () => {},
    onclose: () => {
      if (!closed && runtime) lose('the lock connection closed');
    },
  });

  function lose(why: string) {
    const rt = runtime;
    if (!rt) return;
    runtime = null;
    log({ level: 'warn', msg: 'cluster: this node no longer runs live matching', why });
    stopping = rt.close().catch((err: unknown) => log({ level: 'error', msg: 'cluster: stopping live matching failed', err: String(err) }));
  }

  let trying: Promise<void> | null = null;
  let lastTry = 0;
  /** Takes the lock if it is free; checks it is still held if this node has it. */
  function tryOwn(): Promise<void> {
    lastTry = Date.now();
    trying ??= (async () => {
      try {
        if (runtime) {
          // A silent reconnect would have dropped the lock with the old session.
          const [row] = await lockSql<{ held: boolean }[]>`
            select exists (select 1 from pg_locks where locktype = 'advisory' and granted and pid = pg_backend_pid()
              and classid = ${MATCHING_LOCK.classId} and objid = ${MATCHING_LOCK.objId} and objsubid = 2) as held`;
          if (!row?.held) lose('the lock was gone');
          return;
        }
        await stopping;
        const [row] = await lockSql<{ got: boolean }[]>`select pg_try_advisory_lock(${MATCHING_LOCK.classId}::int, ${MATCHING_LOCK.objId}::int) as got`;
        if (!row?.got || closed) return;
        log({ level: 'info', msg: 'cluster: this node runs live matching now' });
        runtime = start();
      } catch (err) {
        if (!closed) log({ level: 'warn', msg: 'cluster: could not check the matching lock', err: String(err) });
      } finally {
        trying = null;
      }
    })();
    return trying;
  }

  const ticker = setInterval(() => void tryOwn(), takeoverMs);
  ticker.unref();
  const first = tryOwn();

  // Hooks this node passed on, until the owner says they are applied and pushed.
  let seq = 0;
  const waiting = new Map<number, { eventId: string; done: Promise<void>; resolve: () => void }>();
  // Confirmations to send, gathered so a burst of hooks costs one NOTIFY per node.
  const confirm = new Map<string, number[]>();
  let confirmScheduled = false;

  const publish = (message: Message) =>
    bus.notify(MATCHING_CHANNEL, JSON.stringify(message)).catch((err: unknown) => {
      log({ level: 'warn', msg: 'cluster: could not reach the other nodes', err: String(err) });
    });

  function confirmLater(to: string, id: number) {
    const ids = confirm.get(to) ?? [];
    ids.push(id);
    confirm.set(to, ids);
    if (confirmScheduled) return;
    confirmScheduled = true;
    setImmediate(() => {
      confirmScheduled = false;
      for (const [node, done] of confirm) void publish({ k: 'done', to: node, ids: done });
      confirm.clear();
    });
  }

  function applyHook(rt: MatchingRuntime, h: HookName, e: string, a: readonly string[]): Promise<void> {
    const [x, y] = a;
    switch (h) {
      case 'presenceChanged':
        if (x) rt.presenceChanged(e, x);
        break;
      case 'attendeeChanged':
        if (x) rt.attendeeChanged(e, x);
        break;
      case 'pairChanged':
        if (x && y) rt.pairChanged(e, x, y);
        break;
      case 'eventChanged':
        rt.eventChanged(e);
        break;
      case 'runGlobalPass':
        return rt.runGlobalPass(e);
      case 'sweepAway':
        return rt.sweepAway(e);
    }
    return rt.settled(e);
  }

  function onPayload(payload: string) {
    const parsed = Message.safeParse(decode(payload));
    if (!parsed.success) {
      log({ level: 'warn', msg: 'cluster: ignored a malformed matching message', bytes: payload.length });
      return;
    }
    const m = parsed.data;
    if (m.k === 'done') {
      if (m.to !== nodeId) return;
      for (const id of m.ids) waiting.get(id)?.resolve();
      return;
    }
    if (!runtime) {
      // Work for an event, and maybe nobody to do it: the owner may just have died. At most
      // a few tries a second, whatever the rate of hooks.
      if (Date.now() - lastTry > 250) void tryOwn();
      return;
    }
    applyHook(runtime, m.h, m.e, m.a).then(
      () => confirmLater(m.from, m.id),
      (err: unknown) => log({ level: 'warn', msg: 'cluster: a passed-on matching hook failed', err: String(err) }),
    );
  }

  const listening = bus.listen(MATCHING_CHANNEL, onPayload).then(
    (l) => l.unlisten,
    (err: unknown) => {
      log({ level: 'error', msg: 'cluster: could not listen for matching hooks', err: String(err) });
      return null;
    },
  );

  /** Applies the hook here when this node owns matching, else passes it to the owner. */
  function route(h: HookName, e: string, a: string[]): Promise<void> {
    if (runtime) return applyHook(runtime, h, e, a);
    const id = seq++;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    // The owner may be gone and nobody took over yet: the wait is bounded, and whoever
    // takes over rebuilds from the database, which this hook's change is already in.
    const timer = setTimeout(resolve, settleTimeoutMs);
    timer.unref();
    waiting.set(id, { eventId: e, done, resolve });
    void done.then(() => {
      clearTimeout(timer);
      waiting.delete(id);
    });
    void publish({ k: 'hook', from: nodeId, id, h, e, a });
    return done;
  }

  const hook = (h: HookName, e: string, ...a: string[]) => void route(h, e, a).catch(() => {});

  return {
    owns: () => runtime !== null,
    presenceChanged: (e, attendeeId) => hook('presenceChanged', e, attendeeId),
    attendeeChanged: (e, attendeeId) => hook('attendeeChanged', e, attendeeId),
    pairChanged: (e, a, b) => hook('pairChanged', e, a, b),
    eventChanged: (e) => hook('eventChanged', e),
    async settled(eventId) {
      await first;
      const passedOn = [...waiting.values()].filter((w) => eventId === undefined || w.eventId === eventId).map((w) => w.done);
      await Promise.all([runtime?.settled(eventId), ...passedOn]);
    },
    runGlobalPass: (eventId) => route('runGlobalPass', eventId, []),
    sweepAway: (eventId) => route('sweepAway', eventId, []),
    async close() {
      if (closed) return;
      clearInterval(ticker);
      await first;
      await trying;
      closed = true;
      const rt = runtime;
      runtime = null;
      await rt?.close();
      await stopping;
      for (const w of waiting.values()) w.resolve();
      const unlisten = await listening;
      await unlisten?.().catch(() => {});
      // Ending the session frees the lock for the next node at once.
      await lockSql.end({ timeout: 5 });
    },
  };
}
