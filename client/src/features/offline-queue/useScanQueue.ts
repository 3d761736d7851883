import { computed, ref } from 'vue';
import { drainQueue, memoryScanStore, serverUnavailable } from './drain';
import { openScanQueue } from './queue';
import type { QueuedScan, ScanStore } from './types';

export interface ScanQueueOptions<A = unknown> {
  /** Uploads one queued scan; resolves with the server's answer once it has recorded an outcome. */
  send: (scan: QueuedScan) => Promise<A>;
  /** Told each answer as it comes (the counter has counted that scan down already). */
  onAnswer?: (scan: QueuedScan, answer: A) => void;
  intervalMs?: number;
  /** Told about scans the server refused outright, so they are not dropped silently. */
  onDropped?: (scan: QueuedScan) => void;
  /** Told when a round stopped on a failure (the caller may need to pair again). */
  onStopped?: (err: unknown) => void;
}

/**
 * The offline queue as the kiosk sees it: how many scans wait, whether the server is
 * reachable, and a sync loop (every few seconds and whenever the browser comes back
 * online) that uploads them oldest first. One round runs at a time.
 */
export function useScanQueue<A>(opts: ScanQueueOptions<A>) {
  const waiting = ref(0);
  const browserOnline = ref(typeof navigator === 'undefined' ? true : navigator.onLine);
  const reachable = ref(true);
  const online = computed(() => browserOnline.value && reachable.value);
  // A browser that blocks IndexedDB still gets a queue: losing scans is worse than losing them on reload.
  const storeReady: Promise<ScanStore> = openScanQueue().catch(() => memoryScanStore());
  let round: Promise<void> | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;

  async function refresh() {
    waiting.value = await (await storeReady).count();
  }

  async function enqueue(scan: QueuedScan) {
    const store = await storeReady;
    await store.put(scan);
    await refresh();
  }

  function syncNow(): Promise<void> {
    round ??= (async () => {
      try {
        const store = await storeReady;
        if ((await store.count()) === 0) return;
        const report = await drainQueue(store, opts.send, async (scan, answer) => {
          await refresh();
          opts.onAnswer?.(scan, answer);
        });
        for (const scan of report.dropped) opts.onDropped?.(scan);
        if (report.stoppedBy) {
          if (serverUnavailable(report.stoppedBy)) reachable.value = false;
          opts.onStopped?.(report.stoppedBy);
        } else {
          reachable.value = true;
        }
      } finally {
        round = null;
        await refresh();
      }
    })();
    return round;
  }

  const wentOnline = () => {
    browserOnline.value = true;
    void syncNow();
  };
  const wentOffline = () => {
    browserOnline.value = false;
  };

  function start() {
    if (timer) return;
    window.addEventListener('online', wentOnline);
    window.addEventListener('offline', wentOffline);
    timer = setInterval(() => void syncNow(), opts.intervalMs ?? 5000);
    void refresh().then(syncNow);
  }

  function stop() {
    window.removeEventListener('online', wentOnline);
    window.removeEventListener('offline', wentOffline);
    if (timer) clearInterval(timer);
    timer = null;
  }

  /** The kiosk's own requests tell us too: a reply means the server is reachable. */
  function noteReachable(ok: boolean) {
    reachable.value = ok;
    if (ok && waiting.value > 0) void syncNow();
  }

  return { waiting, online, enqueue, syncNow, start, stop, noteReachable };
}
export type ScanQueue = ReturnType<typeof useScanQueue>;
