import { aliasedTable, and, count, desc, eq, gte } from 'drizzle-orm';
import { attendees, intents, introductions, suggestions, type Db } from '@edgewise/db';
import { defaultEventSettings, toScreenPerson, topicsIn, type ScreenSnapshot, type Topic } from '@edgewise/shared';
import { eventLanguagesOf } from '../events/service';
import { AppError } from '../../http/errors';
import { roleOf } from '../introductions/words';
import { theirRow, theirs } from '../me/repo';
import { eventForMatching, latestScans } from '../suggestions/repo';

export const screenRoom = (eventId: string) => `screens:${eventId}`;

/** A welcome stays on the screen this long after the entry. */
export const WELCOME_WINDOW_MS = 15 * 60_000;
export const MAX_WELCOMES = 8;
export const MAX_CARDS = 8;
/** An introduction stays on the screen this long. */
export const INTRODUCTION_WINDOW_MS = 30 * 60_000;
export const MAX_INTRODUCTIONS = 4;

const pairKeyOf = (x: string, y: string) => (x < y ? `${x}:${y}` : `${y}:${x}`);

type PairRow = { aId: string; aName: string; aSeeks: string[]; bId: string; bName: string; bSeeks: string[] };

/** Both people of a pair, each cut down by `toScreenPerson` to what the consent question names. */
const sidesOf = (r: PairRow, topics: readonly Topic[]) => ({
  a: toScreenPerson({ id: r.aId, name: r.aName, seeks: r.aSeeks }, topics),
  b: toScreenPerson({ id: r.bId, name: r.bName, seeks: r.bSeeks }, topics),
});

/**
 * What the big screen shows: recent arrivals, pairs who both said yes and pairs just
 * introduced, only for people whose intent says they agree to be shown (both of a pair), and
 * of each person only what the consent question names (`toScreenPerson`). A pair matching
 * merely proposed, or one only one of them said yes to, stays off: the room would read it as
 * two people who agreed to meet. `present` counts everyone: a number identifies nobody.
 */
export async function buildScreenSnapshot(db: Db, eventId: string, now: number): Promise<ScreenSnapshot> {
  const event = await eventForMatching(db, eventId);
  if (!event) throw new AppError('not_found', 'No such event.');
  const { screenEnabled, topics: ownTopics } = { ...defaultEventSettings, ...event.settings };
  // The room reads the event's default language: the topic labels too, where translated.
  const { defaultLanguage } = eventLanguagesOf(event);
  const topics = topicsIn(ownTopics, defaultLanguage);
  const latest = latestScans(db, eventId);
  const [presentRow] = await db.select({ n: count() }).from(latest).where(eq(latest.type, 'entry'));
  const base = { eventId, version: now, eventName: event.name, defaultLanguage, screenEnabled, present: Number(presentRow?.n ?? 0) };
  if (!screenEnabled) return { ...base, welcomes: [], cards: [], introductions: [] };

  const welcomes = await db
    .select({ attendeeId: attendees.id, name: attendees.name, seeks: intents.seeks, at: latest.scannedAt })
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
  const pairColumns = { aId: a.id, aName: a.name, aSeeks: ia.seeks, bId: b.id, bName: b.name, bSeeks: ib.seeks };
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
    .select(pairColumns)
    .from(suggestions)
    .innerJoin(a, eq(a.id, suggestions.attendeeId))
    .innerJoin(b, eq(b.id, suggestions.targetId))
    .innerJoin(ia, eq(ia.attendeeId, a.id))
    .innerJoin(ib, eq(ib.attendeeId, b.id))
    .innerJoin(theirs, theirRow)
    .where(
      and(
        eq(suggestions.eventId, eventId),
        eq(suggestions.listed, true),
        eq(suggestions.state, 'mutual'),
        // Each said yes themselves: a pair made mutual by an introduction is shown as introduced, never as "both said yes".
        eq(suggestions.answer, 'yes'),
        eq(theirs.answer, 'yes'),
        ...bothShown,
      ),
    )
    .orderBy(desc(suggestions.mutualAt), desc(suggestions.score), suggestions.id)
    // Each pair may come twice (one row per direction).
    .limit(MAX_CARDS * 2);

  const cards: ScreenSnapshot['cards'] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const key = pairKeyOf(r.aId, r.bId);
    // An introduced pair has its own card.
    if (seen.has(key) || introducedPairs.has(key) || cards.length >= MAX_CARDS) continue;
    seen.add(key);
    cards.push({ key, ...sidesOf(r, topics) });
  }

  return {
    ...base,
    welcomes: welcomes.map((w) => ({ person: toScreenPerson({ id: w.attendeeId, name: w.name, seeks: w.seeks }, topics), at: w.at.toISOString() })),
    cards,
    introductions: introduced.map((r) => ({
      key: pairKeyOf(r.aId, r.bId),
      ...sidesOf(r, topics),
      by: roleOf(r),
      at: r.at.toISOString(),
    })),
  };
}
