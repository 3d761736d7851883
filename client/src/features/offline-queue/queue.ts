import { byScanTime, memoryScanStore } from './drain';
import type { QueuedScan, ScanStore } from './types';

const DB_NAME = 'edgewise-kiosk';
const STORE = 'scans';

function settle<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves once the transaction is committed: a scan counts as saved only then. */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

function openDb(): Promise<IDBDatabase> {
  const req = indexedDB.open(DB_NAME, 1);
  req.onupgradeneeded = () => {
    const store = req.result.createObjectStore(STORE, { keyPath: 'nonce' });
    store.createIndex('scannedAt', 'scannedAt');
  };
  return settle(req);
}

/**
 * The kiosk's offline queue in IndexedDB (database `edgewise-kiosk`, store `scans`, keyed
 * by nonce): it survives a reload or a power cut, which is the point of it. Putting the
 * same nonce twice keeps one scan.
 */
export async function openScanQueue(): Promise<ScanStore> {
  if (typeof indexedDB === 'undefined') return memoryScanStore();
  const db = await openDb();
  const run = async <T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const tx = db.transaction(STORE, mode);
    const result = settle(work(tx.objectStore(STORE)));
    await committed(tx);
    return result;
  };
  return {
    put: async (scan: QueuedScan) => {
      await run('readwrite', (s) => s.put(scan));
    },
    oldestFirst: async () => {
      const all = await run('readonly', (s) => s.index('scannedAt').getAll() as IDBRequest<QueuedScan[]>);
      return all.sort(byScanTime);
    },
    remove: async (nonce: string) => {
      await run('readwrite', (s) => s.delete(nonce));
    },
    count: () => run('readonly', (s) => s.count()),
  };
}
