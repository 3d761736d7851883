import type { Topic } from '@edgewise/shared';
import type { PairState, Person, Suggestion } from '../../matching';

/**
 * What the main thread and the matching worker say to each other. Plain data only: every
 * message crosses a structured clone. The worker holds one engine per event and never
 * touches the database; the main thread reads and writes Postgres around each request.
 */

export interface EngineOptions {
  perPerson: number;
  maxExposure: number;
  edgeMinutes: number;
  seed: number;
  /** The event's topics, for the labels in reasons. */
  topics?: Topic[];
}

/** A pair's recorded state; `by` is who said yes when only one did. */
export interface PairRecord {
  a: string;
  b: string;
  state: PairState;
  by?: string | undefined;
}

export type EngineOp =
  | { op: 'upsert'; person: Person }
  | { op: 'remove'; id: string }
  | ({ op: 'pair' } & PairRecord);

export type EngineRequest =
  /** Builds (or rebuilds) an event's engine from a database snapshot. */
  | {
      kind: 'load';
      eventId: string;
      options: EngineOptions;
      people: Person[];
      pairs: PairRecord[];
      /** The lists stored as current, restored first so a rebuild does not reshuffle them. */
      lists: { ownerId: string; entries: { targetId: string; since: number }[] }[];
      now: number;
      /** Lists to return besides the ones that changed. */
      listIds: string[];
    }
  /** Applies changes in order. */
  | { kind: 'apply'; eventId: string; ops: EngineOp[]; now: number; listIds: string[] }
  /**
   * Runs a global pass in short steps, applying the requests that arrive meanwhile between
   * them; the reply (the lists the pass changed) comes when it ends, after the replies of
   * those requests. A pass called off by a rebuild or a drop replies with no lists.
   */
  | { kind: 'pass'; eventId: string; now: number }
  | { kind: 'drop'; eventId: string };

export type EngineReply =
  /**
   * `lists`: every changed list and every asked-for list, whole, best first. `passDue`: a
   * load kept the lists it restored and wants a global pass soon.
   */
  | { ok: true; lists: Record<string, Suggestion[]>; passDue?: boolean }
  /** `notLoaded`: the worker has no engine for the event (it restarted): rebuild it. */
  | { ok: false; error: string; notLoaded: boolean };

export interface EnvelopeIn {
  id: number;
  request: EngineRequest;
}

export interface EnvelopeOut {
  id: number;
  reply: EngineReply;
}
