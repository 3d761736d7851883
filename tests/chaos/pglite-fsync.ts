import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, tmpDir } from './lib';

/**
 * A power cut keeps only what reached the disk: under strace, PGlite's commits through
 * `openDatabase` (as the server opens it) must call fsync, one per commit at least.
 */
export async function pgliteFsync() {
  const hasStrace = spawnSync('strace', ['-V']).status === 0;
  if (!hasStrace) return { skipped: 'strace is not installed', failures: [] };
  const dir = tmpDir('ew-chaos-fsync.');
  const commits = 100;
  try {
    const script = path.join(repoRoot, 'tests/chaos/pglite-commits.ts');
    const summary = path.join(dir, 'strace.txt');
    const ms = execFileSync('strace', ['-f', '-c', '-e', 'trace=fsync,fdatasync,pwrite64', '-o', summary, process.execPath, '--import', 'tsx', script, path.join(dir, 'data'), String(commits)], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    const counts: Record<string, number> = {};
    for (const line of readFileSync(summary, 'utf8').split('\n')) {
      const m = /\s(\d+)\s+(?:\d+\s+)?(fsync|fdatasync|pwrite64)\s*$/.exec(line);
      if (m) counts[m[2]!] = Number(m[1]);
    }
    const flushes = (counts.fsync ?? 0) + (counts.fdatasync ?? 0);
    const failures = flushes < commits ? [`${flushes} fsync/fdatasync calls for ${commits} commits`] : [];
    return { db: 'pglite', commits, fsync: counts.fsync ?? 0, fdatasync: counts.fdatasync ?? 0, pwrite64: counts.pwrite64 ?? 0, commitsMs: Math.round(Number(ms)), failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
