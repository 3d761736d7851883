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
    // strace -c columns: % time, seconds, usecs/call, calls, [errors], syscall.
    for (const line of readFileSync(summary, 'utf8').split('\n')) {
      const cols = line.trim().split(/\s+/);
      const name = cols.at(-1);
      if (cols.length >= 5 && (name === 'fsync' || name === 'fdatasync' || name === 'pwrite64')) counts[name] = Number(cols[3]);
    }
    const flushes = (counts.fsync ?? 0) + (counts.fdatasync ?? 0);
    const failures = flushes < commits ? [`${flushes} fsync/fdatasync calls for ${commits} commits`] : [];
    return { db: 'pglite', commits, fsync: counts.fsync ?? 0, fdatasync: counts.fdatasync ?? 0, pwrite64: counts.pwrite64 ?? 0, commitsMs: Math.round(Number(ms)), failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
