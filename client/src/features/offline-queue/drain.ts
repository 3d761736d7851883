import { ApiError } from '../../lib/api';
import type { QueuedScan, ScanStore } from './types';

/**
 * What to do with a queued scan whose upload failed: keep it for the next round when the
 * failure is about reaching the server (or the server being unwell, busy, or this device
 * needing to pair again), drop it when the server looked at it and refused the request
 * itself: sending the same bytes again cannot change that answer.
 */
/**
 * Whether the failure means the server cannot serve at all now: it cannot be reached, or
 * it answers 503 because its database cannot be reached. The kiosk then works as offline.
 */
export function serverUnavailable(err: unknown): boolean {
  return err instanceof ApiError && (err.offline || err.code === 'database_unavailable');
}

export function failureVerdict(err: unknown): 'keep' | 'drop' {
  if (!(err instanceof ApiError)) return 'keep';
  if (err.offline) return 'keep';
  if (err.status >= 500 || err.status === 408 || err.status === 429) return 'keep';
  if (err.status === 401) return 'keep';
  if (err.status >= 400) return 'drop';
  return 'keep';
}

export const byScanTime = (a: QueuedScan, b: QueuedScan) =>
  a.scannedAt.localeCompare(b.scannedAt) || a.queuedAt.localeCompare(b.queuedAt) || a.nonce.localeCompare(b.nonce);

export interface DrainReport {
  sent: number;
  dropped: QueuedScan[];
  /** The failure that ended the round early, if any; the scans from there on are still queued. */
  stoppedBy: unknown;
}

/**
 * Sends queued scans oldest first, each with its original nonce and scan time. A scan
 * leaves the queue only once the server has answered it, so a connection that drops in the
 * middle of a request leaves it queued, and the retry is recognised by its nonce. Each
 * server answer goes to `onSent`: after sync the server's decision stands.
 */
export async function drainQueue<A>(
  store: ScanStore,
  send: (scan: QueuedScan) => Promise<A>,
  onSent?: (scan: QueuedScan, answer: A) => void | Promise<void>,
): Promise<DrainReport> {
  const report: DrainReport = { sent: 0, dropped: [], stoppedBy: null };
  for (const scan of await store.oldestFirst()) {
    let answer: A;
    try {
      answer = await send(scan);
      report.sent++;
    } catch (err) {
      if (failureVerdict(err) === 'keep') {
        report.stoppedBy = err;
        return report;
      }
      report.dropped.push(scan);
      await store.remove(scan.nonce);
      continue;
    }
    await store.remove(scan.nonce);
    // After the removal, so a counter read in the callback has already counted down.
    await onSent?.(scan, answer);
  }
  return report;
}

/** The queue kept in memory, for tests and for browsers without IndexedDB. */
export function memoryScanStore(): ScanStore {
  const scans = new Map<string, QueuedScan>();
  return {
    put: async (scan) => {
      scans.set(scan.nonce, { ...scan });
    },
    oldestFirst: async () => [...scans.values()].sort(byScanTime),
    remove: async (nonce) => {
      scans.delete(nonce);
    },
    count: async () => scans.size,
  };
}
