import { performance } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import { topicIdFor, type Ack, type ClientToServerEvents, type MeSession, type MeSnapshot, type ServerToClientEvents, type SuggestionView, type Topic } from '@edgewise/shared';
import { SIM_TOPICS } from './generate';
import { planAnswer } from './answer';
import type { ReplayArgs } from './args';
import { intBetween, rngFor, type Rng } from './rng';
import { percentile, round, summariseReplay, type AttendeeOutcome, type ReplayTotals } from './stats';
import { tagsOf, type TraceRow } from './trace';

/**
 * Replays a trace against a running server through its public API, as the evening would
 * use it: an organiser sets up the event and the guest list and pairs four kiosks for the
 * door and one for leaving; then, on a compressed clock, each attendee queues for a free
 * kiosk, scans in, states their intent there, looks
 * at the kiosk's suggestions, continues on their phone (the kiosk's one-time link), keeps a
 * socket open, answers what they are shown by a seeded rule, marks "we met" after a mutual
 * yes, and scans out when they leave.
 */

type AttendeeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Emit = (line: Record<string, unknown>) => void;

const REQUEST_TIMEOUT_MS = 15_000;
const ACK_TIMEOUT_MS = 15_000;
/** Parallel requests while registering the guest list. */
const SETUP_CONCURRENCY = 8;
/** Kiosks at the door: arriving guests queue for the next free one. */
const DOOR_KIOSKS = 4;
/** Simulated minutes between a mutual yes and "we met" (when both are still there). */
const MEET_AFTER_MIN = [5, 20] as const;
/** Simulated seconds between a mutual yes and "I'm on my way" from the one who walks over. */
const ON_MY_WAY_AFTER_S = [20, 180] as const;
/** The spots the simulated organiser names. */
const SIM_MEETING_POINTS = ['Spot A: by the window', 'Table 4', "The bar's left end", 'Spot D: under the stairs'];

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

interface CallOptions {
  body?: unknown;
  bearer?: string;
  organiser?: boolean;
  headers?: Record<string, string>;
  /** Statuses that count as success (default: any 2xx). */
  expect?: number[];
}

/** A small JSON client: organiser cookie and CSRF token, or a bearer token. */
class Api {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}

  async call<T>(method: string, path: string, opts: CallOptions = {}): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
    if (opts.organiser) {
      headers.cookie = this.cookie;
      if (method !== 'GET') headers['x-csrf-token'] = this.csrf;
    }
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: opts.body === undefined ? null : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      throw new HttpError(0, 'network', `${method} ${path}: ${String((err as Error)?.message ?? err)}`);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    const ok = opts.expect ? opts.expect.includes(res.status) : res.status >= 200 && res.status < 300;
    if (!ok) {
      const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
      throw new HttpError(res.status, error?.code ?? 'unexpected', `${method} ${path}: ${res.status} ${error?.code ?? ''} ${error?.message ?? text.slice(0, 200)}`.trim());
    }
    if (res.headers.getSetCookie().length > 0) {
      const session = res.headers.getSetCookie().map((c) => c.split(';')[0]!).filter((c) => !c.endsWith('='));
      if (session.length > 0) this.cookie = session.join('; ');
    }
    return { status: res.status, body: body as T };
  }
}

/** Runs `work` over `items`, `limit` at a time, in order of start. */
async function inBatches<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  });
  await Promise.all(lanes);
}

async function logIn(api: Api, args: ReplayArgs, emit: Emit) {
  if (args.setupToken) {
    try {
      const res = await api.call<{ csrfToken: string }>('POST', '/api/auth/setup', {
        body: { token: args.setupToken, email: args.email, name: 'Simulation organiser', password: args.password },
      });
      api.csrf = res.body.csrfToken;
      emit({ sim: 'note', message: `created the organiser ${args.email} with the setup token` });
      return;
    } catch (err) {
      if (!(err instanceof HttpError && err.code === 'setup_done')) throw err;
    }
  }
  const res = await api.call<{ csrfToken: string }>('POST', '/api/auth/login', { body: { email: args.email, password: args.password } });
  api.csrf = res.body.csrfToken;
}

interface OpenApi {
  paths?: Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } } }>;
}

/** An organiser endpoint that records one "A knows B" pair, if the server has one. */
async function acquaintanceEndpoint(api: Api): Promise<string | null> {
  const { body } = await api.call<OpenApi>('GET', '/api/openapi.json');
  for (const [path, item] of Object.entries(body.paths ?? {})) {
    if (!/^\/api\/events\/(\{eventId\}|:eventId)\/acquaintances$/.test(path)) continue;
    const props = item.post?.requestBody?.content?.['application/json']?.schema?.properties ?? {};
    if ('attendeeId' in props && 'knowsId' in props) return path;
  }
  return null;
}

interface EventInfo {
  id: string;
  status: string;
  settings: { topics: Topic[]; interestTags: string[] };
}

/**
 * The topics for a trace's seeks and offers: the generator's own (with both sides) by id,
 * and any other tag (a hand-written trace) as a one-label topic, which the API also finds
 * by its label.
 */
export function topicsFor(tags: readonly string[]): Topic[] {
  const known = new Map(SIM_TOPICS.map((t) => [t.id, t]));
  const taken = new Set<string>(SIM_TOPICS.map((t) => t.id));
  return tags.map((tag) => {
    const topic = known.get(tag);
    if (topic) return topic;
    const id = topicIdFor(tag, taken);
    taken.add(id);
    return { id, seekLabel: tag, offerLabel: tag };
  });
}

/** The event to replay into: a new one with the trace's tags, or a given one that has them. */
async function prepareEvent(api: Api, args: ReplayArgs, rows: readonly TraceRow[], wallMs: number, label: string): Promise<EventInfo> {
  const tags = tagsOf(rows);
  if (args.eventId) {
    const { body: event } = await api.call<EventInfo>('GET', `/api/events/${args.eventId}`, { organiser: true });
    if (event.status !== 'open') throw new Error(`event ${event.id} is ${event.status}: open it first, or leave out --event`);
    const has = (list: string[]) => new Set(list.map((t) => t.toLowerCase()));
    const intents = has(event.settings.topics.flatMap((t) => [t.id, t.seekLabel, t.offerLabel]));
    const interests = has(event.settings.interestTags);
    const missing = [...tags.intentTags.filter((t) => !intents.has(t.toLowerCase())), ...tags.interestTags.filter((t) => !interests.has(t.toLowerCase()))];
    if (missing.length > 0) throw new Error(`event ${event.id} does not offer the trace's tags ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? '...' : ''}`);
    return event;
  }
  if (tags.intentTags.length > 60 || tags.interestTags.length > 60) {
    throw new Error(`an event offers at most 60 tags of each kind; the trace uses ${tags.intentTags.length} intent tags and ${tags.interestTags.length} interests`);
  }
  const now = Date.now();
  const { body } = await api.call<EventInfo>('POST', '/api/events', {
    organiser: true,
    body: {
      name: `Simulation: ${label} (seed ${args.seed}, speed ${args.speed}x)`,
      startsAt: new Date(now - 10 * 60_000).toISOString(),
      endsAt: new Date(now + wallMs + 60 * 60_000).toISOString(),
      timeZone: 'UTC',
      status: 'open',
      settings: {
        topics: topicsFor(tags.intentTags),
        interestTags: tags.interestTags,
        // The server's edge window runs on its own (wall) clock, in whole minutes: scaled
        // down with the speed as far as the setting goes (at speed 60 its 1-minute floor is
        // an hour of the simulated evening, against the usual 10 minutes).
        edgeMinutes: Math.max(1, Math.round(10 / args.speed)),
      },
    },
  });
  return body;
}

interface Person {
  row: TraceRow;
  index: number;
  rng: Rng;
  attendeeId: string;
  secret: string;
  outcome: AttendeeOutcome;
  present: boolean;
  left: boolean;
  socket: AttendeeSocket | null;
  planned: Set<string>;
  timers: Set<NodeJS.Timeout>;
  arrival: Promise<void> | null;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** The replay itself; resolves with the summary (also emitted as the last line). */
export async function replay(args: ReplayArgs, rows: readonly TraceRow[], emit: Emit, label: string): Promise<Record<string, unknown>> {
  const api = new Api(args.url);
  const speed = args.speed;
  const lastS = Math.max(...rows.map((r) => Math.max(r.arriveS, r.leaveS ?? 0)));
  const endS = lastS + args.tailS;
  const wallMs = (endS * 1000) / speed;

  const totals: ReplayTotals = {
    attendees: rows.length,
    checkins: 0,
    checkouts: 0,
    suggestionsReceived: 0,
    answersYes: 0,
    answersNo: 0,
    mutual: 0,
    errors: 0,
    knowsWritten: 0,
    knowsSkipped: 0,
  };
  const extra = { answersStale: 0, met: 0 };
  const errorSamples: string[] = [];
  const fail = (where: string, err: unknown) => {
    totals.errors++;
    if (errorSamples.length < 8) errorSamples.push(`${where}: ${String((err as Error)?.message ?? err)}`);
  };
  const seenSuggestions = new Set<string>();
  const mutualPairs = new Set<string>();
  const metPairs = new Set<string>();
  // For each mutual pair, wall times: first seen mutual, the other side seeing "on my way", "we met".
  const mutualAt = new Map<string, number>();
  const onMyWayAt = new Map<string, number>();
  const metAt = new Map<string, number>();
  const spotOfPair = new Map<string, string>();

  // --- setup, before the clock starts ---------------------------------------------------
  try {
    await api.call('GET', '/api/health');
  } catch (err) {
    throw new Error(`no Edgewise server answers at ${args.url} (${(err as Error).message})`, { cause: err });
  }
  await logIn(api, args, emit);
  const event = await prepareEvent(api, args, rows, wallMs, label);
  const eventPath = `/api/events/${event.id}`;
  const runTag = Date.now().toString(36);

  const people: Person[] = rows.map((row, index) => ({
    row,
    index,
    rng: rngFor(args.seed, row.id),
    attendeeId: '',
    secret: '',
    outcome: { id: row.id, firstTime: row.firstTime, checkedInAt: null, firstSuggestionAt: null },
    present: false,
    left: false,
    socket: null,
    planned: new Set(),
    timers: new Set(),
    arrival: null,
  }));
  await inBatches(people, SETUP_CONCURRENCY, async (p) => {
    const { body: attendee } = await api.call<{ id: string }>('POST', `${eventPath}/attendees`, {
      organiser: true,
      body: { name: `Sim ${p.row.id}`, email: `${p.row.id.toLowerCase()}.${runTag}@sim.example.org`, firstTime: p.row.firstTime },
    });
    p.attendeeId = attendee.id;
    const { body: ticket } = await api.call<{ secret: string }>('GET', `${eventPath}/attendees/${attendee.id}/ticket`, { organiser: true });
    p.secret = ticket.secret;
  });
  const byTraceId = new Map(people.map((p) => [p.row.id, p]));
  const byAttendeeId = new Map(people.map((p) => [p.attendeeId, p]));

  // Who knows whom: written only if the server has an endpoint for it that takes one pair.
  const knowsPairs = rows.flatMap((r) => r.knows.map((k) => [r.id, k] as const));
  if (knowsPairs.length > 0) {
    const endpoint = await acquaintanceEndpoint(api);
    if (!endpoint) {
      totals.knowsSkipped = knowsPairs.length;
      emit({ sim: 'note', message: `the server has no endpoint for acquaintances: ${knowsPairs.length} "knows" links of the trace are not written` });
    } else {
      const target = endpoint.replace(/\{eventId\}|:eventId/, event.id);
      await inBatches(knowsPairs, SETUP_CONCURRENCY, async ([a, b]) => {
        try {
          await api.call('POST', target, { organiser: true, body: { attendeeId: byTraceId.get(a)!.attendeeId, knowsId: byTraceId.get(b)!.attendeeId } });
          totals.knowsWritten++;
        } catch (err) {
          totals.knowsSkipped++;
          fail('knows', err);
        }
      });
    }
  }

  await api.call('PUT', `${eventPath}/meeting-points`, { organiser: true, body: { points: SIM_MEETING_POINTS.map((name) => ({ name })) } });
  // The door: a few kiosks guests queue for (a kiosk acts only for the guest it scanned last,
  // so one guest at a time each, from the scan to the phone link), and one for leaving.
  const pairKiosk = async (name: string) => {
    const { body: pairing } = await api.call<{ code: string }>('POST', `${eventPath}/pairing-codes`, { organiser: true, body: { kind: 'kiosk', name } });
    const { body: paired } = await api.call<{ token: string }>('POST', '/api/devices/pair', { body: { code: pairing.code } });
    return paired.token;
  };
  const freeKiosks: string[] = [];
  for (let i = 1; i <= DOOR_KIOSKS; i++) freeKiosks.push(await pairKiosk(`Simulator kiosk ${i}`));
  const exitKiosk = await pairKiosk('Simulator exit kiosk');
  const queue: ((kiosk: string) => void)[] = [];
  const takeKiosk = () => new Promise<string>((resolve) => (freeKiosks.length > 0 ? resolve(freeKiosks.pop()!) : queue.push(resolve)));
  const giveBack = (kiosk: string) => {
    const next = queue.shift();
    if (next) next(kiosk);
    else freeKiosks.push(kiosk);
  };
  emit({ sim: 'setup', event_id: event.id, attendees: people.length, speed, evening_s: endS, wall_s: Math.round(wallMs / 100) / 10, url: args.url });

  // --- the evening -----------------------------------------------------------------------
  const t0 = performance.now();
  const simNow = () => ((performance.now() - t0) * speed) / 1000;
  const later = (p: Person, simS: number, fn: () => void) => {
    const timer = setTimeout(() => {
      p.timers.delete(timer);
      fn();
    }, (simS * 1000) / speed);
    p.timers.add(timer);
  };
  const nonce = (p: Person, kind: string) => `sim-${runTag}-${p.index}-${kind}-${Math.floor(p.rng() * 1e9).toString(36)}`;

  const see = (p: Person, suggestions: readonly SuggestionView[], connections: readonly SuggestionView[]) => {
    if (suggestions.length > 0 && p.outcome.firstSuggestionAt === null && p.outcome.checkedInAt !== null) p.outcome.firstSuggestionAt = performance.now();
    for (const s of [...suggestions, ...connections]) {
      if (!seenSuggestions.has(s.id)) {
        seenSuggestions.add(s.id);
        totals.suggestionsReceived++;
      }
      const key = pairKey(p.attendeeId, s.person.id);
      if ((s.state === 'mutual' || s.state === 'met') && !mutualPairs.has(key)) {
        mutualPairs.add(key);
        totals.mutual++;
        mutualAt.set(key, performance.now());
      }
      if (s.meetingPoint?.spot && !spotOfPair.has(key)) spotOfPair.set(key, s.meetingPoint.spot.name);
      // The other person's phone shows "on their way": that is when it counts.
      if (s.meetingPoint?.theirOnMyWayAt && mutualAt.has(key) && !onMyWayAt.has(key)) onMyWayAt.set(key, performance.now());
      // The edges first: the one asked to go to a newcomer walks over; otherwise the lower id.
      const walks = s.meetingPoint?.nudge === 'go_to_them' || (s.meetingPoint?.nudge == null && p.attendeeId < s.person.id);
      if (s.state === 'mutual' && s.meetingPoint && walks && !s.meetingPoint.myOnMyWayAt && !p.planned.has(`way:${s.id}`)) {
        p.planned.add(`way:${s.id}`);
        later(p, intBetween(p.rng, ON_MY_WAY_AFTER_S[0], ON_MY_WAY_AFTER_S[1]), () => void onMyWay(p, s));
      }
      // One of the two (the lower id) says "we met", a while after both said yes.
      if (s.state === 'mutual' && p.attendeeId < s.person.id && !p.planned.has(`met:${s.id}`)) {
        p.planned.add(`met:${s.id}`);
        later(p, intBetween(p.rng, MEET_AFTER_MIN[0] * 60, MEET_AFTER_MIN[1] * 60), () => markMet(p, s));
      }
    }
    for (const s of suggestions) {
      if (s.myAnswer !== null || (s.state !== 'proposed' && s.state !== 'accepted_by_one') || p.planned.has(s.id)) continue;
      p.planned.add(s.id);
      const plan = planAnswer(p.rng, s);
      later(p, plan.thinkS, () => answer(p, s, plan.answer));
    }
  };

  const command = <R>(p: Person, run: (socket: AttendeeSocket, ack: (err: Error | null, res: Ack<R>) => void) => void): Promise<Ack<R> | null> =>
    new Promise((resolve) => {
      const socket = p.socket;
      if (!socket || !socket.connected || p.left) return resolve(null);
      run(socket, (err, res) => {
        if (err) {
          // A command cut short by the person leaving (their phone put away) is not a failure.
          if (!p.left) fail('socket command', err);
          return resolve(null);
        }
        resolve(res);
      });
    });

  const answer = async (p: Person, s: SuggestionView, choice: 'yes' | 'no') => {
    const res = await command<SuggestionView>(p, (socket, ack) => socket.timeout(ACK_TIMEOUT_MS).emit('suggestion:answer', { suggestionId: s.id, answer: choice }, ack));
    if (!res) return;
    if (res.ok) {
      if (choice === 'yes') totals.answersYes++;
      else totals.answersNo++;
      see(p, [], [res.data]);
    } else if (res.error.code === 'conflict' || res.error.code === 'not_found') {
      // The list moved on while this person was thinking (expired, declined by the other).
      extra.answersStale++;
    } else fail('suggestion:answer', new Error(`${res.error.code}: ${res.error.message}`));
  };

  const onMyWay = async (p: Person, s: SuggestionView) => {
    const res = await command<SuggestionView>(p, (socket, ack) => socket.timeout(ACK_TIMEOUT_MS).emit('meeting:on-my-way', { suggestionId: s.id }, ack));
    if (res && !res.ok && res.error.code !== 'conflict' && res.error.code !== 'not_found') fail('meeting:on-my-way', new Error(`${res.error.code}: ${res.error.message}`));
  };

  const markMet = async (p: Person, s: SuggestionView) => {
    const other = byAttendeeId.get(s.person.id);
    if (!other?.present || !p.present) return;
    const res = await command<SuggestionView>(p, (socket, ack) => socket.timeout(ACK_TIMEOUT_MS).emit('suggestion:met', { suggestionId: s.id }, ack));
    if (!res) return;
    if (res.ok) {
      const key = pairKey(p.attendeeId, s.person.id);
      if (!metPairs.has(key)) {
        metPairs.add(key);
        extra.met++;
        if (mutualAt.has(key)) metAt.set(key, performance.now());
      }
    } else if (res.error.code !== 'conflict' && res.error.code !== 'not_found') fail('suggestion:met', new Error(`${res.error.code}: ${res.error.message}`));
  };

  const openSocket = (p: Person, token: string) =>
    new Promise<void>((resolve) => {
      const socket: AttendeeSocket = connect(args.url, { auth: { attendeeToken: token }, transports: ['websocket'], forceNew: true, reconnectionDelayMax: 2000 });
      p.socket = socket;
      let first = true;
      socket.on('suggestions:changed', (payload) => {
        if (payload.attendeeId !== p.attendeeId) fail('suggestions:changed', new Error(`${p.row.id} received the list of ${payload.attendeeId}`));
        else see(p, payload.suggestions, payload.connections);
      });
      // On every (re)connect the page fetches the whole snapshot: pushes missed meanwhile are not lost.
      socket.on('connect', () => {
        socket.timeout(ACK_TIMEOUT_MS).emit('me:sync', {}, (err: Error | null, res: Ack<MeSnapshot>) => {
          if (err) {
            if (!p.left) fail('me:sync', err);
          } else if (!res.ok) fail('me:sync', new Error(`${res.error.code}: ${res.error.message}`));
          else see(p, res.data.suggestions, res.data.connections);
          if (first) {
            first = false;
            resolve();
          }
        });
      });
      socket.on('connect_error', (err) => {
        if (p.left) return;
        fail('socket connect', err);
        if (first) {
          first = false;
          resolve();
        }
      });
    });

  const arrive = async (p: Person) => {
    const kiosk = await takeKiosk();
    let code: string | null;
    try {
      code = await atTheKiosk(p, kiosk);
    } finally {
      giveBack(kiosk);
    }
    if (!code) throw new Error(`the phone link of ${p.row.id} carries no code`);
    if (p.left) return;
    // Each simulated phone is its own device on the venue's network, as the server sees it
    // behind a proxy: one address per phone keeps the per-address throttle meaningful.
    const phoneAddress = `10.${(p.index >> 16) & 255}.${(p.index >> 8) & 255}.${p.index & 255}`;
    const { body: session } = await api.call<MeSession>('POST', '/api/me/session', { body: { code }, headers: { 'x-forwarded-for': phoneAddress } });
    see(p, session.snapshot.suggestions, session.snapshot.connections);
    if (p.left) return;
    await openSocket(p, session.token);
  };

  /** One guest at one kiosk: the scan, their intent, a look at the suggestions, the phone link's code. */
  const atTheKiosk = async (p: Person, kiosk: string): Promise<string | null> => {
    const sentAt = performance.now();
    const { status, body: outcome } = await api.call<{ status: string; reason: string }>('POST', `${eventPath}/checkins`, {
      bearer: kiosk,
      body: { token: p.secret, nonce: nonce(p, 'in'), type: 'entry', scannedAt: new Date().toISOString() },
    });
    if (status !== 201 || outcome.status !== 'ok') throw new Error(`check-in of ${p.row.id}: ${outcome.status} (${outcome.reason})`);
    totals.checkins++;
    p.present = true;
    p.outcome.checkedInAt = sentAt;
    const r = p.row;
    await api.call('PUT', `${eventPath}/attendees/${p.attendeeId}/intent`, {
      bearer: kiosk,
      body: { seeks: r.seeks, offers: r.offers, interests: r.interests, askMeAbout: '', hostOptIn: false, showOnScreen: false },
    });
    // What the kiosk shows right after the intent; the phone takes over from here.
    const { body: atKiosk } = await api.call<{ id: string }[]>('GET', `${eventPath}/attendees/${p.attendeeId}/suggestions`, { bearer: kiosk });
    if (atKiosk.length > 0 && p.outcome.firstSuggestionAt === null) p.outcome.firstSuggestionAt = performance.now();
    const { body: link } = await api.call<{ url: string }>('POST', `${eventPath}/attendees/${p.attendeeId}/phone-link`, { bearer: kiosk });
    return new URL(link.url).searchParams.get('code');
  };

  const leave = async (p: Person) => {
    await p.arrival?.catch(() => undefined);
    p.left = true;
    for (const t of p.timers) clearTimeout(t);
    p.timers.clear();
    p.socket?.close();
    if (!p.present) return;
    p.present = false;
    try {
      const { body: outcome } = await api.call<{ status: string; reason: string }>('POST', `${eventPath}/checkins`, {
        bearer: exitKiosk,
        body: { token: p.secret, nonce: nonce(p, 'out'), type: 'exit', scannedAt: new Date().toISOString() },
      });
      if (outcome.status !== 'ok') throw new Error(`check-out of ${p.row.id}: ${outcome.status} (${outcome.reason})`);
      totals.checkouts++;
    } catch (err) {
      fail('check-out', err);
    }
  };

  const departures: Promise<void>[] = [];
  const schedule: NodeJS.Timeout[] = [];
  for (const p of people) {
    schedule.push(
      setTimeout(() => {
        p.arrival = arrive(p).catch((err: unknown) => fail('arrival', err));
      }, (p.row.arriveS * 1000) / speed),
    );
    if (p.row.leaveS !== null) {
      schedule.push(setTimeout(() => departures.push(leave(p)), (p.row.leaveS * 1000) / speed));
    }
  }
  const progress =
    args.progressMin > 0
      ? setInterval(() => {
          emit({
            sim: 'progress',
            t_s: Math.round(simNow()),
            present: people.filter((p) => p.present).length,
            checkins: totals.checkins,
            checkouts: totals.checkouts,
            suggestions_received: totals.suggestionsReceived,
            answers: totals.answersYes + totals.answersNo,
            mutual: totals.mutual,
            errors: totals.errors,
          });
        }, (args.progressMin * 60_000) / speed)
      : null;

  await new Promise((resolve) => setTimeout(resolve, wallMs));
  if (progress) clearInterval(progress);
  for (const t of schedule) clearTimeout(t);
  // Requests still in flight finish (each is bounded by its timeout); then everyone goes home.
  await Promise.all(people.map((p) => p.arrival?.catch(() => undefined)));
  await Promise.all(departures);
  for (const p of people) {
    p.left = true;
    for (const t of p.timers) clearTimeout(t);
    p.socket?.close();
  }

  const summary = {
    ...summariseReplay(
      people.map((p) => p.outcome),
      totals,
      speed,
    ),
    answers_stale: extra.answersStale,
    met: extra.met,
    ...meetingFigures(mutualAt, onMyWayAt, metAt, spotOfPair, speed),
    event_id: event.id,
    seed: args.seed,
    speed,
    error_samples: errorSamples,
  };
  emit(summary);
  return summary;
}

/**
 * For mutual pairs: simulated seconds from mutual to the other phone showing "on my way", and
 * to "we met"; how many pairs each spot was given.
 */
function meetingFigures(mutualAt: Map<string, number>, onMyWayAt: Map<string, number>, metAt: Map<string, number>, spotOfPair: Map<string, string>, speed: number) {
  const since = (to: Map<string, number>) => [...to].map(([key, at]) => ((at - mutualAt.get(key)!) * speed) / 1000);
  const toWay = since(onMyWayAt);
  const toMet = since(metAt);
  const spots: Record<string, number> = {};
  for (const name of spotOfPair.values()) spots[name] = (spots[name] ?? 0) + 1;
  return {
    pairs_on_my_way: toWay.length,
    mutual_to_on_my_way_p50_s: round(percentile(toWay, 0.5)),
    mutual_to_on_my_way_p95_s: round(percentile(toWay, 0.95)),
    pairs_met: toMet.length,
    mutual_to_met_p50_s: round(percentile(toMet, 0.5)),
    mutual_to_met_p95_s: round(percentile(toMet, 0.95)),
    pairs_per_meeting_point: spots,
  };
}
