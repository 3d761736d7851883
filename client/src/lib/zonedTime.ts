/**
 * Wall-clock times in a named IANA time zone, without a date library. An event's times are
 * typed as the venue's local time (a `datetime-local` value) and stored as instants, so
 * the conversion must use the event's zone, not the browser's. The zone arithmetic itself
 * is shared with the API.
 */

import { toZonedIso, wallClock, zonedToUtc } from '@edgewise/shared';
import { currentLanguage } from './i18n';

export { formatOffset, offsetMinutesAt, toZonedIso } from '@edgewise/shared';

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

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
  const at = zonedToUtc({ year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: Number(s ?? 0) }, timeZone);
  return Number.isNaN(at) ? null : at;
}

/** A `datetime-local` value for `datetime-local` inputs: the instant's wall time in the zone. */
export function toZonedLocal(isoOrMs: string | number, timeZone: string): string {
  const ms = typeof isoOrMs === 'number' ? isoOrMs : Date.parse(isoOrMs);
  if (Number.isNaN(ms)) return '';
  const p = wallClock(ms, timeZone);
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
    // In the language the page speaks now (a reactive read: views re-render on a switch).
    return new Intl.DateTimeFormat(currentLanguage.value, { ...opts, timeZone }).format(ms);
  } catch {
    return new Date(ms).toISOString();
  }
}
