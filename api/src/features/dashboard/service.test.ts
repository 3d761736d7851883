import { describe, expect, it } from 'vitest';
import { MAX_ARRIVAL_BUCKETS } from '@edgewise/shared';
import { arrivalBuckets, supplyDemand } from './service';

const STEP = 5 * 60_000;
const t = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00Z`);
const slot = (hhmm: string) => Math.floor(t(hhmm) / STEP);

describe('arrivalBuckets', () => {
  const evening = { startsAt: t('18:00'), endsAt: t('22:00') };

  it('is empty before the doors open and nobody has scanned', () => {
    expect(arrivalBuckets({ ...evening, now: t('17:30'), firstScanAt: null, lastScanAt: null }, [])).toEqual([]);
  });

  it('runs from the start to now, both lines cumulative, the step in progress ending now', () => {
    const changes = [
      { slot: slot('18:00'), firstEntries: 2, presentDelta: 2 },
      { slot: slot('18:10'), firstEntries: 1, presentDelta: -1 },
    ];
    const buckets = arrivalBuckets({ ...evening, now: t('18:12'), firstScanAt: t('18:01'), lastScanAt: t('18:11') }, changes);
    expect(buckets.map((b) => [b.from.slice(11, 16), b.to.slice(11, 16), b.checkedIn, b.present])).toEqual([
      ['18:00', '18:05', 2, 2],
      ['18:05', '18:10', 2, 2],
      ['18:10', '18:12', 3, 1],
    ]);
  });

  it('starts at an early scan before the official start, and stops at the end once the event is over', () => {
    const changes = [{ slot: slot('17:50'), firstEntries: 1, presentDelta: 1 }];
    const buckets = arrivalBuckets({ ...evening, endsAt: t('18:10'), now: t('23:00'), firstScanAt: t('17:52'), lastScanAt: t('17:52') }, changes);
    expect(buckets.map((b) => b.from.slice(11, 16))).toEqual(['17:50', '17:55', '18:00', '18:05']);
    expect(buckets.at(-1)).toMatchObject({ to: new Date(t('18:10')).toISOString(), checkedIn: 1, present: 1 });
  });

  it('folds scans from beyond the window into its first and last steps, so the last step agrees with the counts', () => {
    const dayBefore = t('08:00') - 86_400_000;
    const changes = [
      // A test scan the day before, far outside the day the chart can show.
      { slot: Math.floor(dayBefore / STEP), firstEntries: 1, presentDelta: 1 },
      // A kiosk whose clock runs two minutes ahead of the server's.
      { slot: slot('22:05'), firstEntries: 1, presentDelta: 1 },
    ];
    const buckets = arrivalBuckets({ startsAt: dayBefore, endsAt: t('23:59'), now: t('22:04'), firstScanAt: dayBefore, lastScanAt: t('22:06') }, changes);
    expect(buckets).toHaveLength(MAX_ARRIVAL_BUCKETS);
    expect(buckets[0]).toMatchObject({ checkedIn: 1, present: 1 });
    expect(buckets.at(-1)).toMatchObject({ from: new Date(t('22:00')).toISOString(), to: new Date(t('22:04')).toISOString(), checkedIn: 2, present: 2 });
  });
});

describe('supplyDemand', () => {
  it("lists the event's topics by side even when nobody chose them, most sought first, and flags a real gap", () => {
    const topics = [
      { id: 'jobs', seekLabel: 'A job', offerLabel: "I'm hiring" },
      { id: 'investment', seekLabel: 'Investment', offerLabel: 'I invest' },
      { id: 'co-founder', seekLabel: 'A co-founder', offerLabel: 'A co-founder' },
    ];
    const rows = supplyDemand(topics, [
      { tag: 'investment', seek: 14, offer: 2 },
      { tag: 'co-founder', seek: 4, offer: 2 },
      { tag: 'removed', seek: 1, offer: 0 },
    ]);
    expect(rows).toEqual([
      { topic: 'investment', seekLabel: 'Investment', offerLabel: 'I invest', seek: 14, offer: 2, gap: true },
      { topic: 'co-founder', seekLabel: 'A co-founder', offerLabel: 'A co-founder', seek: 4, offer: 2, gap: false },
      { topic: 'removed', seekLabel: 'removed', offerLabel: 'removed', seek: 1, offer: 0, gap: false },
      { topic: 'jobs', seekLabel: 'A job', offerLabel: "I'm hiring", seek: 0, offer: 0, gap: false },
    ]);
  });
});
