/** Command-line options of `npm run simulate`, parsed strictly: a typo is an error, not a default. */

export const USAGE = `usage:
  npm run simulate -- --generate N --seed S [--out FILE] [--duration-s SECONDS]
  npm run simulate -- --trace FILE [--url http://127.0.0.1:3000] [--speed 60] [--seed S] [--event ID]
                      [--email E --password P | --setup-token T --email E --password P]
                      [--progress-min MINUTES] [--tail-s SECONDS]

Organiser credentials default to ORGANISER_EMAIL and ORGANISER_PASSWORD from the environment.`;

export interface GenerateArgs {
  mode: 'generate';
  n: number;
  seed: number;
  out: string | null;
  durationS: number;
}

export interface ReplayArgs {
  mode: 'replay';
  trace: string;
  url: string;
  speed: number;
  seed: number;
  eventId: string | null;
  email: string;
  password: string;
  setupToken: string | null;
  /** Progress line every this many simulated minutes; 0 for none. */
  progressMin: number;
  /** Simulated seconds to keep listening after the last arrival or departure. */
  tailS: number;
}

export type SimArgs = GenerateArgs | ReplayArgs;

export class UsageError extends Error {
  override name = 'UsageError';
}

const FLAGS = new Set(['generate', 'seed', 'out', 'duration-s', 'trace', 'url', 'speed', 'event', 'email', 'password', 'setup-token', 'progress-min', 'tail-s']);
const GENERATE_ONLY = ['generate', 'out', 'duration-s'];
const REPLAY_ONLY = ['trace', 'url', 'speed', 'event', 'email', 'password', 'setup-token', 'progress-min', 'tail-s'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function readFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (!FLAGS.has(name)) throw new UsageError(`unknown option --${name}`);
    if (flags.has(name)) throw new UsageError(`--${name} is given twice`);
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      i++;
    }
    flags.set(name, value);
  }
  return flags;
}

function integer(flags: Map<string, string>, name: string, fallback: number, min: number, max: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, not "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}`);
  return n;
}

function positive(flags: Map<string, string>, name: string, fallback: number, max: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(n > 0) || n > max) throw new UsageError(`--${name} must be a number above 0 and at most ${max}, not "${raw}"`);
  return n;
}

/** Only the local machine: the simulator writes an event full of fake people. */
export function loopbackUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--url must be http or https');
  if (!LOOPBACK.has(url.hostname)) throw new UsageError(`--url must point at this machine (127.0.0.1 or localhost), not ${url.hostname}`);
  if (url.pathname !== '/' || url.search || url.hash) throw new UsageError('--url is the server root, without a path');
  return url.origin;
}

export function parseArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): SimArgs {
  const flags = readFlags(argv);
  const generating = flags.has('generate');
  const replaying = flags.has('trace');
  if (generating === replaying) throw new UsageError('give either --generate N or --trace FILE');
  const seed = integer(flags, 'seed', 1, 0, 2 ** 32 - 1);
  const misplaced = (generating ? REPLAY_ONLY : GENERATE_ONLY).filter((f) => flags.has(f));
  if (misplaced.length > 0) throw new UsageError(`--${misplaced[0]} does not go with --${generating ? 'generate' : 'trace'}`);

  if (generating) {
    if (!flags.has('seed')) throw new UsageError('--generate needs --seed S, so the trace can be made again');
    return {
      mode: 'generate',
      n: integer(flags, 'generate', 0, 1, 1_000_000),
      seed,
      out: flags.get('out') ?? null,
      durationS: integer(flags, 'duration-s', 3 * 3600, 600, 7 * 24 * 3600),
    };
  }
  const eventId = flags.get('event') ?? null;
  if (eventId !== null && !UUID.test(eventId)) throw new UsageError(`--event must be an event id (a UUID), not "${eventId}"`);
  const email = flags.get('email') ?? env.ORGANISER_EMAIL ?? null;
  const password = flags.get('password') ?? env.ORGANISER_PASSWORD ?? null;
  const setupToken = flags.get('setup-token') ?? null;
  if (!email || !password) {
    throw new UsageError('organiser credentials are needed: --email and --password, or ORGANISER_EMAIL and ORGANISER_PASSWORD');
  }
  return {
    mode: 'replay',
    trace: flags.get('trace')!,
    url: loopbackUrl(flags.get('url') ?? 'http://127.0.0.1:3000'),
    speed: positive(flags, 'speed', 60, 10_000),
    seed,
    eventId,
    email,
    password,
    setupToken,
    progressMin: integer(flags, 'progress-min', 10, 0, 24 * 60),
    tailS: integer(flags, 'tail-s', 600, 0, 24 * 3600),
  };
}
