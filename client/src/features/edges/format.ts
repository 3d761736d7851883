import { translate as t } from '../../lib/i18n';

/** "just now", "4 min", "1 h 12 min": how long someone has stood at the edges. */
export function waitedFor(sinceIso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 60_000));
  if (minutes < 1) return t('dashboard.edges.justNow');
  if (minutes < 60) return t('dashboard.edges.minutes', { m: minutes });
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? t('dashboard.edges.hoursMinutes', { h, m }) : t('dashboard.edges.hours', { h });
}

/** Tags as one short line: "Investors, Design +2". */
export function tagLine(tags: readonly string[], max = 3): string {
  if (tags.length <= max) return tags.join(', ');
  return `${tags.slice(0, max).join(', ')} +${tags.length - max}`;
}
