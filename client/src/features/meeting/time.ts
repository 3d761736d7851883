import { browserTimeZone, formatInZone } from '../../lib/zonedTime';

/**
 * "21:05" (or "9:05 PM") in the phone's own clock and the page's language: the people reading
 * it stand in the same room. The hour as the language writes it, never "09:05 PM".
 */
export function clockTime(iso: string): string {
  return formatInZone(iso, browserTimeZone(), { hour: 'numeric', minute: '2-digit' });
}
