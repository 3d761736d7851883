/**
 * Wall-clock times in a named IANA time zone, with Intl and without a date library. An
 * event's times are read and typed in the venue's zone, not the server's or the browser's.
 * Shared by the API (exports, follow-up scheduling) and the client (event forms, charts).
 */

export interface WallClock {
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

/** The wall-clock reading in `timeZone` at the instant `ms`. */
export function wallClock(ms: number, timeZone: string): WallClock {
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
  const p = wallClock(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** `+01:00`, `-03:30`. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/** ISO 8601 with the zone's offset at that instant (seconds precision), e.g. `2026-11-25T18:00:00+00:00`. */
export function toZonedIso(ms: number, timeZone: string): string {
  const p = wallClock(ms, timeZone);
  const offset = offsetMinutesAt(ms, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${formatOffset(offset)}`;
}

/**
 * The instant at which the wall clock in `timeZone` reads the given local time. A time
 * skipped by a spring-forward change is moved forward by the gap (02:30 becomes 03:30),
 * and a time that happens twice in autumn resolves to one of the two.
 */
export function zonedToUtc(local: { year: number; month: number; day: number; hour: number; minute: number; second?: number }, timeZone: string): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second ?? 0);
  if (Number.isNaN(wall)) return NaN;
  // Two rounds settle the offset, also next to a daylight-saving change.
  const first = wall - offsetMinutesAt(wall, timeZone) * 60_000;
  return wall - offsetMinutesAt(first, timeZone) * 60_000;
}
