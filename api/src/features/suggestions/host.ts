import { Worker } from 'node:worker_threads';
import type { EngineReply, EngineRequest, EnvelopeIn, EnvelopeOut } from './protocol';

/** Talks to the matching worker: one request, one reply, matched by id. */
export interface EngineHost {
  request(request: EngineRequest): Promise<EngineReply>;
  close(): Promise<void>;
}

/**
 * Starts `worker.ts` in a worker thread. The worker is TypeScript, and on Node 20 a worker
 * does not inherit the `--import tsx` loader (passing it in `execArgv` does not apply it to
 * the worker's entry either), so a two-line bootstrap registers tsx's loader inside the
 * worker and then imports the entry. This works the same under `node --import tsx` and under
 * vitest. The worker is started on first use and again after a crash; a crash fails the
 * requests in flight, and the caller rebuilds its engines from the database.
 */
export function workerHost(log: (line: Record<string, unknown>) => void): EngineHost {
  // Compiled (the production image's api/dist/server.js), the worker is plain JavaScript beside it.
  const compiled = import.meta.url.endsWith('.js');
  const entry = new URL(compiled ? './worker.js' : './worker.ts', import.meta.url).href;
  const bootstrap = compiled
    ? `import(${JSON.stringify(entry)})`
    : `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;

  let worker: Worker | null = null;
  let seq = 0;
  let closed = false;
  const waiting = new Map<number, { resolve: (r: EngineReply) => void; reject: (e: Error) => void }>();

  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };

  const start = () => {
    // No flags for the worker: it computes, and the parent's flags (a test runner's, say) need not fit it.
    const w = new Worker(bootstrap, { eval: true, execArgv: [], name: 'edgewise-matching' });
    w.on('message', ({ id, reply }: EnvelopeOut) => {
      const waiter = waiting.get(id);
      if (!waiter) return;
      waiting.delete(id);
      waiter.resolve(reply);
      if (waiting.size === 0) w.unref();
    });
    w.on('error', (err) => {
      log({ level: 'error', msg: 'matching worker failed', err: String(err?.stack ?? err) });
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      if (!closed) log({ level: 'warn', msg: 'matching worker exited', code });
      failAll(new Error(`the matching worker exited (code ${code})`));
    });
    return w;
  };

  return {
    request(request) {
      if (closed) return Promise.reject(new Error('the matching runtime is closed'));
      worker ??= start();
      const w = worker;
      const id = ++seq;
      // Referenced only while a reply is due, so an idle worker never keeps the process alive.
      w.ref();
      return new Promise<EngineReply>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const message: EnvelopeIn = { id, request };
        w.postMessage(message);
      });
    },
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      if (w) await w.terminate();
      failAll(new Error('the matching runtime is closed'));
    },
  };
}
