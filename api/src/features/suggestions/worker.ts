import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { EngineSet } from './engines';
import type { EngineReply, EnvelopeIn, EnvelopeOut } from './protocol';

/**
 * How long a global pass runs before the worker looks at its messages again: a check-in's
 * update waits at most about this long behind a pass.
 */
const STEP_MS = 4;

/**
 * The worker's thread runs at a lower priority than the rest of the server (a nice value,
 * on Linux): a global pass at 10,000 present is a second or more of computing, and on a
 * small machine it would otherwise take a core from the check-ins, the database and the
 * pushes people are waiting for. Matching takes the CPU they leave; an update for an
 * arrival is a millisecond or two.
 */
const NICE = 10;

function lowerPriority() {
  try {
    // This thread's own id: threads are scheduled (and niced) one by one.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, NICE);
  } catch {
    // Not Linux, or not allowed: the worker keeps the server's priority.
  }
}
lowerPriority();

// The matching worker: requests are answered in the order they arrive, except a global
// pass, which runs in steps between them (one turn of the event loop each, so messages
// that arrived meanwhile are handled in between) and is answered when it ends.
const port = parentPort;
if (!port) throw new Error('the matching worker must run in a worker thread');
const engines = new EngineSet();
let stepping = false;

function step() {
  const until = performance.now() + STEP_MS;
  engines.stepPasses(() => performance.now() >= until);
  if (engines.passing) setImmediate(step);
  else stepping = false;
}

port.on('message', ({ id, request }: EnvelopeIn) => {
  const answer = (reply: EngineReply) => port.postMessage({ id, reply } satisfies EnvelopeOut);
  if (request.kind !== 'pass') return answer(engines.handle(request));
  engines.startPass(request, answer);
  if (engines.passing && !stepping) {
    stepping = true;
    setImmediate(step);
  }
});
