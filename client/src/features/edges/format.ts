/** "just arrived", "4 min", "1 h 12 min": how long someone has stood at the edges. */
export function waitedFor(sinceIso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** Tags as one short line: "Investors, Design +2". */
export function tagLine(tags: readonly string[], max = 3): string {
  if (tags.length <= max) return tags.join(', ');
  return `${tags.slice(0, max).join(', ')} +${tags.length - max}`;
}
