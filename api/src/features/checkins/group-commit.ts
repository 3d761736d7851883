/**
 * Group commit: items arriving together are written in one batch, one statement and one
 * transaction for all of them, and each caller is answered once it has committed.
 *
 * - On PGlite, one transaction runs at a time and, on disk, each commit flushes the WAL:
 *   one check-in per transaction would cost a flush each, and kiosks scanning at once would
 *   wait in line for them. PGlite works synchronously in this thread (its flush included),
 *   so requests are read only between batches: the short wait is what lets the ones that
 *   arrived meanwhile join the next batch.
 * - On Postgres, each statement costs a round trip, a transaction and a commit, and 32
 *   kiosks' scans at once each take the same event's key-share lock: in one batch they cost
 *   one of each. Batches may run side by side (`inFlight`), on connections of their own.
 *
 * Items are gathered for `gatherMs` (or until `maxBatch` wait); with `gatherMs` 0, an item
 * that finds a batch slot free is written at once, and the items arriving while every slot
 * is busy make up the next batch (a lone scan waits for nothing). When a batch fails, its
 * items are run again one by one, each on its own, so a bad item fails only itself.
 */
export function groupCommit<I, R>(
  runBatch: (items: readonly I[]) => Promise<R[]>,
  runOne: (item: I) => Promise<R>,
  options: { maxBatch?: number; gatherMs?: number; inFlight?: number } = {},
): (item: I) => Promise<R> {
  const maxBatch = options.maxBatch ?? 64;
  const gatherMs = options.gatherMs ?? 2;
  const inFlight = options.inFlight ?? 1;
  interface Waiting {
    item: I;
    resolve: (result: R) => void;
    reject: (err: unknown) => void;
  }
  const queue: Waiting[] = [];
  let writing = 0;
  let gathering: NodeJS.Timeout | null = null;

  async function writeBatch(batch: Waiting[]) {
    try {
      const results = batch.length === 1 ? [await runOne((batch[0] as Waiting).item)] : await runBatch(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i] as R));
    } catch (err) {
      if (batch.length === 1) return batch[0]?.reject(err);
      for (const w of batch) await runOne(w.item).then(w.resolve, w.reject);
    }
  }

  function write() {
    writing++;
    void writeBatch(queue.splice(0, maxBatch)).finally(() => {
      writing--;
      schedule();
    });
  }

  function schedule() {
    if (writing >= inFlight || queue.length === 0) return;
    if (queue.length >= maxBatch || gatherMs === 0) {
      if (gathering) clearTimeout(gathering);
      gathering = null;
      return write();
    }
    gathering ??= setTimeout(() => {
      gathering = null;
      if (writing < inFlight && queue.length > 0) write();
      schedule();
    }, gatherMs);
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
}
