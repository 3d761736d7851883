import type { Db } from '@edgewise/db';
import type { MeetingPoint, MeetingView, SuggestionView } from '@edgewise/shared';
import { FACE_STATES, photoIdsOf, photoUrlOf } from '../photos/repo';
import { floorPlanOf } from './floor-plan';
import { newcomersAmong, pairKey, pointsOf, whereIAmOf, type PairMeetingRow } from './repo';
import { ensureMeetings } from './service';

export type FaceAndMeeting = Pick<SuggestionView, 'photoUrl' | 'whereIAm' | 'meetingPoint'>;

const nothing: FaceAndMeeting = { photoUrl: null, whereIAm: null, meetingPoint: null };

interface CardRow {
  viewerId: string;
  targetId: string;
  state: string;
  firstTime: boolean;
}

const faceShown = (state: string) => (FACE_STATES as readonly string[]).includes(state);

/**
 * What a card adds for a pair both said yes to (or were introduced in): the other person's
 * photo address, their "where I am" line, and where and when the two meet (proposed here for
 * a pair that has no meeting yet). Every other card gets nothing of it.
 */
export async function faceAndMeetingOf(db: Db, eventId: string, rows: readonly CardRow[]): Promise<(row: CardRow) => FaceAndMeeting> {
  const shown = rows.filter((r) => faceShown(r.state));
  if (shown.length === 0) return () => nothing;
  const targets = [...new Set(shown.map((r) => r.targetId))];
  const viewers = [...new Set(shown.map((r) => r.viewerId))];
  const open = shown.filter((r) => r.state === 'mutual').map((r) => [r.viewerId, r.targetId] as const);
  const [photos, lines, meetings, points, newcomers] = await Promise.all([
    photoIdsOf(db, targets),
    whereIAmOf(db, targets),
    ensureMeetings(db, eventId, open),
    open.length > 0 ? pointsOf(db, eventId) : Promise.resolve([]),
    newcomersAmong(db, [...new Set([...viewers, ...targets])]),
  ]);
  const spots = new Map(points.map((p) => [p.id, p]));
  // Pins mean places on the plan: without one, a spot is shown by its name alone.
  const planUrl = points.some((p) => p.pin !== null) ? ((await floorPlanOf(db, eventId))?.url ?? null) : null;
  return (row) => {
    if (!faceShown(row.state)) return nothing;
    const photoId = photos.get(row.targetId);
    const line = lines.get(row.targetId);
    const meeting = row.state === 'mutual' ? meetings.get(pairKey(row.viewerId, row.targetId)) : undefined;
    return {
      photoUrl: photoId ? photoUrlOf(photoId) : null,
      whereIAm: line ? { text: line.text, at: line.at.toISOString() } : null,
      meetingPoint: meeting ? toMeetingView(meeting, row.viewerId, spots, newcomers, planUrl) : null,
    };
  };
}

function toMeetingView(m: PairMeetingRow, viewerId: string, spots: Map<string, MeetingPoint>, newcomers: Set<string>, planUrl: string | null): MeetingView {
  const otherId = m.aId === viewerId ? m.bId : m.aId;
  const mine = m.aId === viewerId ? m.aOnWayAt : m.bOnWayAt;
  const theirs = m.aId === viewerId ? m.bOnWayAt : m.aOnWayAt;
  const spot = m.meetingPointId ? spots.get(m.meetingPointId) : undefined;
  const viewerNew = newcomers.has(viewerId);
  const otherNew = newcomers.has(otherId);
  return {
    spot: spot ?? null,
    at: m.meetAt.toISOString(),
    pickedBy: m.pickedBy === null ? 'proposal' : m.pickedBy === viewerId ? 'me' : 'them',
    myOnMyWayAt: mine?.toISOString() ?? null,
    theirOnMyWayAt: theirs?.toISOString() ?? null,
    nudge: otherNew && !viewerNew ? 'go_to_them' : viewerNew && !otherNew ? 'they_come_to_you' : null,
    floorPlanUrl: spot?.pin ? planUrl : null,
  };
}
