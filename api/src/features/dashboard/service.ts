import {
  ARRIVAL_BUCKET_MINUTES,
  defaultEventSettings,
  isSupplyGap,
  MAX_ARRIVAL_BUCKETS,
  type ArrivalBucket,
  type DashboardSnapshot,
  topicLookup,
  type Topic,
  type TopicSupplyDemand,
} from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { getEvent } from '../events/service';
import { pairCounts, pairedDevices, peopleCounts, slotChanges, tagCounts, type SlotChange } from './repo';

const STEP_MS = ARRIVAL_BUCKET_MINUTES * 60_000;

export interface ArrivalRange {
  /** Event start, epoch ms. */
  startsAt: number;
  endsAt: number;
  now: number;
  firstScanAt: number | null;
  lastScanAt: number | null;
}

/**
 * The arrivals chart: five-minute steps from the earlier of the event's start and its first
 * scan, up to now (or the end of the event, or its last scan, whichever is later once it is
 * over). Each step carries both figures as they stood at its end; scans before the first
 * step (a very long span) or after the last (a kiosk clock running ahead) count in the
 * first and last step, so the last step always agrees with the counts.
 */
export function arrivalBuckets(range: ArrivalRange, changes: readonly SlotChange[]): ArrivalBucket[] {
  const earliest = Math.min(range.startsAt, range.firstScanAt ?? Infinity);
  // A scan "later than now" comes from a kiosk clock running ahead: it belongs to now.
  const latest = Math.max(Math.min(range.now, range.endsAt), Math.min(range.lastScanAt ?? -Infinity, range.now));
  if (range.firstScanAt === null && latest <= earliest) return [];
  let firstSlot = Math.floor(earliest / STEP_MS);
  const lastSlot = Math.max(firstSlot, Math.ceil(latest / STEP_MS) - 1);
  firstSlot = Math.max(firstSlot, lastSlot - MAX_ARRIVAL_BUCKETS + 1);

  const bySlot = new Map<number, SlotChange>();
  let checkedIn = 0;
  let present = 0;
  for (const c of changes) {
    if (c.slot < firstSlot) {
      checkedIn += c.firstEntries;
      present += c.presentDelta;
    } else {
      const slot = Math.min(c.slot, lastSlot);
      const seen = bySlot.get(slot);
      bySlot.set(slot, seen ? { slot, firstEntries: seen.firstEntries + c.firstEntries, presentDelta: seen.presentDelta + c.presentDelta } : c);
    }
  }
  const buckets: ArrivalBucket[] = [];
  for (let slot = firstSlot; slot <= lastSlot; slot++) {
    const c = bySlot.get(slot);
    checkedIn += c?.firstEntries ?? 0;
    present += c?.presentDelta ?? 0;
    const from = slot * STEP_MS;
    const to = Math.min(from + STEP_MS, Math.max(range.now, from));
    buckets.push({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), checkedIn, present });
  }
  return buckets;
}

/**
 * Supply and demand per topic, among the people present: the event's topics (even those
 * nobody chose, so a missing offer shows) and any topic removed since that is still in
 * someone's intent; each with both labels, most sought first.
 */
export function supplyDemand(topics: readonly Topic[], counts: readonly { tag: string; seek: number; offer: number }[]): TopicSupplyDemand[] {
  const byTopic = new Map(counts.map((c) => [c.tag, c]));
  const topic = topicLookup(topics);
  const order = new Map<string, number>();
  for (const id of [...topics.map((t) => t.id), ...counts.map((c) => c.tag)]) if (!order.has(id)) order.set(id, order.size);
  return [...order.keys()]
    .map((id) => {
      const c = byTopic.get(id);
      const seek = c?.seek ?? 0;
      const offer = c?.offer ?? 0;
      const { seekLabel, offerLabel } = topic(id);
      return { topic: id, seekLabel, offerLabel, seek, offer, gap: isSupplyGap(seek, offer) };
    })
    .sort((a, b) => b.seek - a.seek || b.offer - a.offer || order.get(a.topic)! - order.get(b.topic)!);
}

interface Flight {
  running: Promise<DashboardSnapshot> | null;
  queued: Promise<DashboardSnapshot> | null;
}
const flights = new WeakMap<FeatureContext, Map<string, Flight>>();

/**
 * The whole live dashboard of one event, as of now. Every organiser's page refetches it on
 * every change, so requests for one event share work: one computation runs at a time, and
 * requests arriving meanwhile share the next one, which starts after they arrived (so each
 * still sees every change made before it asked). However many pages are open, an event
 * costs at most one snapshot at a time on this node.
 */
export function dashboardSnapshot(ctx: FeatureContext, eventId: string): Promise<DashboardSnapshot> {
  let byEvent = flights.get(ctx);
  if (!byEvent) flights.set(ctx, (byEvent = new Map()));
  let flight = byEvent.get(eventId);
  if (!flight) byEvent.set(eventId, (flight = { running: null, queued: null }));
  const f = flight;
  const start = (): Promise<DashboardSnapshot> => {
    const run = buildSnapshot(ctx, eventId).finally(() => {
      if (f.running === run) f.running = null;
      if (!f.running && !f.queued) byEvent.delete(eventId);
    });
    f.running = run;
    return run;
  };
  if (!f.running) return start();
  f.queued ??= f.running.then(
    () => undefined,
    () => undefined,
  ).then(() => {
    f.queued = null;
    return start();
  });
  return f.queued;
}

async function buildSnapshot(ctx: FeatureContext, eventId: string): Promise<DashboardSnapshot> {
  const { deps } = ctx;
  const db = deps.database.db;
  const event = await getEvent(db, eventId);
  const settings = { ...defaultEventSettings, ...event.settings };
  const now = deps.now();
  const edgeCutoff = new Date(now - settings.edgeMinutes * 60_000);
  const [people, pairs, changes, tags, deviceRows, online] = await Promise.all([
    peopleCounts(db, eventId, edgeCutoff, now),
    pairCounts(db, eventId),
    slotChanges(db, eventId, STEP_MS / 1000),
    tagCounts(db, eventId),
    pairedDevices(db, eventId),
    ctx.realtime.onlineDevices(eventId),
  ]);
  const { firstScanAt, lastScanAt, ...counts } = people;
  return {
    eventId,
    at: new Date(now).toISOString(),
    timeZone: event.timeZone,
    edgeMinutes: settings.edgeMinutes,
    bucketMinutes: ARRIVAL_BUCKET_MINUTES,
    counts: { ...counts, ...pairs },
    arrivals: arrivalBuckets({ startsAt: event.startsAt.getTime(), endsAt: event.endsAt.getTime(), now, firstScanAt, lastScanAt }, changes),
    supplyDemand: supplyDemand(settings.topics, tags),
    devices: deviceRows.map((d) => {
      // Without every node's answer, what the device's own connection last wrote.
      const isOnline = online ? online.has(d.id) : d.offlineSince === null && d.lastSeenAt !== null;
      return {
        id: d.id,
        name: d.name,
        kind: d.kind,
        online: isOnline,
        lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
        queueLength: d.queueLength,
        offlineSince: isOnline ? null : (d.offlineSince?.toISOString() ?? null),
      };
    }),
  };
}
