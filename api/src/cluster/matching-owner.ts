import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres, { type Sql } from 'postgres';
import { z } from 'zod';
import { rowsOf, type Db } from '@edgewise/db';
import type { MatchingRuntime } from '../features/suggestions/hooks';
import { decode } from './codec';

/** Where the matching hooks of nodes that do not run matching go. */
export const MATCHING_CHANNEL = 'edgewise#matching';

export interface ClusterMatchingOptions {
  /** How often the owner renews its lease, and a node that does not own matching tries to take it. */
  takeoverMs?: number;
  /** How long a lease lasts without renewal: a frozen or cut-off owner loses matching after this. */
  leaseMs?: number;
  /** How long `settled()` waits for the owner to confirm hooks this node passed on. */
  settleTimeoutMs?: number;
}

export interface ClusterMatching extends MatchingRuntime {
  /** Whether this node runs the event's matching now. */
  owns(eventId: string): boolean;
  /** The fencing number of this node's lease, while it owns matching. */
  fence(): number | null;
}

/** Thrown inside a list write by a node that no longer holds the lease: the write is rolled back. */
export class LeaseLost extends Error {
  constructor() {
    super('this node no longer holds the matching lease');
  }
}

const Id = z.string().min(1).max(64);
const HookNames = ['presenceChanged', 'attendeeChanged', 'pairChanged', 'eventChanged', 'runGlobalPass', 'sweepAway'] as const;
type HookName = (typeof HookNames)[number];
const Message = z.discriminatedUnion('k', [
  /** A hook called on `from`, for the owner to apply; `id` is echoed once it is settled. */
  z.object({ k: z.literal('hook'), from: Id, id: z.number().int().min(0), h: z.enum(HookNames), e: Id, a: z.array(Id).max(2) }),
  z.object({ k: z.literal('done'), to: Id, ids: z.array(z.number().int().min(0)).max(10_000) }),
  /** The owner is stopping and gave its lease up: take it now rather than at the next tick. */
  z.object({ k: z.literal('released'), from: Id }),
]);
type Message = z.infer<typeof Message>;

/** Hooks no owner confirmed are sent again for this long, then left to the next rebuild. */
const RESEND_FOR_MS = 60_000;

interface Unconfirmed {
  h: HookName;
  e: string;
  a: string[];
  sentAt: number;
  firstSentAt: number;
  /** Resolves the hook's `settled()` wait (bounded by `settleTimeoutMs` on its own). */
  resolve: () => void;
}

/**
 * Live matching across several nodes. Exactly one node runs it, the one holding the lease in
 * `matching_lease` (one row: owner, fencing number, expiry in database time). The owner
 * renews it every `takeoverMs`, and stops applying anything as soon as its lease may have
 * lapsed by its own clock or a renewal finds the row taken. Every list it writes is written
 * in a transaction that first finds the row still at its fence (`for share`, so a takeover
 * waits for that write to end): a former owner that froze and thawed cannot write stale
 * lists. The other nodes pass each hook to the owner by NOTIFY, send again the ones it did
 * not confirm (they reach whoever owns matching by then), and take the lease once it has
 * expired, whether the owner died, froze, or lost the database: the fence goes up by one,
 * and the new owner's runtime rebuilds every open event from the database, as at any start.
 * Ownership is per node rather than per event: the runtime warms every open event up at
 * start, so it cannot be given a share of them from outside.
 */
export function clusterMatching(input: {
  databaseUrl: string;
  /** The cluster's NOTIFY client (one connection, so this node's messages stay in order). */
  bus: Sql;
  /** Makes the runtime when this node becomes the owner; `fence` guards its list writes. */
  start: (fence: (tx: Db) => Promise<void>) => MatchingRuntime;
  log: (line: Record<string, unknown>) => void;
  options?: ClusterMatchingOptions;
}): ClusterMatching {
  const { bus, start, log } = input;
  const takeoverMs = input.options?.takeoverMs ?? 2_000;
  const leaseMs = input.options?.leaseMs ?? Math.max(10_000, takeoverMs * 3);
  const settleTimeoutMs = input.options?.settleTimeoutMs ?? 5_000;
  const nodeId = randomBytes(8).toString('hex');
  let closed = false;
  let runtime: MatchingRuntime | null = null;
  let fence: number | null = null;
  /** By this node's clock the lease is surely still its own until then: a renewal's start + the lease. */
  let validUntil = 0;
  /** The runtime of a lost ownership, still finishing its last batch. */
  let stopping: Promise<void> = Promise.resolve();

  // Its own connection, off the app's pool and the bus: a busy pool must not delay renewals.
  const leaseSql = postgres(input.databaseUrl, { max: 1, idle_timeout: 0, connect_timeout: 2, backoff: () => 0.2, onnotice: () => {} });

  function lose(why: string) {
    const rt = runtime;
    runtime = null;
    fence = null;
    validUntil = 0;
    if (!rt) return;
    log({ level: 'warn', msg: 'cluster: this node no longer runs live matching', why });
    stopping = rt.close().catch((err: unknown) => log({ level: 'error', msg: 'cluster: stopping live matching failed', err: String(err) }));
  }

  const stillValid = () => runtime !== null && Date.now() < validUntil;

  /** Inside each list write's transaction: the row must still carry this node's fence. */
  async function checkFence(tx: Db) {
    const mine = fence;
    if (mine === null || !stillValid()) throw new LeaseLost();
    const rows = rowsOf<{ fence: number }>(
      await tx.execute(sql`select fence from matching_lease where id = 1 and owner = ${nodeId} and fence = ${mine} and expires_at > now() for share`),
    );
    if (rows.length === 0) {
      if (fence === mine) lose('another node holds the lease');
      throw new LeaseLost();
    }
  }

  // Hooks this node passed on and no owner has confirmed yet.
  let seq = 0;
  const unconfirmed = new Map<number, Unconfirmed>();
  // What `settled()` waits for: each passed-on hook until confirmed, or `settleTimeoutMs`.
  const waiting = new Map<number, { eventId: string; done: Promise<void> }>();
  // Confirmations to send, gathered so a burst of hooks costs one NOTIFY per node.
  const confirm = new Map<string, number[]>();
  let confirmScheduled = false;

  let trying: Promise<void> | null = null;
  let lastTry = 0;
  /** Renews the lease when this node has it; takes it when it has lapsed otherwise. */
  function tryOwn(): Promise<void> {
    lastTry = Date.now();
    trying ??= (async () => {
      const asked = Date.now();
      try {
        if (runtime) {
          if (!stillValid()) return lose('the lease may have lapsed before it was renewed');
          const rows = await leaseSql<{ fence: string }[]>`
            update matching_lease set expires_at = now() + ${leaseMs} * interval '1 millisecond'
            where id = 1 and owner = ${nodeId} and fence = ${fence}
            returning fence`;
          if (rows.length === 0) lose('another node holds the lease');
          else validUntil = asked + leaseMs;
          return;
        }
        await stopping;
        if (closed) return;
        const rows = await leaseSql<{ fence: string }[]>`
          insert into matching_lease as l (id, owner, fence, expires_at)
          values (1, ${nodeId}, 1, now() + ${leaseMs} * interval '1 millisecond')
          on conflict (id) do update set owner = excluded.owner, fence = l.fence + 1, expires_at = excluded.expires_at
          where l.expires_at <= now()
          returning fence`;
        const row = rows[0];
        if (!row || closed) return;
        fence = Number(row.fence);
        validUntil = asked + leaseMs;
        log({ level: 'info', msg: 'cluster: this node runs live matching now', fence });
        const rt = start(checkFence);
        runtime = rt;
        // Hooks no owner confirmed (the last one froze or died meanwhile) are applied here.
        for (const [id, w] of unconfirmed) {
          unconfirmed.delete(id);
          void applyHook(rt, w.h, w.e, w.a).finally(w.resolve);
        }
      } catch (err) {
        if (!closed) log({ level: 'warn', msg: 'cluster: could not reach the matching lease', err: String(err) });
        if (runtime && !stillValid()) lose('the lease could not be renewed in time');
      } finally {
        trying = null;
      }
    })();
    return trying;
  }

  const publish = (message: Message) =>
    bus.notify(MATCHING_CHANNEL, JSON.stringify(message)).catch((err: unknown) => {
      log({ level: 'warn', msg: 'cluster: could not reach the other nodes', err: String(err) });
    });

  /** Sends again what the owner did not confirm within a renewal period: it may be frozen. */
  function resendUnconfirmed() {
    const now = Date.now();
    for (const [id, w] of unconfirmed) {
      if (now - w.firstSentAt > RESEND_FOR_MS) {
        unconfirmed.delete(id);
        w.resolve();
      } else if (now - w.sentAt >= takeoverMs) {
        w.sentAt = now;
        void publish({ k: 'hook', from: nodeId, id, h: w.h, e: w.e, a: w.a });
      }
    }
  }

  const ticker = setInterval(() => {
    void tryOwn();
    resendUnconfirmed();
  }, takeoverMs);
  ticker.unref();
  const first = tryOwn();

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
      for (const id of m.ids) {
        unconfirmed.get(id)?.resolve();
        unconfirmed.delete(id);
      }
      return;
    }
    if (m.k === 'released') {
      if (m.from !== nodeId && !runtime) void tryOwn();
      return;
    }
    // A frozen owner that thaws applies nothing: its lease is checked first.
    if (!runtime || !stillValid()) {
      // Work, and maybe nobody to do it: at most a few tries a second, whatever the rate.
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
    if (runtime && stillValid()) return applyHook(runtime, h, e, a);
    const id = seq++;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    // `settled()` waits a bounded time; the hook itself is sent again until an owner confirms it.
    const timer = setTimeout(resolve, settleTimeoutMs);
    timer.unref();
    void done.then(() => clearTimeout(timer));
    const now = Date.now();
    unconfirmed.set(id, { h, e, a, sentAt: now, firstSentAt: now, resolve });
    waiting.set(id, { eventId: e, done });
    void done.then(() => waiting.delete(id));
    void publish({ k: 'hook', from: nodeId, id, h, e, a });
    return done;
  }

  const hook = (h: HookName, e: string, ...a: string[]) => void route(h, e, a).catch(() => {});

  return {
    owns: () => runtime !== null && stillValid(),
    fence: () => (runtime ? fence : null),
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
    /** Hands matching over: the last batch finishes, the lease is given up, the others told. */
    async close() {
      if (closed) return;
      clearInterval(ticker);
      await first;
      await trying;
      closed = true;
      const rt = runtime;
      const mine = fence;
      runtime = null;
      fence = null;
      await rt?.close();
      await stopping;
      if (mine !== null) {
        await leaseSql`update matching_lease set expires_at = now() where id = 1 and owner = ${nodeId} and fence = ${mine}`.then(
          () => publish({ k: 'released', from: nodeId }),
          (err: unknown) => log({ level: 'warn', msg: 'cluster: could not give the matching lease up; it lapses by itself', err: String(err) }),
        );
      }
      for (const w of unconfirmed.values()) w.resolve();
      const unlisten = await listening;
      await unlisten?.().catch(() => {});
      await leaseSql.end({ timeout: 5 });
    },
  };
}
