import { browserTimeZone, formatInZone } from '../../lib/zonedTime';

/** "21:05" in the phone's own clock and the page's language: the people reading it stand in the same room. */
export function clockTime(iso: string): string {
  return formatInZone(iso, browserTimeZone(), { hour: '2-digit', minute: '2-digit' });
}
