import type { Db } from '@edgewise/db';

/**
 * Group commit for PGlite. It runs one transaction at a time and, on disk, flushes the WAL at
 * every commit: one check-in per transaction would cost a flush each, and kiosks scanning at
 * once would wait in line for them. Items are gathered for `gatherMs` and then written in one
 * batch: one transaction, one flush for all of them, and each caller is answered once that
 * transaction has committed. PGlite works synchronously in this thread (its flush included),
 * so requests are read only between batches: the short wait is what lets the ones that
 * arrived meanwhile join the next batch. When a batch fails, its items are run again one by
 * one, each on its own, so a bad item fails only itself.
 *
 * Postgres needs none of this: each statement commits on its own connection, and the server
 * already flushes the commits of concurrent sessions together.
 */
export function groupCommit<I, R>(db: Db, run: (db: Db, item: I) => Promise<R>, options: { maxBatch?: number; gatherMs?: number } = {}): (item: I) => Promise<R> {
  const maxBatch = options.maxBatch ?? 64;
  const gatherMs = options.gatherMs ?? 2;
  interface Waiting {
    item: I;
    resolve: (result: R) => void;
    reject: (err: unknown) => void;
  }
  const queue: Waiting[] = [];
  let writing = false;
  let gathering: NodeJS.Timeout | null = null;

  async function writeBatch(batch: Waiting[]) {
    try {
      const results = await db.transaction(async (tx) => {
        const out: R[] = [];
        for (const w of batch) out.push(await run(tx, w.item));
        return out;
      });
      batch.forEach((w, i) => w.resolve(results[i] as R));
    } catch (err) {
      if (batch.length === 1) return batch[0]?.reject(err);
      for (const w of batch) await run(db, w.item).then(w.resolve, w.reject);
    }
  }

  function schedule() {
    if (writing || gathering || queue.length === 0) return;
    gathering = setTimeout(() => {
      gathering = null;
      writing = true;
      void writeBatch(queue.splice(0, maxBatch)).finally(() => {
        writing = false;
        schedule();
      });
    }, gatherMs);
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
}
