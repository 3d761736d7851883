import { computed, ref, shallowRef } from 'vue';
import { canDigestTickets, ticketDigester, type CheckinList, type CheckinListFlag, type CheckinType } from '@edgewise/shared';
import { FULL_EVERY_MS, REFRESH_EVERY_MS, decideOffline, listAge, mergeList, noteOfflineScan, type LocalList, type OfflineDecision } from './checkinList';
import { memoryListStore, openListStore, type ListStore } from './listStore';

export interface CheckinListOptions {
  /** Fetches the list (changes since `since`, or all of it). */
  fetch: (since: string | null) => Promise<CheckinList>;
  /** Told about this kiosk's flagged scans not shown yet. */
  onFlags?: (flags: CheckinListFlag[]) => void;
}

/**
 * The check-in list on the device: loaded from IndexedDB at start, refreshed while online
 * (on connect, every minute, a full list every 15 minutes), and asked for offline decisions.
 */
export function useCheckinList(opts: CheckinListOptions) {
  const list = shallowRef<LocalList | null>(null);
  const now = ref(Date.now());
  const storeReady: Promise<ListStore> = openListStore().catch(() => memoryListStore());
  let eventId: string | null = null;
  let loading: Promise<void> | null = null;
  let refreshing: Promise<void> | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let digest: { eventId: string; fn: (secret: string) => Promise<string> } | null = null;

  const age = computed(() => listAge(list.value, now.value));

  async function useEvent(id: string) {
    if (eventId === id && loading) return loading;
    eventId = id;
    loading = (async () => {
      const kept = await (await storeReady).load(id);
      if (eventId === id) list.value = kept;
    })().catch(() => {});
    return loading;
  }

  async function save(next: LocalList) {
    list.value = next;
    await (await storeReady).save(next).catch(() => {});
  }

  /** Fetches changes (or the whole list when due); failures leave the kept list as it was. */
  function refresh(): Promise<void> {
    refreshing ??= (async () => {
      try {
        if (!eventId) return;
        await loading;
        const id = eventId;
        const kept = list.value?.eventId === id ? list.value : null;
        const full = !kept || Date.now() - Date.parse(kept.fullAt) > FULL_EVERY_MS;
        const incoming = await opts.fetch(full || !kept ? null : kept.cursor);
        if (eventId !== id) return;
        const merged = mergeList(kept, incoming, Date.now());
        const fresh = incoming.flags.filter((f) => !merged.shownFlags.includes(f.nonce));
        merged.shownFlags = [...merged.shownFlags, ...fresh.map((f) => f.nonce)].slice(-500);
        await save(merged);
        if (fresh.length > 0) opts.onFlags?.(fresh);
      } catch {
        // Offline or refused: the kept list stands, and its age says so.
      } finally {
        refreshing = null;
        now.value = Date.now();
      }
    })();
    return refreshing;
  }

  /**
   * Decides a ticket scan from the kept list, or null when it cannot (no list yet, or no
   * WebCrypto outside a secure context): the caller then says it cannot check the ticket.
   */
  async function decide(secret: string, type: CheckinType, scannedAt: Date): Promise<OfflineDecision | null> {
    await loading;
    const kept = list.value;
    if (!kept || !canDigestTickets()) return null;
    if (digest?.eventId !== kept.eventId) digest = { eventId: kept.eventId, fn: await ticketDigester(kept.eventId) };
    const decision = decideOffline(kept, await digest.fn(secret), type, scannedAt);
    if (decision.effective && decision.attendee) await save(noteOfflineScan(kept, decision.attendee.id, type, scannedAt.toISOString()));
    return decision;
  }

  /** Flags the kiosk learnt of another way (an upload's answer): not shown twice. */
  async function markShown(nonce: string) {
    const kept = list.value;
    if (kept && !kept.shownFlags.includes(nonce)) await save({ ...kept, shownFlags: [...kept.shownFlags, nonce].slice(-500) });
  }

  function start() {
    if (timer) return;
    timer = setInterval(() => {
      now.value = Date.now();
      void refresh();
    }, REFRESH_EVERY_MS);
  }

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  return { list, age, useEvent, refresh, decide, markShown, start, stop };
}
