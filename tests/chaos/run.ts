/**
 * The chaos suite: faults under check-in load, each scenario printing one JSON line with its
 * figures (acknowledged, lost, doubled, 5xx, seconds to recover) and failing on any loss, any
 * double, or a broken promise of issue 13 (a 500, an answer slower than 2 s while the
 * database is away, the process dying of it, no lists while the matching owner is frozen).
 *
 *   npm run test:chaos                       # every scenario, short (CI)
 *   npm run test:chaos -- pg-stop            # one scenario
 *   CHAOS_PG_STOPS=10 CHAOS_PG_STOP_S=10 npm run test:chaos -- pg-stop   # issue 13's "done when"
 *
 * Scenarios: pglite-fsync (strace counts the flushes of PGlite's commits; skipped without
 * strace), kill9-pglite, kill9-postgres, pg-stop, owner-freeze, sigterm.
 * Environment: CHAOS_KIOSKS (8), CHAOS_GAP_MS (kiosk pause between scans, 40),
 * CHAOS_PG_STOPS (2), CHAOS_PG_STOP_S (4), CHAOS_KILLS (2).
 */
import { kill9Pglite, kill9Postgres } from './kill9';
import { pgStop } from './pg-stop';
import { ownerFreeze } from './owner-freeze';
import { pgliteFsync } from './pglite-fsync';
import { sigterm } from './sigterm';
import { emit, machine } from './lib';

const scenarios: Record<string, () => Promise<Record<string, unknown> & { failures: string[] }>> = {
  'pglite-fsync': pgliteFsync,
  'kill9-pglite': kill9Pglite,
  'kill9-postgres': kill9Postgres,
  'pg-stop': pgStop,
  'owner-freeze': ownerFreeze,
  sigterm,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in scenarios));
if (unknown.length) {
  process.stderr.write(`chaos: no scenario ${unknown.join(', ')}; choose from ${Object.keys(scenarios).join(', ')}\n`);
  process.exit(2);
}

// The whole suite is bounded: a hang anywhere fails CI instead of holding it.
const budgetMs = Number(process.env.CHAOS_BUDGET_S ?? 600) * 1000;
const watchdog = setTimeout(() => {
  emit({ chaos: 'suite', timed_out: true, budgetS: budgetMs / 1000 });
  process.exit(1);
}, budgetMs);
watchdog.unref();

let failed = 0;
for (const name of wanted.length ? wanted : Object.keys(scenarios)) {
  const t0 = Date.now();
  try {
    const result = await scenarios[name]!();
    const ok = result.failures.length === 0;
    if (!ok) failed++;
    emit({ chaos: name, ok, ...result, seconds: Math.round((Date.now() - t0) / 100) / 10, machine });
  } catch (err) {
    failed++;
    emit({ chaos: name, ok: false, error: String((err as Error)?.stack ?? err), seconds: Math.round((Date.now() - t0) / 100) / 10 });
  }
}
process.exit(failed ? 1 : 0);
