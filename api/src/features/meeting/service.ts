import { and, eq, sql } from 'drizzle-orm';
import { pairMeetings, suggestions, whereIAm, type Db } from '@edgewise/db';
import type { OnMyWay, PickMeetingPoint, SetWhereIAm, SuggestionView, WhereIAm } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import type { Me, Outcome } from '../me/service';
import { suggestionView } from '../me/snapshot';
import { mutualPartnersOf } from '../photos/repo';
import { floorPlanOf } from './floor-plan';
import { lastSeenPlaces, lockEvent, meetingsOf, newcomersAmong, ordered, pairKey, pointsOf, spotLoad, type PairMeetingRow } from './repo';
import { assignSpots, type Point, type Spot } from './spread';

/** How far ahead a proposed meeting is set: near enough to go now, far enough to finish a sentence. */
export const MEET_IN_MINUTES = 5;

/** A pin as a point in lengths of the plan's longer side, so a distance across a wide plan is as long as it looks. */
const onPlan = (plan: { width: number; height: number }) => {
  const side = Math.max(plan.width, plan.height);
  return (pin: { x: number; y: number }): Point => ({ x: (pin.x * plan.width) / side, y: (pin.y * plan.height) / side });
};

/**
 * Where each pair is, for the proposal: the zones and kiosk pins of where its newcomer was
 * last seen (the other person goes to them), else of where either of the two was; nothing
 * when their kiosks have neither.
 */
async function placesNear(db: Db, pairs: readonly [string, string][], scale: ((pin: Point) => Point) | null): Promise<{ zones: string[][]; from: Point[][] }> {
  const ids = [...new Set(pairs.flat())];
  const [seen, newcomers] = await Promise.all([lastSeenPlaces(db, ids), newcomersAmong(db, ids)]);
  const anchors = pairs.map((pair) => {
    const newcomer = pair.filter((id) => newcomers.has(id));
    return (newcomer.length === 1 ? newcomer : pair).flatMap((id) => seen.get(id) ?? []);
  });
  return {
    zones: anchors.map((places) => [...new Set(places.flatMap((p) => p.zone ?? []))]),
    from: anchors.map((places) => (scale ? places.flatMap((p) => (p.pin ? [scale(p.pin)] : [])) : [])),
  };
}

/**
 * The meetings of some mutual pairs, proposing one where a pair has none yet (or lost its
 * spot when the organiser removed it): a spot near where they were last seen (by zone, or by
 * the kiosk's pin on the floor plan) and not
 * crowded (`assignSpots`), in five minutes. Spots are handed out under a lock on the event's
 * row, so pairs that became mutual at the same moment, on any node, are spread and not all
 * sent to the same spot.
 */
export async function ensureMeetings(db: Db, eventId: string, pairs: readonly (readonly [string, string])[]): Promise<Map<string, PairMeetingRow>> {
  const unique = [...new Map(pairs.map(([x, y]) => [pairKey(x, y), ordered(x, y)])).values()];
  if (unique.length === 0) return new Map();
  const found = await meetingsOf(db, unique);
  const lacking = (rows: Map<string, PairMeetingRow>, spots: number) => (p: [string, string]) => {
    const row = rows.get(pairKey(...p));
    return !row || (row.meetingPointId === null && row.pickedBy === null && spots > 0);
  };
  const withoutRow = unique.filter(lacking(found, 0));
  const withoutSpot = unique.some((p) => found.get(pairKey(...p))?.meetingPointId === null);
  if (withoutRow.length === 0 && !withoutSpot) return found;
  const points = await pointsOf(db, eventId);
  const todo = unique.filter(lacking(found, points.length));
  if (todo.length === 0) return found;
  await db.transaction(async (tx) => {
    await lockEvent(tx, eventId);
    const again = await meetingsOf(tx, todo);
    const still = todo.filter(lacking(again, points.length));
    if (still.length === 0) return;
    const plan = points.some((p) => p.pin !== null) ? await floorPlanOf(tx, eventId) : null;
    const scale = plan ? onPlan(plan) : null;
    const placed = points.some((p) => p.zone !== null) || scale ? await placesNear(tx, still, scale) : { zones: still.map(() => []), from: [] };
    const spots: Spot[] = points.map((p) => ({ id: p.id, zone: p.zone, pin: p.pin && scale ? scale(p.pin) : null }));
    const chosen = assignSpots(spots, await spotLoad(tx, eventId), placed.zones, placed.from);
    // One statement for the whole batch, however many pairs it proposes for.
    await tx
      .insert(pairMeetings)
      .values(still.map(([a, b], i) => ({ eventId, aId: a, bId: b, meetingPointId: chosen[i] ?? null, meetAt: sql`now() + ${sql.raw(`interval '${MEET_IN_MINUTES} minutes'`)}` })))
      .onConflictDoUpdate({
        target: [pairMeetings.aId, pairMeetings.bId],
        set: { meetingPointId: sql`excluded.meeting_point_id`, meetAt: sql`greatest(${pairMeetings.meetAt}, excluded.meet_at)`, updatedAt: sql`now()` },
      });
  });
  return meetingsOf(db, unique);
}

/** The viewer's own suggestion of a pair both said yes to (or were introduced in): the other end is `targetId`. */
async function requireMutual(db: Db, me: Me, suggestionId: string) {
  const [row] = await db
    .select({ id: suggestions.id, targetId: suggestions.targetId, state: suggestions.state })
    .from(suggestions)
    .where(and(eq(suggestions.id, suggestionId), eq(suggestions.attendeeId, me.attendeeId), eq(suggestions.eventId, me.eventId)))
    .limit(1);
  if (!row) throw new AppError('not_found', 'This suggestion is not in your list.');
  if (row.state !== 'mutual') throw new AppError('conflict', 'A place to meet is only for people who both said yes and have not met yet.');
  return row;
}

async function viewOf(db: Db, me: Me, suggestionId: string): Promise<SuggestionView> {
  const view = await suggestionView(db, me.eventId, me.attendeeId, suggestionId);
  if (!view) throw new AppError('not_found', 'This suggestion is not in your list.');
  return view;
}

/** Either person of a mutual pair picks another of the event's spots; the other sees it at once. */
export async function pickMeetingPoint(ctx: FeatureContext, me: Me, body: PickMeetingPoint): Promise<Outcome<SuggestionView>> {
  const db = ctx.deps.database.db;
  const own = await requireMutual(db, me, body.suggestionId);
  const points = await pointsOf(db, me.eventId);
  if (!points.some((p) => p.id === body.meetingPointId)) throw new AppError('not_found', 'This spot is not one of the event\'s meeting points.');
  await ensureMeetings(db, me.eventId, [[me.attendeeId, own.targetId]]);
  const [a, b] = ordered(me.attendeeId, own.targetId);
  await db
    .update(pairMeetings)
    .set({ meetingPointId: body.meetingPointId, pickedBy: me.attendeeId, updatedAt: new Date(ctx.deps.now()) })
    .where(and(eq(pairMeetings.aId, a), eq(pairMeetings.bId, b)));
  return { data: await viewOf(db, me, own.id), notify: [me.attendeeId, own.targetId] };
}

/** "I'm on my way": said once per person and pair; the other person's card shows it live. */
export async function sayOnMyWay(ctx: FeatureContext, me: Me, body: OnMyWay): Promise<Outcome<SuggestionView>> {
  const db = ctx.deps.database.db;
  const own = await requireMutual(db, me, body.suggestionId);
  await ensureMeetings(db, me.eventId, [[me.attendeeId, own.targetId]]);
  const [a, b] = ordered(me.attendeeId, own.targetId);
  const now = new Date(ctx.deps.now());
  const mine = me.attendeeId === a ? pairMeetings.aOnWayAt : pairMeetings.bOnWayAt;
  const changed = await db
    .update(pairMeetings)
    .set(me.attendeeId === a ? { aOnWayAt: now, updatedAt: now } : { bOnWayAt: now, updatedAt: now })
    .where(and(eq(pairMeetings.aId, a), eq(pairMeetings.bId, b), sql`${mine} is null`))
    .returning({ id: pairMeetings.id });
  return { data: await viewOf(db, me, own.id), notify: changed.length > 0 ? [me.attendeeId, own.targetId] : [] };
}

/** Writes (or, empty, clears) the "where I am" line; the people mutual with the writer see it at once. */
export async function setWhereIAm(ctx: FeatureContext, me: Me, body: SetWhereIAm): Promise<Outcome<WhereIAm | null>> {
  const db = ctx.deps.database.db;
  const partners = await mutualPartnersOf(db, me.eventId, me.attendeeId);
  if (body.text === '') {
    await db.delete(whereIAm).where(eq(whereIAm.attendeeId, me.attendeeId));
    return { data: null, notify: [me.attendeeId, ...partners] };
  }
  const at = new Date(ctx.deps.now());
  await db
    .insert(whereIAm)
    .values({ attendeeId: me.attendeeId, eventId: me.eventId, text: body.text, writtenAt: at })
    .onConflictDoUpdate({ target: whereIAm.attendeeId, set: { text: body.text, writtenAt: at } });
  return { data: { text: body.text, at: at.toISOString() }, notify: [me.attendeeId, ...partners] };
}
