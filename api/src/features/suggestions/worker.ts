import { parentPort } from 'node:worker_threads';
import { EngineSet } from './engines';
import type { EnvelopeIn, EnvelopeOut } from './protocol';

// The matching worker: requests arrive one at a time and are answered in order, so an
// event's changes apply in the order the main thread sent them.
const port = parentPort;
if (!port) throw new Error('the matching worker must run in a worker thread');
const engines = new EngineSet();
port.on('message', ({ id, request }: EnvelopeIn) => {
  const out: EnvelopeOut = { id, reply: engines.handle(request) };
  port.postMessage(out);
});
