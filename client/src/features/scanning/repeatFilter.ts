/**
 * Cameras see the same code many times a second and people hold their phone up for a
 * while: a text seen again within `windowMs` of its last sighting is a repeat, not a new
 * scan. The window slides with every sighting, so a code left in front of the camera stays
 * ignored until it has been out of view for the whole window.
 */
export function createRepeatFilter(windowMs = 3000, now: () => number = () => Date.now()) {
  const lastSeen = new Map<string, number>();
  return function isNewScan(raw: string): boolean {
    const text = raw.trim();
    const t = now();
    for (const [key, at] of lastSeen) if (t - at >= windowMs) lastSeen.delete(key);
    const fresh = !lastSeen.has(text);
    lastSeen.set(text, t);
    return fresh;
  };
}
