import { MatchingEngine, type Suggestion } from '../../matching';
import type { EngineOp, EngineReply, EngineRequest } from './protocol';

/**
 * The worker's state: one engine per event, fed by requests. No I/O here, so the same code
 * runs inside the worker thread and in unit tests.
 */
export class EngineSet {
  private readonly engines = new Map<string, MatchingEngine>();

  handle(request: EngineRequest): EngineReply {
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
      if (request.kind !== 'drop') this.engines.delete(request.eventId);
      return { ok: false, error: String((err as Error)?.stack ?? err), notLoaded: false };
    }
  }

  has(eventId: string): boolean {
    return this.engines.has(eventId);
  }

  private load(r: Extract<EngineRequest, { kind: 'load' }>): EngineReply {
    const engine = new MatchingEngine(r.options);
    // Pair states first, while nobody is present: recording them builds no list.
    for (const p of r.pairs) engine.recordPairState(p.a, p.b, p.state, r.now, p.by);
    engine.loadPeople(r.people, r.now);
    for (const l of r.lists) engine.restoreList(l.ownerId, l.entries, r.now);
    const changed = engine.globalPass(r.now);
    this.engines.set(r.eventId, engine);
    return { ok: true, lists: listsOf(engine, r.now, [...changed, ...r.listIds]) };
  }

  private apply(r: Extract<EngineRequest, { kind: 'apply' }>): EngineReply {
    const engine = this.engines.get(r.eventId);
    if (!engine) return { ok: false, error: 'no engine for this event', notLoaded: true };
    const changed = new Set<string>();
    const add = (ids: Iterable<string>) => {
      for (const id of ids) changed.add(id);
    };
    for (const op of r.ops) add(runOp(engine, op, r.now));
    if (r.global) add(engine.globalPass(r.now));
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
