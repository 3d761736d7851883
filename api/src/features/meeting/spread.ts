/**
 * Which spot a new pair is sent to: the one with the fewest pairs on their way there now,
 * the organiser's order breaking ties. Pure, so the spreading can be tested alone. Every
 * spot is as near as another while the server knows nothing of where people stand: the
 * "near" of the issue needs a floor plan with pins and people's positions, which we do not have.
 */
export function assignSpots(spotIds: readonly string[], load: ReadonlyMap<string, number>, pairs: number): string[] {
  if (spotIds.length === 0) return [];
  const counts = new Map(spotIds.map((id) => [id, load.get(id) ?? 0]));
  const out: string[] = [];
  for (let i = 0; i < pairs; i++) {
    let best = spotIds[0]!;
    for (const id of spotIds) if (counts.get(id)! < counts.get(best)!) best = id;
    counts.set(best, counts.get(best)! + 1);
    out.push(best);
  }
  return out;
}
