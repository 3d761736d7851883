/**
 * Wall-clock times in a named IANA time zone, without a date library. An event's times are
 * typed as the venue's local time (a `datetime-local` value) and stored as instants, so
 * the conversion must use the event's zone, not the browser's.
 */

interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallPartsAt(ms: number, timeZone: string): WallParts {
  const out: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    // Some engines still say 24 for midnight even with h23.
    hour: (out.hour ?? 0) % 24,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** The zone's offset from UTC in minutes at that instant (Lisbon in summer: 60). */
export function offsetMinutesAt(ms: number, timeZone: string): number {
  const p = wallPartsAt(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant a `datetime-local` value names in `timeZone`, or null when it is not one.
 * A time skipped by a spring-forward change is moved forward by the gap (02:30 becomes
 * 03:30), and a time that happens twice in autumn resolves to one of the two: what
 * calendar apps do.
 */
export function zonedLocalToInstant(local: string, timeZone: string): number | null {
  const m = localPattern.exec(local);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (Number.isNaN(wall)) return null;
  const first = wall - offsetMinutesAt(wall, timeZone) * 60_000;
  return wall - offsetMinutesAt(first, timeZone) * 60_000;
}

/** ISO 8601 with the zone's offset at that instant, e.g. `2026-11-25T18:00:00+00:00`. */
export function toZonedIso(ms: number, timeZone: string): string {
  const p = wallPartsAt(ms, timeZone);
  const offset = offsetMinutesAt(ms, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${formatOffset(offset)}`;
}

/** A `datetime-local` value for `datetime-local` inputs: the instant's wall time in the zone. */
export function toZonedLocal(isoOrMs: string | number, timeZone: string): string {
  const ms = typeof isoOrMs === 'number' ? isoOrMs : Date.parse(isoOrMs);
  if (Number.isNaN(ms)) return '';
  const p = wallPartsAt(ms, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** `datetime-local` in the zone straight to ISO with offset; null when the input is incomplete. */
export function zonedLocalToIso(local: string, timeZone: string): string | null {
  const ms = zonedLocalToInstant(local, timeZone);
  return ms === null ? null : toZonedIso(ms, timeZone);
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every zone the engine knows, sorted; always including UTC and the browser's own zone. */
export function knownTimeZones(): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const all = new Set(zones);
  all.add('UTC');
  all.add(browserTimeZone());
  return [...all].sort((a, b) => a.localeCompare(b));
}

/** Formats an instant as people at the venue read it. */
export function formatInZone(iso: string | null | undefined, timeZone: string, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  try {
    return new Intl.DateTimeFormat(undefined, { ...opts, timeZone }).format(ms);
  } catch {
    return new Date(ms).toISOString();
  }
}
