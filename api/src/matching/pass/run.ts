import { F_DIRTY, F_REDIRTY, H_FLAGS, HOT, buffer, stopTracking, type Room } from '../room';
import type { PassRun } from '../types';
import { arcsOf } from './arcs';
import { CHUNK_LIGHT } from './chunks';
import { commitSteps } from './commit';
import { markEdges, presentByRank } from './order';
import { planLists } from './plan';

/**
 * The global pass, which recomputes every list for quality under the caps, as a run of
 * steps: the order and the edges (order.ts), everyone's candidate arcs (arcs.ts), the plan
 * (plan.ts, with the auction in auction.ts), then the check, the commit and the repairs
 * (commit.ts). Between two steps the engine's other methods may run.
 */

/**
 * Starts the pass as a run of steps, as `MatchingEngine.startPass` describes it: updates
 * between steps, a commit at the end that leaves the lists touched meanwhile alone. Throws
 * if a pass of this engine is still running.
 */
export function startPass(s: Room, now: number, full: boolean): PassRun {
  if (s.running) throw new Error('a global pass of this engine is still running: step it to the end or cancel it first');
  const steps = passSteps(s, now, full);
  const run: PassRun = {
    step: (pause) => {
      if (s.running !== run) throw new Error('this global pass has already ended or been cancelled');
      try {
        for (;;) {
          const r = steps.next();
          if (r.done) {
            s.running = null;
            return r.value;
          }
          if (pause()) return null;
        }
      } catch (err) {
        stopTracking(s);
        s.running = null;
        throw err;
      }
    },
    cancel: () => {
      if (s.running !== run) return;
      // Their lists stay as they were: what made them dirty is still to be seen.
      if (s.checked) for (const r of s.checked) s.hot[r.idx * HOT + H_FLAGS]! |= F_DIRTY;
      s.checked = null;
      stopTracking(s);
      s.running = null;
      steps.return(new Set());
    },
  };
  s.running = run;
  return run;
}

/**
 * The global pass, yielding at checkpoints (every few dozen to a few hundred people), when
 * the engine's other methods may run. Nothing here keeps an alias of an engine array
 * across a yield: adding a person can reallocate them. People who join while it runs
 * (flagged F_NEW) are not part of it, as owners or as targets.
 */
function* passSteps(s: Room, now: number, full: boolean): Generator<void, Set<string>, void> {
  s.lastNow = now;
  s.touched = new Set();
  s.dirtyBits = F_DIRTY | F_REDIRTY;
  const n = s.recs.length;
  const order = yield* presentByRank(s, n);
  const edge = buffer(s, 'edge', n);
  for (let k = 0; k < order.length; k += CHUNK_LIGHT) {
    markEdges(s, order, k, Math.min(order.length, k + CHUNK_LIGHT), edge, now);
    yield;
  }
  const arcs = yield* arcsOf(s, order, edge, n, full);
  const plan = yield* planLists(s, order, edge, arcs, n, now);
  return yield* commitSteps(s, plan, order, edge, n);
}
