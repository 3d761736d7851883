/** A meeting point as the proposal sees it: where it is, if the organiser said. */
export interface Spot {
  id: string;
  zone: string | null;
}

/**
 * How much a spot outside the pair's zone counts against it, in pairs already heading there:
 * the near spot wins until it has this many pairs more than a quiet one further away.
 */
export const FAR_COST = 3;

/**
 * Which spot each new pair is sent to: near and not crowded. A pair comes with the zones it is
 * near (where its newcomer, or else the two, were last seen: the zone of the kiosk that checked
 * them in); a spot in one of them is preferred, one elsewhere costs `FAR_COST` pairs more, and
 * among equals the one with the fewest pairs heading there now wins, the organiser's order
 * breaking ties. Pairs with no zone, or events without zones, simply spread over every spot.
 * Pure, so the choice can be tested alone.
 */
export function assignSpots(spots: readonly Spot[], load: ReadonlyMap<string, number>, pairs: readonly (readonly string[])[]): string[] {
  if (spots.length === 0) return [];
  const counts = new Map(spots.map((s) => [s.id, load.get(s.id) ?? 0]));
  return pairs.map((near) => {
    const cost = (s: Spot) => counts.get(s.id)! + (near.length > 0 && (s.zone === null || !near.includes(s.zone)) ? FAR_COST : 0);
    let best = spots[0]!;
    for (const s of spots) if (cost(s) < cost(best)) best = s;
    counts.set(best.id, counts.get(best.id)! + 1);
    return best.id;
  });
}
