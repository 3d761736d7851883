import { formatInZone } from '../../lib/zonedTime';

/** When a device was last seen, as the organiser reads it: "Just now", "5 min ago", "2 h ago", then the date in the event's zone. */
export function lastSeenText(iso: string | null, now: number, timeZone: string): string {
  if (!iso) return 'Never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return 'Just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return formatInZone(iso, timeZone);
}
