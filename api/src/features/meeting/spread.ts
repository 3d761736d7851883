/** A point on the floor plan, in lengths of the plan's longer side (so distances are true to its shape). */
export interface Point {
  x: number;
  y: number;
}

/** A meeting point as the proposal sees it: where it is, if the organiser said (a zone, a pin on the plan). */
export interface Spot {
  id: string;
  zone: string | null;
  pin?: Point | null;
}

/**
 * How much a spot outside the pair's zone counts against it, in pairs already heading there:
 * the near spot wins until it has this many pairs more than a quiet one further away.
 */
export const FAR_COST = 3;

/**
 * Which pinned spots count as "the nearest" to a pair standing at a pinned kiosk: the nearest
 * one and any other at most this much further away (in lengths of the plan's longer side: 0.15
 * is 15 m of a 100 m hall), so two tables side by side share the pairs between them.
 */
export const NEAR_SLACK = 0.15;

const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/**
 * Which spots are near a pair. With the pins of the kiosks the pair was last seen at, and spots
 * pinned on the plan: the nearest pinned spots (within `NEAR_SLACK` of the nearest one), plus
 * any unpinned spot in one of the pair's zones. Without pins: the spots in the pair's zones.
 * Null when the pair has no place at all (every spot is as good as another).
 */
function nearSpots(spots: readonly Spot[], zones: readonly string[], from: readonly Point[]): Set<string> | null {
  const inZone = (s: Spot) => s.zone !== null && zones.includes(s.zone);
  const pinned = from.length > 0 ? spots.flatMap((s) => (s.pin ? [{ id: s.id, d: Math.min(...from.map((p) => distance(p, s.pin!))) }] : [])) : [];
  if (pinned.length > 0) {
    const nearest = Math.min(...pinned.map((s) => s.d));
    const byPin = pinned.filter((s) => s.d <= nearest + NEAR_SLACK).map((s) => s.id);
    return new Set([...byPin, ...spots.filter((s) => !s.pin && inZone(s)).map((s) => s.id)]);
  }
  return zones.length > 0 ? new Set(spots.filter(inZone).map((s) => s.id)) : null;
}

/**
 * Which spot each new pair is sent to: near and not crowded. A pair comes with the zones it is
 * near (where its newcomer, or else the two, were last seen: the zone of the kiosk that checked
 * them in) and, in `from`, the pins of those kiosks on the floor plan. A near spot is preferred
 * (the nearest pinned ones when there are pins, else the ones in its zones); one elsewhere
 * costs `FAR_COST` pairs more, and among equals the one with the fewest pairs heading there
 * now wins, the organiser's order breaking ties. Pairs with no place, or events without zones
 * or pins, simply spread over every spot. Pure, so the choice can be tested alone.
 */
export function assignSpots(
  spots: readonly Spot[],
  load: ReadonlyMap<string, number>,
  pairs: readonly (readonly string[])[],
  from: readonly (readonly Point[])[] = [],
): string[] {
  if (spots.length === 0) return [];
  const counts = new Map(spots.map((s) => [s.id, load.get(s.id) ?? 0]));
  return pairs.map((zones, i) => {
    const near = nearSpots(spots, zones, from[i] ?? []);
    const cost = (s: Spot) => counts.get(s.id)! + (near !== null && !near.has(s.id) ? FAR_COST : 0);
    let best = spots[0]!;
    for (const s of spots) if (cost(s) < cost(best)) best = s;
    counts.set(best.id, counts.get(best.id)! + 1);
    return best.id;
  });
}
