import { translate as t } from '../../lib/i18n';
import { formatInZone } from '../../lib/zonedTime';

/** When a device was last seen, as the organiser reads it: "Just now", "5 min ago", "2 h ago", then the date in the event's zone. */
export function lastSeenText(iso: string | null, now: number, timeZone: string): string {
  if (!iso) return t('dashboard.live.never');
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return t('dashboard.live.justNow');
  if (s < 3600) return t('dashboard.live.minutesAgo', { n: Math.floor(s / 60) });
  if (s < 86_400) return t('dashboard.live.hoursAgo', { n: Math.floor(s / 3600) });
  return formatInZone(iso, timeZone);
}
