/**
 * npm run simulate -- --generate N --seed S [--out FILE]
 * npm run simulate -- --trace FILE [--url http://127.0.0.1:3000] [--speed 60] [--seed S] [--event ID]
 *
 * Generates an arrival trace, or replays one against a running server on this machine
 * through its real API and sockets. Prints JSON lines; the last one of a replay is the
 * summary. Exits 0 when the replay ran without errors, 1 otherwise, 2 on a usage error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, USAGE, UsageError } from './args';
import { generateTrace } from './generate';
import { replay } from './replay';
import { formatTrace, parseTrace, TraceError } from './trace';

const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`simulate: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }

  if (args.mode === 'generate') {
    const text = formatTrace(generateTrace({ n: args.n, seed: args.seed, durationS: args.durationS }));
    if (args.out) {
      writeFileSync(args.out, text);
      process.stderr.write(`simulate: wrote ${args.n} attendees to ${args.out}\n`);
    } else process.stdout.write(text);
    return 0;
  }

  let rows;
  try {
    rows = parseTrace(readFileSync(args.trace, 'utf8'));
  } catch (err) {
    if (err instanceof TraceError) {
      process.stderr.write(`simulate: ${args.trace}: ${err.message}\n`);
      return 2;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`simulate: no such trace file: ${args.trace}\n`);
      return 2;
    }
    throw err;
  }

  // A stuck server must not keep the simulator running for ever: setup (a few requests per
  // attendee), the compressed evening, and a minute to wind down.
  const lastS = Math.max(...rows.map((r) => Math.max(r.arriveS, r.leaveS ?? 0)));
  const budgetMs = 60_000 + rows.length * 200 + ((lastS + args.tailS) * 1000) / args.speed + 60_000;
  const watchdog = setTimeout(() => {
    emit({ sim: 'replay', timed_out: true, message: `did not finish within ${Math.round(budgetMs / 1000)} s` });
    process.exit(1);
  }, budgetMs);
  watchdog.unref();

  const summary = await replay(args, rows, emit, path.basename(args.trace));
  clearTimeout(watchdog);
  return summary.errors === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`simulate: ${String((err as Error)?.message ?? err)}\n`);
    process.exit(1);
  },
);
