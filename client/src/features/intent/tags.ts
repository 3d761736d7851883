/** The caps the API enforces, shown to people before they hit them. */
export const MAX_SEEKS = 5;
export const MAX_OFFERS = 5;
export const MAX_INTERESTS = 8;
export const ASK_ME_ABOUT_MAX = 140;

/** Picks or unpicks a tag; a pick beyond `max` is refused (the list comes back unchanged). */
export function toggleTag(selected: readonly string[], tag: string, max: number): string[] {
  if (selected.includes(tag)) return selected.filter((t) => t !== tag);
  if (selected.length >= max) return [...selected];
  return [...selected, tag];
}

/**
 * The saved tags still on offer: an organiser may have changed the event's lists since, and
 * the API only accepts tags from the current ones.
 */
export function keepOffered(saved: readonly string[] | undefined, offered: readonly string[], max: number): string[] {
  const unique = [...new Set(saved ?? [])];
  return unique.filter((t) => offered.includes(t)).slice(0, max);
}
