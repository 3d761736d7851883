import { describe, expect, it } from 'vitest';
import { generateTrace, INTENT_TAGS, INTEREST_TAGS, SIM_TOPICS } from './generate';
import { formatTrace, parseTrace, TRACE_LIMITS } from './trace';

describe('generateTrace', () => {
  const sut = generateTrace({ n: 2000, seed: 7 });

  it('makes the same trace from the same seed, and another from another seed', () => {
    expect(formatTrace(generateTrace({ n: 300, seed: 42 }))).toBe(formatTrace(generateTrace({ n: 300, seed: 42 })));
    expect(formatTrace(generateTrace({ n: 300, seed: 43 }))).not.toBe(formatTrace(generateTrace({ n: 300, seed: 42 })));
  });

  it('writes a trace the parser accepts, within the API limits', () => {
    expect(parseTrace(formatTrace(sut))).toEqual(sut);
    for (const r of sut) {
      expect(r.seeks.length).toBeLessThanOrEqual(TRACE_LIMITS.seeks);
      expect(r.offers.length).toBeLessThanOrEqual(TRACE_LIMITS.offers);
      expect(r.interests.length).toBeLessThanOrEqual(TRACE_LIMITS.interests);
      expect(r.seeks.length + r.offers.length).toBeGreaterThan(0);
      expect(r.offers.filter((t) => r.seeks.includes(t))).toEqual([]);
    }
  });

  it("uses the event's topics and interests, which fit an event (at most 60 each)", () => {
    const intents = new Set<string>(SIM_TOPICS.map((t) => t.id));
    expect(new Set(INTENT_TAGS)).toEqual(intents);
    const interests = new Set<string>(INTEREST_TAGS);
    expect(sut.every((r) => [...r.seeks, ...r.offers].every((t) => intents.has(t)) && r.interests.every((t) => interests.has(t)))).toBe(true);
    expect(INTENT_TAGS.length).toBeLessThanOrEqual(60);
    expect(INTEREST_TAGS.length).toBeLessThanOrEqual(60);
  });

  it('has about 30% first-timers and 15% early leavers', () => {
    const first = sut.filter((r) => r.firstTime).length / sut.length;
    const leavers = sut.filter((r) => r.leaveS !== null).length / sut.length;
    expect(first).toBeGreaterThan(0.25);
    expect(first).toBeLessThan(0.35);
    expect(leavers).toBeGreaterThan(0.11);
    expect(leavers).toBeLessThan(0.19);
  });

  it('skews tag popularity: a few tags are everywhere, many are rare', () => {
    const counts = new Map<string, number>();
    for (const r of sut) for (const t of r.seeks) counts.set(t, (counts.get(t) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const total = sorted.reduce((a, b) => a + b, 0);
    expect(sorted[0]!).toBeGreaterThan(3 * sorted[Math.floor(sorted.length / 2)]!);
    expect(sorted.slice(-6).reduce((a, b) => a + b, 0) / total).toBeLessThan(0.05);
    expect(counts.size).toBeGreaterThan(20);
  });

  it('pairs complementary needs: people hiring meet job hunters, investors meet founders', () => {
    const supply = (tag: string) => sut.filter((r) => r.offers.includes(tag)).length;
    const demand = (tag: string) => sut.filter((r) => r.seeks.includes(tag)).length;
    for (const tag of ['jobs', 'investment', 'mentor', 'early-access', 'engineering', 'feedback']) {
      expect(supply(tag), `${tag} offered`).toBeGreaterThan(20);
      expect(demand(tag), `${tag} sought`).toBeGreaterThan(20);
    }
    // Scarce things are scarce: more people look for investment than offer it.
    expect(demand('investment')).toBeGreaterThan(2 * supply('investment'));
    // Roles hold: nobody looks for a job and hires in one breath, nobody invests and raises.
    expect(sut.filter((r) => r.seeks.includes('jobs') && r.offers.includes('jobs'))).toEqual([]);
    expect(sut.filter((r) => r.seeks.includes('investment') && r.offers.includes('investment'))).toEqual([]);
  });

  it('brings people in waves over the evening, in id order', () => {
    const arrivals = sut.map((r) => r.arriveS);
    expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b));
    expect(Math.max(...arrivals)).toBeLessThanOrEqual(3 * 3600 * 0.8);
    // Ten-minute bins: the busiest holds many times the quietest of the first two hours.
    const bins = new Array<number>(12).fill(0);
    for (const a of arrivals) if (a < 7200) bins[Math.floor(a / 600)]!++;
    expect(Math.max(...bins)).toBeGreaterThan(5 * Math.max(1, Math.min(...bins)));
  });

  it('knows is two-way and comes in small circles', () => {
    const byId = new Map(sut.map((r) => [r.id, r]));
    const inCircles = sut.filter((r) => r.knows.length > 0);
    expect(inCircles.length / sut.length).toBeGreaterThan(0.3);
    for (const r of inCircles) {
      expect(r.knows.length).toBeLessThanOrEqual(5);
      for (const k of r.knows) expect(byId.get(k)!.knows).toContain(r.id);
    }
  });

  it('lets early leavers stay a while and leave before the end', () => {
    for (const r of sut.filter((x) => x.leaveS !== null)) {
      expect(r.leaveS! - r.arriveS).toBeGreaterThanOrEqual(60);
      expect(r.leaveS!).toBeLessThan(3 * 3600);
    }
  });

  it('refuses nonsense sizes', () => {
    expect(() => generateTrace({ n: 0, seed: 1 })).toThrow(/positive/);
    expect(() => generateTrace({ n: 10, seed: 1, durationS: 10 })).toThrow(/600/);
  });
});
