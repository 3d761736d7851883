import { aliasedTable, and, count, desc, eq, gte, inArray } from 'drizzle-orm';
import { attendees, intents, introductions, suggestions, type Db, type StoredReason } from '@edgewise/db';
import { defaultEventSettings, type ScreenSnapshot } from '@edgewise/shared';
import { AppError } from '../../http/errors';
import { joinTags } from '../../matching';
import { roleOf } from '../introductions/words';
import { eventForMatching, latestScans } from '../suggestions/repo';

export const screenRoom = (eventId: string) => `screens:${eventId}`;

/** A welcome stays on the screen this long after the entry. */
export const WELCOME_WINDOW_MS = 15 * 60_000;
export const MAX_WELCOMES = 8;
export const MAX_CARDS = 8;
/** An introduction stays on the screen this long. */
export const INTRODUCTION_WINDOW_MS = 30 * 60_000;
export const MAX_INTRODUCTIONS = 4;
const MAX_CARD_REASONS = 3;

type Side = { name: string };

const pairKeyOf = (x: string, y: string) => (x < y ? `${x}:${y}` : `${y}:${x}`);

type PairRow = { aId: string; aName: string; aCompany: string; bId: string; bName: string; bCompany: string };

const sidesOf = (r: PairRow) => ({
  a: { id: r.aId, name: r.aName, company: r.aCompany },
  b: { id: r.bId, name: r.bName, company: r.bCompany },
});

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/**
 * A stored reason speaks to the viewer ("that's you"); the screen speaks about two people
 * to a room. Reasons naming anyone else (an introducer, a connector) are left out: that
 * person never agreed to be on the screen.
 */
export function screenReason(r: StoredReason, a: Side, b: Side): string | null {
  const tags = Array.isArray(r.tags) ? (r.tags as string[]) : [];
  switch (r.kind) {
    case 'receives':
      return tags.length ? `${firstName(b.name)} offers ${joinTags(tags)}` : null;
    case 'gives':
      return tags.length ? `${firstName(a.name)} offers ${joinTags(tags)}` : null;
    case 'common':
      return tags.length ? `Both into ${joinTags(tags)}` : null;
    case 'first_time':
      return `First time here for ${firstName(b.name)}`;
    case 'host':
      return `${firstName(b.name)} welcomes newcomers`;
    case 'open':
      return 'Both here now: say hello';
    default:
      return null;
  }
}

/**
 * What the big screen shows: recent arrivals and people who should meet, only for people
 * whose intent says they agree to be shown (both of a pair), and never anything to contact
 * them by. `present` counts everyone: a number identifies nobody.
 */
export async function buildScreenSnapshot(db: Db, eventId: string, now: number): Promise<ScreenSnapshot> {
  const event = await eventForMatching(db, eventId);
  if (!event) throw new AppError('not_found', 'No such event.');
  const screenEnabled = { ...defaultEventSettings, ...event.settings }.screenEnabled;
  const latest = latestScans(db, eventId);
  const [presentRow] = await db.select({ n: count() }).from(latest).where(eq(latest.type, 'entry'));
  const base = { eventId, version: now, eventName: event.name, screenEnabled, present: Number(presentRow?.n ?? 0) };
  if (!screenEnabled) return { ...base, welcomes: [], cards: [], introductions: [] };

  const welcomes = await db
    .select({ attendeeId: attendees.id, name: attendees.name, firstTime: attendees.firstTime, at: latest.scannedAt })
    .from(latest)
    .innerJoin(attendees, eq(attendees.id, latest.attendeeId))
    .innerJoin(intents, eq(intents.attendeeId, attendees.id))
    .where(and(eq(latest.type, 'entry'), gte(latest.scannedAt, new Date(now - WELCOME_WINDOW_MS)), eq(intents.showOnScreen, true)))
    .orderBy(desc(latest.scannedAt), attendees.id)
    .limit(MAX_WELCOMES);

  const a = aliasedTable(attendees, 'a');
  const b = aliasedTable(attendees, 'b');
  const ia = aliasedTable(intents, 'ia');
  const ib = aliasedTable(intents, 'ib');
  // Introductions and suggestions alike show the two people of a pair, and only when both agreed.
  const pairColumns = { aId: a.id, aName: a.name, aCompany: a.company, bId: b.id, bName: b.name, bCompany: b.company };
  const bothShown = [eq(ia.showOnScreen, true), eq(ib.showOnScreen, true), eq(a.matchingOptOut, false), eq(b.matchingOptOut, false)];
  // Who introduced them is left out: a host never agreed to be on the screen, and the message is for the two.
  const introduced = await db
    .select({
      ...pairColumns,
      byOrganiserId: introductions.byOrganiserId,
      byAttendeeId: introductions.byAttendeeId,
      at: introductions.createdAt,
    })
    .from(introductions)
    .innerJoin(a, eq(a.id, introductions.aId))
    .innerJoin(b, eq(b.id, introductions.bId))
    .innerJoin(ia, eq(ia.attendeeId, a.id))
    .innerJoin(ib, eq(ib.attendeeId, b.id))
    .where(
      and(
        eq(introductions.eventId, eventId),
        gte(introductions.createdAt, new Date(now - INTRODUCTION_WINDOW_MS)),
        ...bothShown,
      ),
    )
    .orderBy(desc(introductions.createdAt), introductions.id)
    .limit(MAX_INTRODUCTIONS);
  const introducedPairs = new Set(introduced.map((r) => pairKeyOf(r.aId, r.bId)));

  const rows = await db
    .select({
      ...pairColumns,
      reasons: suggestions.reasons,
      state: suggestions.state,
    })
    .from(suggestions)
    .innerJoin(a, eq(a.id, suggestions.attendeeId))
    .innerJoin(b, eq(b.id, suggestions.targetId))
    .innerJoin(ia, eq(ia.attendeeId, a.id))
    .innerJoin(ib, eq(ib.attendeeId, b.id))
    .where(
      and(
        eq(suggestions.eventId, eventId),
        eq(suggestions.listed, true),
        inArray(suggestions.state, ['proposed', 'accepted_by_one', 'mutual']),
        ...bothShown,
      ),
    )
    .orderBy(desc(suggestions.createdAt), desc(suggestions.score), suggestions.id)
    // Each pair may come twice (one row per direction).
    .limit(MAX_CARDS * 2);

  const cards: ScreenSnapshot['cards'] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const key = pairKeyOf(r.aId, r.bId);
    // An introduced pair has its own card.
    if (seen.has(key) || introducedPairs.has(key) || cards.length >= MAX_CARDS) continue;
    seen.add(key);
    const sideA = { name: r.aName };
    const sideB = { name: r.bName };
    cards.push({
      key,
      ...sidesOf(r),
      reasons: r.reasons
        .map((reason) => screenReason(reason, sideA, sideB))
        .filter((t): t is string => t !== null)
        .slice(0, MAX_CARD_REASONS),
      state: r.state as ScreenSnapshot['cards'][number]['state'],
    });
  }

  return {
    ...base,
    welcomes: welcomes.map((w) => ({ attendeeId: w.attendeeId, name: w.name, firstTime: w.firstTime, at: w.at.toISOString() })),
    cards,
    introductions: introduced.map((r) => ({
      key: pairKeyOf(r.aId, r.bId),
      ...sidesOf(r),
      by: roleOf(r),
      at: r.at.toISOString(),
    })),
  };
}
