/**
 * Matching benchmark: `npm run bench:matching` (BENCH_SIZES=1000,10000,50000 by default).
 *
 * Each size runs in its own child process so `rss_mb` is that size's footprint alone, and
 * prints one JSON line:
 *  - global_pass_ms: the periodic pass as it runs live: the median of six passes, each
 *    after 30 s of a busy evening's changes (see `churn`: 1% of the room arrives, 0.5%
 *    leaves, 0.2% edit their intent, 1% answer a suggestion, and time moves on, so people
 *    reach the edges). The engine then looks candidates up afresh only for people something
 *    happened to (and their acquaintances), plus a rotating tenth of everyone, and reuses
 *    the other arcs, rescored where needed. global_pass_max_ms: the slowest of the six.
 *    global_pass_full_ms: the same, but every candidate looked up afresh (the median of
 *    three, run before the above); global_pass_cold_ms: the very first pass over a
 *    room of `present` people loaded without lists (no cache, a cold JIT).
 *  - incremental_p50_ms / _p99_ms: one arrival (upsertPerson of a new present person,
 *    which runs the incremental update), 500 of them, after 50 untimed warm-up arrivals.
 *    The _cpu_ms variants count this process's CPU time only: on a shared machine the
 *    wall-clock figures include waiting for a CPU.
 *  - quality_vs_optimum: total pair score of the engine's lists after the global pass,
 *    over the exact optimum under the same caps (lib/exact.ts), on the same instance when
 *    present <= BENCH_EXACT_MAX (1,000 by default); quality_random and
 *    quality_greedy_interests are the two baselines on that instance. Null above it.
 *    quality_after_churn_full_vs_optimum: the same after the three full passes (and their
 *    changes), against the exact optimum of the room as it is then;
 *    quality_after_churn_vs_optimum: after the six passes from the cache that follow.
 *  - rss_mb, heap_used_mb: at the end, without forcing a collection, so they include the
 *    garbage of the churn rounds and the arrivals (an engine of 50,000 alone, collected,
 *    holds about 360 MB of RSS).
 *  - first_timer_coverage: share of present first-timers with at least one suggestion.
 *  - exposure_gini: Gini coefficient of how many lists each present person is in.
 *  - first_timer_wait_p95_s: a simulated evening of min(present, 5,000) arrivals
 *    (evening_size) over three hours in waves, with early leavers, answers (yes, no, met)
 *    and a global pass every evening_pass_every_s of simulated time; the wait is simulated
 *    time from arrival to the first suggestion plus the real compute time of the update
 *    that delivered it. everyone_wait_p95_s is the same for all arrivals, and
 *    never_served_share the share of arrivals who left or stayed to the end without one.
 *  - global_pass_steps, global_pass_longest_step_ms: the pass in steps, as the matching
 *    worker runs it (startPass, then step until it ends; a step pauses at the first
 *    checkpoint once 5 ms have passed since it began), with one arrival applied between
 *    steps as check-ins would be, after the same 30 s of churn as above: the median number
 *    of steps and the longest step of three such passes, run after the arrivals below.
 *    global_pass_stepped_ms: the median of their step times added up.
 *    global_pass_commit_ms: the commit alone (the last step when every checkpoint pauses),
 *    the median of three more passes run that way, arrivals between steps too.
 *  - machine_ref_ms: a fixed memory-latency-bound loop (4M dependent random reads over
 *    8 MB) timed next to the figures, and load_avg_1m: on a shared machine, compare runs
 *    through these.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { MatchingEngine, type MatchingOptions, type Person } from '../../api/src/matching';
import { greedyByInterests, randomPairing, type Dense } from './lib/baselines';
import { maxWeightBMatching } from './lib/exact';
import { arrivalTimes, generateProfiles, presentAt, type Profile } from './lib/population';
import { seededRng } from './lib/rng';
import { SIM_TOPICS } from '../sim/generate';
import { gini, percentile, round } from './lib/stats';

// Reasons are written with the topics' labels, as live.
const OPTIONS: MatchingOptions = { perPerson: 3, maxExposure: 5, edgeMinutes: 10, seed: 20_261_125, topics: SIM_TOPICS };
const NOW = Date.UTC(2026, 10, 25, 20, 0);
const ARRIVALS = 500;
const WARMUP = 50;
const EXACT_MAX = Number(process.env.BENCH_EXACT_MAX ?? 1000);
const SEED = 7;
const EVENING_MAX = Number(process.env.BENCH_EVENING_MAX ?? 5000);

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/** 4M dependent random reads over 8 MB: a yardstick for how busy the machine is. */
function referenceMs(): number {
  const table = new Int32Array(2 << 20);
  let x = 1;
  let acc = 0;
  const t0 = performance.now();
  for (let i = 0; i < 4e6; i++) {
    x = (Math.imul(x, 1103515245) + 12345 + acc) >>> 0;
    acc += table[x & (table.length - 1)]!;
  }
  return performance.now() - t0;
}

function exactQuality(engine: MatchingEngine, profiles: readonly Omit<Profile, 'index'>[]) {
  const n = profiles.length;
  const ids = profiles.map((p) => p.id);
  const units = new Int32Array(n * n);
  const common = new Int32Array(n * n);
  const interests = profiles.map((p) => new Set(p.interests));
  let arcs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const score = i === j ? null : engine.pairScore(ids[i]!, ids[j]!, NOW);
      const u = score === null ? -1 : Math.round(score * 10);
      units[i * n + j] = u;
      if (u > 0) arcs++;
      if (u >= 0) {
        let c = 0;
        for (const t of profiles[j]!.interests) if (interests[i]!.has(t)) c++;
        common[i * n + j] = c;
      }
    }
  }
  const from = new Int32Array(arcs);
  const to = new Int32Array(arcs);
  const weight = new Int32Array(arcs);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const u = units[i * n + j]!;
      if (u <= 0) continue;
      from[k] = i;
      to[k] = j;
      weight[k] = u;
      k++;
    }
  }
  const t0 = performance.now();
  const optimum = maxWeightBMatching(n, { from, to, weight, count: arcs }, OPTIONS.perPerson, OPTIONS.maxExposure);
  const solveMs = performance.now() - t0;

  let ours = 0;
  for (const id of ids) for (const s of engine.listFor(id, NOW)) ours += Math.round(s.score * 10);
  const dense: Dense = { n, units, common };
  const random = randomPairing(dense, OPTIONS.perPerson, OPTIONS.maxExposure, seededRng(SEED + 1));
  const greedy = greedyByInterests(dense, OPTIONS.perPerson, OPTIONS.maxExposure, seededRng(SEED + 2));
  return {
    quality_vs_optimum: round(ours / optimum.total, 4),
    quality_random: round(random / optimum.total, 4),
    quality_greedy_interests: round(greedy / optimum.total, 4),
    exact_instance_size: n,
    exact_arcs: arcs,
    exact_solve_ms: round(solveMs, 0),
  };
}

function roomFigures(engine: MatchingEngine) {
  const ids = engine.presentIds();
  let firstTimers = 0;
  let covered = 0;
  let overflow = 0;
  let filled = 0;
  const exposure: number[] = [];
  for (const id of ids) {
    const list = engine.listFor(id);
    filled += list.length;
    const e = engine.exposureOf(id);
    exposure.push(e.listed);
    overflow += e.overflow;
  }
  for (const id of ids) {
    if (!firstTimerIds.has(id)) continue;
    firstTimers++;
    if (engine.listFor(id).length > 0) covered++;
  }
  return {
    first_timer_coverage: round(firstTimers === 0 ? 1 : covered / firstTimers, 4),
    exposure_gini: round(gini(exposure), 4),
    list_fill: round(filled / (ids.length * OPTIONS.perPerson), 4),
    overflow_entries: overflow,
  };
}

const firstTimerIds = new Set<string>();

/**
 * The pass in steps as the worker runs it: each step pauses at the first checkpoint after
 * `budgetMs` (0: at every checkpoint), and one arrival comes in between steps.
 */
function steppedPass(engine: MatchingEngine, arrivals: Profile[], now: number, budgetMs: number) {
  const run = engine.startPass(now);
  const times: number[] = [];
  for (;;) {
    const t0 = performance.now();
    const changed = run.step(budgetMs > 0 ? () => performance.now() - t0 >= budgetMs : () => true);
    times.push(performance.now() - t0);
    if (changed) break;
    const next = arrivals.shift();
    if (!next) continue;
    const { index: _index, ...p } = next;
    engine.upsertPerson({ ...p, present: true, arrivedAt: now, hasAccepted: false }, now);
  }
  return { steps: times.length, longestMs: Math.max(...times), totalMs: times.reduce((x, y) => x + y, 0), lastMs: times[times.length - 1]! };
}

const PASS_EVERY_MS = 30_000;

/**
 * 30 s of a busy evening in a room of `room.size` people: 1% arrive (from `newcomers`),
 * 0.5% leave, 0.2% edit their intent, 1% answer a suggestion (two yes for one no).
 */
function churn(engine: MatchingEngine, room: Map<string, Omit<Profile, 'index'>>, newcomers: Profile[], now: number, rng: () => number) {
  const size = room.size;
  const ids = [...room.keys()];
  const pick = () => ids[Math.floor(rng() * ids.length)]!;
  const asPerson = (p: Omit<Profile, 'index'>, present: boolean): Person => ({ ...p, present, arrivedAt: now - Math.floor(rng() * 60 * 60_000), hasAccepted: rng() < 0.5 });
  for (let k = 0; k < Math.round(size * 0.01); k++) {
    const next = newcomers.shift();
    if (!next) break;
    const { index: _index, ...p } = next;
    room.set(p.id, p);
    if (p.firstTime) firstTimerIds.add(p.id);
    engine.upsertPerson({ ...p, present: true, arrivedAt: now, hasAccepted: false }, now);
  }
  for (let k = 0; k < Math.round(size * 0.005); k++) {
    const id = pick();
    const p = room.get(id);
    if (!p) continue;
    room.delete(id);
    engine.upsertPerson(asPerson(p, false), now);
  }
  for (let k = 0; k < Math.round(size * 0.002); k++) {
    const p = room.get(pick());
    if (!p) continue;
    const edited = { ...p, interests: p.interests.slice(1) };
    room.set(p.id, edited);
    engine.upsertPerson(asPerson(edited, true), now);
  }
  for (let k = 0; k < Math.round(size * 0.01); k++) {
    const id = pick();
    if (!room.has(id)) continue;
    const open = engine.listFor(id, now).find((x) => !x.pinned);
    if (!open) continue;
    engine.recordPairState(id, open.targetId, rng() < 2 / 3 ? 'accepted_by_one' : 'declined', now, id);
  }
}

/** An evening in simulated time: arrivals in waves, leavers, answers, periodic passes. */
function evening(size: number, passEvery: number) {
  const rng = seededRng(SEED + 3);
  const profiles = generateProfiles({ n: size, seed: SEED + 4, prefix: 'e' });
  const arrive = arrivalTimes(size, SEED + 5);
  const start = NOW - 4 * 3600_000;
  const end_s = 3 * 3600;
  type Ev = { t: number; kind: 0 | 1 | 2; i: number };
  const events: Ev[] = [];
  profiles.forEach((_, i) => {
    events.push({ t: arrive[i]!, kind: 1, i });
    if (rng() < 0.25) {
      const leave = arrive[i]! + 1200 + Math.floor(rng() * 4200);
      if (leave < end_s) events.push({ t: leave, kind: 2, i });
    }
  });
  for (let t = passEvery; t < end_s; t += passEvery) events.push({ t, kind: 0, i: -1 });
  events.sort((a, b) => a.t - b.t || a.kind - b.kind || a.i - b.i);

  const engine = new MatchingEngine(OPTIONS);
  const person = (p: Profile, present: boolean, at: number): Person => {
    const { index: _index, ...rest } = p;
    return { ...rest, present, arrivedAt: at, hasAccepted: accepted.has(p.id) };
  };
  const accepted = new Set<string>();
  const arrivedAt = new Map<string, number>();
  const waiting = new Map<string, number>();
  const firstTimerWaits: number[] = [];
  const everyoneWaits: number[] = [];
  const yes = new Map<string, string>();
  const mutualSince = new Map<string, { a: string; b: string; t: number }>();
  const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  let passes = 0;
  let passMs = 0;
  let leftUnserved = 0;

  const served = (changed: Set<string>, now: number, opMs: number) => {
    for (const id of changed) {
      const since = waiting.get(id);
      if (since === undefined || engine.listFor(id, now).length === 0) continue;
      const wait = (now - since) / 1000 + opMs / 1000;
      everyoneWaits.push(wait);
      if (profiles[Number(id.slice(1))]!.firstTime) firstTimerWaits.push(wait);
      waiting.delete(id);
    }
  };

  for (const ev of events) {
    const now = start + ev.t * 1000;
    if (ev.kind === 1) {
      const p = profiles[ev.i]!;
      arrivedAt.set(p.id, now);
      waiting.set(p.id, now);
      const t0 = performance.now();
      const changed = engine.upsertPerson(person(p, true, now), now);
      changed.add(p.id);
      served(changed, now, performance.now() - t0);
    } else if (ev.kind === 2) {
      const p = profiles[ev.i]!;
      if (waiting.delete(p.id)) leftUnserved++;
      const t0 = performance.now();
      const changed = engine.upsertPerson(person(p, false, arrivedAt.get(p.id)!), now);
      served(changed, now, performance.now() - t0);
    } else {
      const t0 = performance.now();
      const changed = engine.globalPass(now);
      const dt = performance.now() - t0;
      passes++;
      passMs += dt;
      served(changed, now, dt);
      // Answers: a few people look at their phone each tick.
      const ids = engine.presentIds().sort();
      const lookers = Math.ceil(ids.length * 0.03);
      for (let k = 0; k < lookers; k++) {
        const id = ids[Math.floor(rng() * ids.length)]!;
        const open = engine.listFor(id, now).find((s) => !s.pinned || yes.get(pairKey(id, s.targetId)) !== id);
        if (!open || now - open.since < 60_000) continue;
        const key = pairKey(id, open.targetId);
        const x = rng();
        let changedNow: Set<string>;
        if (x < 0.4) {
          accepted.add(id);
          const other = yes.get(key);
          if (other && other !== id) {
            changedNow = engine.recordPairState(id, open.targetId, 'mutual', now, id);
            mutualSince.set(key, { a: id, b: open.targetId, t: now });
          } else {
            yes.set(key, id);
            changedNow = engine.recordPairState(id, open.targetId, 'accepted_by_one', now, id);
          }
        } else if (x < 0.6) {
          changedNow = engine.recordPairState(id, open.targetId, 'declined', now, id);
        } else continue;
        served(changedNow, now, 0);
      }
      for (const [key, m] of mutualSince) {
        if (now - m.t < 300_000 || rng() < 0.5) continue;
        mutualSince.delete(key);
        served(engine.recordPairState(m.a, m.b, 'met', now), now, 0);
      }
    }
  }
  const neverServedFirstTimers = [...waiting.keys()].filter((id) => profiles[Number(id.slice(1))]!.firstTime).length;
  // Everyone still waiting at the end, plus those who left before anything came.
  const neverServed = waiting.size + leftUnserved;
  return {
    first_timer_wait_p95_s: round(percentile(firstTimerWaits, 0.95), 4),
    everyone_wait_p95_s: round(percentile(everyoneWaits, 0.95), 1),
    first_timers_never_served: neverServedFirstTimers,
    never_served_share: round(neverServed / size, 4),
    evening_size: size,
    evening_pass_every_s: passEvery,
    evening_global_pass_mean_ms: round(passMs / Math.max(1, passes), 1),
  };
}

function runOne(present: number) {
  const profiles = generateProfiles({ n: present + WARMUP + ARRIVALS, seed: SEED, prefix: 'p' });
  for (const p of profiles) if (p.firstTime) firstTimerIds.add(p.id);
  const room = profiles.slice(0, present);
  const engine = new MatchingEngine(OPTIONS);
  engine.loadPeople(presentAt(room, NOW, SEED), NOW);

  const cpu0 = process.cpuUsage();
  let t0 = performance.now();
  engine.globalPass(NOW);
  const coldMs = performance.now() - t0;
  const passCpu = cpuMs(process.cpuUsage(cpu0));
  const quality = present <= EXACT_MAX ? exactQuality(engine, room) : null;

  // The periodic pass, live: changes, a pass, changes, a pass...
  const here = new Map<string, Omit<Profile, 'index'>>(room.map(({ index: _index, ...p }) => [p.id, p]));
  const newcomers = generateProfiles({ n: Math.ceil(present * 0.01) * 6 + 1, seed: SEED + 11, prefix: 'c' });
  const rng = seededRng(SEED + 12);
  const dirtyTimes: number[] = [];
  const fullTimes: number[] = [];
  let now = NOW;
  const pass = (full: boolean) => {
    now += PASS_EVERY_MS;
    churn(engine, here, newcomers, now, rng);
    t0 = performance.now();
    engine.globalPass(now, { full });
    (full ? fullTimes : dirtyTimes).push(performance.now() - t0);
  };
  for (let k = 0; k < 3; k++) pass(true);
  const qualityFull = present <= EXACT_MAX ? exactQuality(engine, [...here.values()]) : null;
  // Six passes from the cache in a row: as stale as it gets with a tenth refreshed per pass.
  for (let k = 0; k < 6; k++) pass(false);
  const qualityCached = present <= EXACT_MAX ? exactQuality(engine, [...here.values()]) : null;

  const incremental: number[] = [];
  const incrementalCpu: number[] = [];
  const arrivals = profiles.slice(present);
  const start = now;
  arrivals.forEach((p, k) => {
    const now = start + (k + 1) * 250;
    const { index: _index, ...rest } = p;
    const person: Person = { ...rest, present: true, arrivedAt: now, hasAccepted: false };
    const c0 = process.cpuUsage();
    t0 = performance.now();
    engine.upsertPerson(person, now);
    const dt = performance.now() - t0;
    const dc = cpuMs(process.cpuUsage(c0));
    if (k >= WARMUP) {
      incremental.push(dt);
      incrementalCpu.push(dc);
    }
  });
  const memory = process.memoryUsage();
  const figures = roomFigures(engine);

  // The pass in steps, after the figures above so that they stay comparable with earlier runs.
  now = start + (ARRIVALS + WARMUP + 1) * 250;
  const checkIns = generateProfiles({ n: 3000, seed: SEED + 13, prefix: 's' });
  const budgeted: ReturnType<typeof steppedPass>[] = [];
  const commits: number[] = [];
  for (let k = 0; k < 6; k++) {
    now += PASS_EVERY_MS;
    churn(engine, here, [], now, rng);
    const r = steppedPass(engine, checkIns, now, k < 3 ? 5 : 0);
    if (k < 3) budgeted.push(r);
    else commits.push(r.lastMs);
  }
  const passEvery = Number(process.env.BENCH_PASS_S ?? 120);
  const night = evening(Math.min(present, EVENING_MAX), passEvery);

  console.log(
    JSON.stringify({
      bench: 'matching',
      present,
      incremental_p50_ms: round(percentile(incremental, 0.5), 3),
      incremental_p99_ms: round(percentile(incremental, 0.99), 3),
      incremental_max_ms: round(Math.max(...incremental), 3),
      incremental_p50_cpu_ms: round(percentile(incrementalCpu, 0.5), 3),
      incremental_p99_cpu_ms: round(percentile(incrementalCpu, 0.99), 3),
      global_pass_ms: round(percentile(dirtyTimes, 0.5), 1),
      global_pass_max_ms: round(Math.max(...dirtyTimes), 1),
      global_pass_full_ms: round(percentile(fullTimes, 0.5), 1),
      global_pass_cold_ms: round(coldMs, 1),
      global_pass_cold_cpu_ms: round(passCpu, 1),
      global_pass_steps: percentile(budgeted.map((r) => r.steps), 0.5),
      global_pass_longest_step_ms: round(Math.max(...budgeted.map((r) => r.longestMs)), 2),
      global_pass_stepped_ms: round(percentile(budgeted.map((r) => r.totalMs), 0.5), 1),
      global_pass_commit_ms: round(percentile(commits, 0.5), 2),
      churn_per_pass: { arrive: 0.01, leave: 0.005, intent: 0.002, answer: 0.01, every_s: PASS_EVERY_MS / 1000 },
      rss_mb: round(memory.rss / 2 ** 20, 1),
      heap_used_mb: round(memory.heapUsed / 2 ** 20, 1),
      quality_vs_optimum: quality?.quality_vs_optimum ?? null,
      quality_random: quality?.quality_random ?? null,
      quality_greedy_interests: quality?.quality_greedy_interests ?? null,
      quality_after_churn_full_vs_optimum: qualityFull?.quality_vs_optimum ?? null,
      quality_after_churn_vs_optimum: qualityCached?.quality_vs_optimum ?? null,
      exact_instance_size: quality?.exact_instance_size ?? null,
      exact_arcs: quality?.exact_arcs ?? null,
      exact_solve_ms: quality?.exact_solve_ms ?? null,
      ...figures,
      ...night,
      per_person: OPTIONS.perPerson,
      max_exposure: OPTIONS.maxExposure,
      seed: SEED,
      machine_ref_ms: round(Math.min(referenceMs(), referenceMs()), 1),
      load_avg_1m: round(os.loadavg()[0]!, 2),
      node: process.version,
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? null,
    }),
  );
}

const one = process.env.BENCH_ONE;
if (one) {
  runOne(Number(one));
} else {
  const sizes = (process.env.BENCH_SIZES ?? '1000,10000,50000')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 1);
  for (const size of sizes) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_ONE: String(size) },
      stdio: 'inherit',
    });
    if (child.status !== 0) process.exitCode = child.status ?? 1;
  }
}
