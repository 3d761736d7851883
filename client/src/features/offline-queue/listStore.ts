import type { LocalList } from './checkinList';

/**
 * Where the kiosk keeps its check-in list: IndexedDB (database `edgewise-kiosk-list`, one
 * record per event), so a kiosk reloaded or rebooted during an outage still decides. Its own
 * database, so the scan queue's schema never has to move for it.
 */
const DB_NAME = 'edgewise-kiosk-list';
const STORE = 'lists';

export interface ListStore {
  load(eventId: string): Promise<LocalList | null>;
  save(list: LocalList): Promise<void>;
}

function settle<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

export function memoryListStore(): ListStore {
  const lists = new Map<string, LocalList>();
  return {
    load: async (eventId) => lists.get(eventId) ?? null,
    save: async (list) => {
      lists.set(list.eventId, list);
    },
  };
}

export async function openListStore(): Promise<ListStore> {
  if (typeof indexedDB === 'undefined') return memoryListStore();
  const req = indexedDB.open(DB_NAME, 1);
  req.onupgradeneeded = () => {
    req.result.createObjectStore(STORE, { keyPath: 'eventId' });
  };
  const db = await settle(req);
  return {
    load: async (eventId) => ((await settle(db.transaction(STORE, 'readonly').objectStore(STORE).get(eventId))) as LocalList | undefined) ?? null,
    save: async (list) => {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(JSON.parse(JSON.stringify(list)) as LocalList);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
        tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
      });
    },
  };
}
