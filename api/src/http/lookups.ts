import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { devices, events } from '@edgewise/db';
import type { AppDeps } from '../deps';

/**
 * What kiosk requests look up on nearly every call, kept in this process: the paired device
 * a bearer token opens, and an event's row (its status and settings). A check-in then spends
 * no round trip on them. The writes that change them (unpairing, a kiosk's settings, the
 * event's update or erasure) call `forgetDevice` / `forgetEvent`: the entry goes at once on
 * this node and, through the cluster's bus, on every other node as soon as the notice
 * arrives. The check-in statement reads the device and the event again itself, so a notice
 * still on its way cannot let a scan through; entries also lapse after `MAX_AGE_MS`, in case
 * a notice was lost while the bus reconnected.
 */

export const LOOKUPS_CHANNEL = 'edgewise#lookups';
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 10_000;

type DeviceRow = typeof devices.$inferSelect;
type EventRow = typeof events.$inferSelect;

const Notice = z.object({ from: z.string().max(64), k: z.enum(['device', 'event']), id: z.string().max(64) });

interface Entry<T> {
  row: T;
  until: number;
}

export class Lookups {
  private readonly node = randomBytes(8).toString('hex');
  private readonly devicesByToken = new Map<string, Entry<DeviceRow>>();
  private readonly eventsById = new Map<string, Entry<EventRow>>();
  /** Bumped by every forget: a read that started before one must not store what it read. */
  private generation = 0;

  constructor(private readonly deps: AppDeps) {
    const bus = deps.cluster?.bus;
    if (!bus) return;
    bus
      .listen(LOOKUPS_CHANNEL, (payload) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(payload);
        } catch {
          parsed = undefined;
        }
        const notice = Notice.safeParse(parsed);
        if (!notice.success || notice.data.from === this.node) return;
        this.drop(notice.data.k, notice.data.id);
      })
      .catch((err: unknown) => deps.log({ level: 'error', msg: 'lookups: could not listen for other nodes', err: String(err) }));
  }

  /** The paired device this token's hash opens, or undefined. */
  async deviceByTokenHash(tokenHash: string): Promise<DeviceRow | undefined> {
    const cached = this.fresh(this.devicesByToken, tokenHash);
    if (cached) return cached;
    const generation = this.generation;
    const [row] = await this.deps.database.db
      .select()
      .from(devices)
      .where(and(eq(devices.tokenHash, tokenHash), isNull(devices.unpairedAt)))
      .limit(1);
    if (row && generation === this.generation) this.store(this.devicesByToken, tokenHash, row);
    return row;
  }

  /** The event's row, or undefined when there is no such event. */
  async event(eventId: string): Promise<EventRow | undefined> {
    const cached = this.fresh(this.eventsById, eventId);
    if (cached) return cached;
    const generation = this.generation;
    const [row] = await this.deps.database.db.select().from(events).where(eq(events.id, eventId)).limit(1);
    if (row && generation === this.generation) this.store(this.eventsById, eventId, row);
    return row;
  }

  /** After a committed write to the device: forgotten here now, on the other nodes when the notice arrives. */
  forgetDevice(deviceId: string): Promise<void> {
    return this.forget('device', deviceId);
  }

  /** After a committed write to the event (status, settings, erasure). */
  forgetEvent(eventId: string): Promise<void> {
    return this.forget('event', eventId);
  }

  private async forget(k: 'device' | 'event', id: string) {
    this.drop(k, id);
    const bus = this.deps.cluster?.bus;
    if (!bus) return;
    await bus.notify(LOOKUPS_CHANNEL, JSON.stringify({ from: this.node, k, id })).catch((err: unknown) => {
      this.deps.log({ level: 'warn', msg: 'lookups: could not tell the other nodes', k, id, err: String(err) });
    });
  }

  private drop(k: 'device' | 'event', id: string) {
    this.generation++;
    if (k === 'event') {
      this.eventsById.delete(id);
      return;
    }
    for (const [hash, entry] of this.devicesByToken) if (entry.row.id === id) this.devicesByToken.delete(hash);
  }

  private fresh<T>(map: Map<string, Entry<T>>, key: string): T | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.until > performance.now()) return entry.row;
    map.delete(key);
    return undefined;
  }

  private store<T>(map: Map<string, Entry<T>>, key: string, row: T) {
    if (map.size >= MAX_ENTRIES) map.clear();
    map.set(key, { row, until: performance.now() + MAX_AGE_MS });
  }
}

const instances = new WeakMap<AppDeps, Lookups>();

/** This app's lookups (one per `createApp`, so two nodes in one test process keep their own). */
export function lookupsOf(deps: AppDeps): Lookups {
  let lookups = instances.get(deps);
  if (!lookups) {
    lookups = new Lookups(deps);
    instances.set(deps, lookups);
  }
  return lookups;
}
