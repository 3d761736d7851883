/**
 * Times as people at the event read them: ISO 8601 in the event's time zone, with the
 * offset written out, so a spreadsheet and a person both read the right instant.
 */
import { toZonedIso } from '@edgewise/shared';

/** `2026-11-25T19:04:05+01:00` (seconds precision), or '' for no time. */
export function isoInZone(at: Date | number | null | undefined, timeZone: string): string {
  if (at === null || at === undefined) return '';
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) return '';
  return toZonedIso(ms, timeZone);
}
