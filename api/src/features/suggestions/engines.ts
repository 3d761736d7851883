import { MatchingEngine, type PassRun, type Suggestion } from '../../matching';
import type { EngineOp, EngineReply, EngineRequest } from './protocol';

type PassRequest = Extract<EngineRequest, { kind: 'pass' }>;

interface Pass {
  engine: MatchingEngine;
  run: PassRun;
  now: number;
  finish: (reply: EngineReply) => void;
}

/** Above this many people without a restored list, a load runs its first pass at once. */
const LOAD_UPDATES = 200;

const failure = (err: unknown): EngineReply => ({ ok: false, error: String((err as Error)?.stack ?? err), notLoaded: false });

/**
 * The worker's state: one engine per event, fed by requests, and the global passes under
 * way, run in steps between requests (`stepPasses`). No I/O and no timers here, so the same
 * code runs inside the worker thread and in unit tests.
 */
export class EngineSet {
  private readonly engines = new Map<string, MatchingEngine>();
  private readonly passes = new Map<string, Pass>();

  handle(request: Exclude<EngineRequest, PassRequest>): EngineReply {
    // A rebuild or a drop makes the pass under way moot: the new engine has had its own.
    if (request.kind !== 'apply') this.callOffPass(request.eventId);
    try {
      switch (request.kind) {
        case 'load':
          return this.load(request);
        case 'apply':
          return this.apply(request);
        case 'drop':
          this.engines.delete(request.eventId);
          return { ok: true, lists: {} };
      }
    } catch (err) {
      // A half-applied change leaves the engine in doubt: the caller rebuilds it from the database.
      if (request.kind !== 'drop') this.forget(request.eventId);
      return failure(err);
    }
  }

  /**
   * Starts an event's global pass; `finish` is called with the lists it changed once it
   * has ended, which `stepPasses` gets it to. One pass per event at a time: asking again
   * while one runs joins nothing and is answered at once with no lists.
   */
  startPass(request: PassRequest, finish: (reply: EngineReply) => void): void {
    const engine = this.engines.get(request.eventId);
    if (!engine) return finish({ ok: false, error: 'no engine for this event', notLoaded: true });
    if (this.passes.has(request.eventId)) return finish({ ok: true, lists: {} });
    try {
      this.passes.set(request.eventId, { engine, run: engine.startPass(request.now), now: request.now, finish });
    } catch (err) {
      this.forget(request.eventId);
      finish(failure(err));
    }
  }

  /** Whether a pass is under way: `stepPasses` has work. */
  get passing(): boolean {
    return this.passes.size > 0;
  }

  /** Runs the passes under way on until `pause()` says stop (each gets at least one step); those that end are answered. */
  stepPasses(pause: () => boolean): void {
    for (const [eventId, pass] of this.passes) {
      let changed: Set<string> | null;
      try {
        changed = pass.run.step(pause);
      } catch (err) {
        this.forget(eventId);
        pass.finish(failure(err));
        continue;
      }
      if (changed) {
        this.passes.delete(eventId);
        pass.finish({ ok: true, lists: listsOf(pass.engine, pass.now, changed) });
      }
      if (pause()) return;
    }
  }

  has(eventId: string): boolean {
    return this.engines.has(eventId);
  }

  private forget(eventId: string) {
    this.callOffPass(eventId);
    this.engines.delete(eventId);
  }

  private callOffPass(eventId: string) {
    const pass = this.passes.get(eventId);
    if (!pass) return;
    this.passes.delete(eventId);
    pass.run.cancel();
    pass.finish({ ok: true, lists: {} });
  }

  private load(r: Extract<EngineRequest, { kind: 'load' }>): EngineReply {
    const engine = new MatchingEngine(r.options);
    // Pair states first, while nobody is present: recording them builds no list.
    for (const p of r.pairs) engine.recordPairState(p.a, p.b, p.state, r.now, p.by);
    engine.loadPeople(r.people, r.now);
    for (const l of r.lists) engine.restoreList(l.ownerId, l.entries, r.now);
    this.engines.set(r.eventId, engine);
    // The lists restored are what people were being shown: they stay, the few present
    // without one get theirs as a check-in would, and quality is left to a stepped pass, so
    // a restart or a settings change does not hold the event's check-ins up for a whole
    // pass. A room mostly without lists (its first start) gets the pass here, in one go.
    const unlisted = r.people.filter((p) => engine.listFor(p.id, r.now).length === 0).map((p) => p.id);
    if (unlisted.length > LOAD_UPDATES) {
      const changed = engine.globalPass(r.now);
      return { ok: true, lists: listsOf(engine, r.now, [...changed, ...r.listIds]) };
    }
    const changed = new Set<string>();
    for (const id of unlisted) for (const c of engine.updateFor(id, r.now)) changed.add(c);
    return { ok: true, lists: listsOf(engine, r.now, [...changed, ...r.listIds]), passDue: true };
  }

  private apply(r: Extract<EngineRequest, { kind: 'apply' }>): EngineReply {
    const engine = this.engines.get(r.eventId);
    if (!engine) return { ok: false, error: 'no engine for this event', notLoaded: true };
    const changed = new Set<string>();
    const add = (ids: Iterable<string>) => {
      for (const id of ids) changed.add(id);
    };
    for (const op of r.ops) add(runOp(engine, op, r.now));
    return { ok: true, lists: listsOf(engine, r.now, [...changed, ...r.listIds]) };
  }
}

function runOp(engine: MatchingEngine, op: EngineOp, now: number): Set<string> {
  switch (op.op) {
    case 'upsert': {
      const changed = engine.upsertPerson(op.person, now);
      // Someone who left or opted out has an empty list now, whether or not it had entries.
      changed.add(op.person.id);
      return changed;
    }
    case 'remove':
      return engine.removePerson(op.id, now);
    case 'pair':
      return engine.recordPairState(op.a, op.b, op.state, now, op.by);
  }
}

function listsOf(engine: MatchingEngine, now: number, ids: Iterable<string>): Record<string, Suggestion[]> {
  const lists: Record<string, Suggestion[]> = {};
  for (const id of ids) if (!(id in lists)) lists[id] = engine.listFor(id, now);
  return lists;
}
