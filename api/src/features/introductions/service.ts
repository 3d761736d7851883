import {
  CreateIntroductionBody,
  defaultEventSettings,
  type EdgesList,
  type HostEdges,
  type Introduction,
  type LanguageCode,
  type PublicProfile,
  type Topic,
  topicLookup,
} from '@edgewise/shared';
import type { z } from 'zod';
import type { StoredReason } from '@edgewise/db';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import type { Person } from '../../matching/types';
import { renderReasons } from '../../matching/reasons';
import { tagUnits, toPoints } from '../../matching/score';
import { requireAttendee } from '../attendees/service';
import { presenceOf } from '../checkins/repo';
import { getEvent } from '../events/service';
import { intentOf } from '../intents/repo';
import { claimDirection, updateSuggestion } from '../me/repo';
import type { Me, Outcome } from '../me/service';
import { toPublicProfile } from '../me/snapshot';
import { readPeople } from '../suggestions/repo';
import { edgeSince, findEdges, nearestForHost, pairKey } from './edges';
import { introductionText, roleOf } from './words';
import {
  insertIntroduction,
  introductionOfPair,
  listIntroductionRows,
  lockPeople,
  ownListTargets,
  profilesOf,
  settledPairs,
  type IntroductionListRow,
  type ProfileRow,
} from './repo';

/** Edge people listed for the organiser (all are counted), longest waiting first. */
export const EDGE_LIST_MAX = 50;
export const CANDIDATES_PER_PERSON = 5;
export const HOSTS_LISTED_MAX = 50;
/** Edge people a host's phone shows. */
export const HOST_EDGES_MAX = 8;

type CreateBody = z.output<typeof CreateIntroductionBody>;

/** Who makes an introduction: their name goes to both people with the message. */
export type Introducer = { role: 'organiser'; organiserId: string; name: string } | { role: 'host'; attendeeId: string; name: string };

const profileOf = (row: ProfileRow): PublicProfile =>
  toPublicProfile(
    row,
    row.seeks === null
      ? null
      : { seeks: row.seeks, offers: row.offers ?? [], interests: row.interests ?? [], askMeAbout: row.askMeAbout ?? '', hostOptIn: row.hostOptIn ?? false },
  );

/** The room as the edges see it: present people, the pairs that settle someone, who is at the edges. */
async function roomNow(ctx: FeatureContext, eventId: string, maxPeople: number, language?: LanguageCode) {
  const db = ctx.deps.database.db;
  const event = await getEvent(db, eventId);
  const { edgeMinutes, topics, interestTranslations } = { ...defaultEventSettings, ...event.settings };
  const now = ctx.deps.now();
  const [people, pairs] = await Promise.all([readPeople(db, eventId, now), settledPairs(db, eventId)]);
  const excluded = new Set<string>();
  const engaged = new Set<string>();
  const connections = new Map<string, number>();
  for (const p of pairs) {
    excluded.add(pairKey(p.attendeeId, p.targetId));
    if (p.state === 'mutual' || p.state === 'met') {
      engaged.add(p.attendeeId).add(p.targetId);
      connections.set(p.attendeeId, (connections.get(p.attendeeId) ?? 0) + 1);
    }
  }
  const edges = findEdges(people, excluded, engaged, now, { edgeMinutes, maxPeople, perPerson: CANDIDATES_PER_PERSON, topics, interestTranslations, ...(language ? { language } : {}) });
  return { event, edgeMinutes, now, people, excluded, connections, edges };
}

/**
 * Who is at the edges now (the engine's rule: present first-timers, and people present past
 * the edge minutes with no yes and no mutual pair), since when, their intent and their best
 * candidates, with the present hosts to pick from.
 */
export async function listEdges(ctx: FeatureContext, eventId: string, language?: LanguageCode): Promise<EdgesList> {
  const room = await roomNow(ctx, eventId, EDGE_LIST_MAX, language);
  const hostIds = room.people.filter((p) => p.host && !p.optedOut).map((p) => p.id);
  const ids = new Set([...hostIds.slice(0, HOSTS_LISTED_MAX), ...room.edges.entries.flatMap((e) => [e.id, ...e.candidates.map((c) => c.id)])]);
  const profiles = await profilesOf(ctx.deps.database.db, eventId, [...ids]);
  const profile = (id: string) => {
    const row = profiles.get(id);
    return row ? profileOf(row) : null;
  };
  const people: EdgesList['people'] = [];
  for (const entry of room.edges.entries) {
    const person = profile(entry.id);
    if (!person) continue;
    people.push({
      person,
      arrivedAt: new Date(entry.arrivedAt).toISOString(),
      since: new Date(entry.since).toISOString(),
      connections: room.connections.get(entry.id) ?? 0,
      candidates: entry.candidates.flatMap((c) => {
        const p = profile(c.id);
        return p ? [{ person: p, score: c.score, reasons: c.reasons }] : [];
      }),
    });
  }
  const hosts = hostIds
    .map(profile)
    .filter((p): p is PublicProfile => p !== null)
    .sort((x, y) => x.name.localeCompare(y.name))
    .slice(0, HOSTS_LISTED_MAX);
  return {
    eventId,
    at: new Date(room.now).toISOString(),
    edgeMinutes: room.edgeMinutes,
    present: room.people.length,
    total: room.edges.ids.length,
    people,
    hosts,
  };
}

// Introductions ------------------------------------------------------------------------

export function toIntroduction(r: IntroductionListRow): Introduction {
  return {
    id: r.intro.id,
    eventId: r.intro.eventId,
    a: { id: r.intro.aId, name: r.aName, company: r.aCompany },
    b: { id: r.intro.bId, name: r.bName, company: r.bCompany },
    by: { role: roleOf(r.intro), name: r.intro.byName },
    message: r.intro.message,
    createdAt: r.intro.createdAt.toISOString(),
  };
}

export async function listIntroductions(ctx: FeatureContext, eventId: string): Promise<Introduction[]> {
  const db = ctx.deps.database.db;
  await getEvent(db, eventId);
  return (await listIntroductionRows(db, eventId)).map(toIntroduction);
}

type Side = { id: string; name: string; firstTime: boolean; seeks: string[] | null; offers: string[] | null; interests: string[] | null };

/** Tags of `from` that `to` also names, case-insensitively, spelled as `from` spells them. */
function overlap(from: readonly string[], to: readonly string[]): string[] {
  const wanted = new Set(to.map((t) => t.trim().toLowerCase()));
  return [...new Set(from.filter((t) => wanted.has(t.trim().toLowerCase())))];
}

/** Score and reasons for a direction the pair had no row for, as matching would word them. */
function directionFacts(viewer: Side, target: Side, topics: readonly Topic[]): { score: number; reasons: StoredReason[] } {
  const receives = overlap(target.offers ?? [], viewer.seeks ?? []);
  const gives = overlap(viewer.offers ?? [], target.seeks ?? []);
  const common = overlap(target.interests ?? [], viewer.interests ?? []);
  const reasons = renderReasons({
    target: { id: target.id, name: target.name },
    receives,
    gives,
    common,
    targetFirstTime: target.firstTime,
    targetWelcomes: false,
    topics: topicLookup(topics),
  }).filter((r) => r.kind !== 'open');
  return { score: toPoints(tagUnits(receives.length, gives.length, common.length)), reasons: reasons as unknown as StoredReason[] };
}

/**
 * Introduces two attendees: both must be in this event, checked in and present, taking
 * suggestions, and not in a pair that was declined or met, or already introduced. In one
 * transaction, both directions of the pair become mutual (a row is made for a direction
 * that had none), each opening with the introduction's reason, and the introduction is
 * stored. The pair counts as mutual from now on, but nobody's yes is presumed: contact
 * details pass only once each of the two has said yes themselves (see `sharedNow`).
 */
export async function createIntroduction(ctx: FeatureContext, eventId: string, by: Introducer, body: CreateBody): Promise<Outcome<Introduction>> {
  const { deps } = ctx;
  const db = deps.database.db;
  const event = await getEvent(db, eventId);
  if (event.status !== 'open') throw new AppError('event_closed', 'Introductions are made while the event is open.');
  const { aId, bId, message } = body;
  if (aId === bId) throw new AppError('validation_failed', 'Pick two different people.');
  const at = new Date(deps.now());
  const { topics } = { ...defaultEventSettings, ...event.settings };

  const intro = await db.transaction(async (tx) => {
    const people = await lockPeople(tx, [aId, bId]);
    const a = people.find((p) => p.id === aId && p.eventId === eventId);
    const b = people.find((p) => p.id === bId && p.eventId === eventId);
    if (!a || !b) {
      const missing = [a ? null : aId, b ? null : bId].filter((x): x is string => x !== null);
      throw new AppError('not_found', 'No such attendee in this event.', { attendeeIds: missing });
    }
    for (const p of [a, b]) {
      if (p.optedOut) throw new AppError('conflict', `${p.name} is not taking suggestions right now.`, { reason: 'opted_out', attendeeId: p.id });
    }
    const presence = await presenceOf(tx, [aId, bId]);
    const away = [a, b].filter((p) => presence.get(p.id) !== 'present');
    if (away.length > 0) {
      throw new AppError('not_checked_in', `${away.map((p) => p.name).join(' and ')} ${away.length > 1 ? 'are' : 'is'} not here right now.`, {
        reason: 'not_present',
        attendeeIds: away.map((p) => p.id),
      });
    }

    const role = by.role;
    const reason: StoredReason = { kind: 'introduction', by: role, text: introductionText(by.name, role, message) };
    // In id order, like every other writer of both directions, so two writers queue rather than deadlock.
    const [x, y] = aId < bId ? [a, b] : [b, a];
    const rows = [];
    for (const [viewer, target] of [
      [x, y],
      [y, x],
    ] as const) {
      const facts = directionFacts(viewer, target, topics);
      rows.push(
        await claimDirection(tx, {
          eventId,
          attendeeId: viewer.id,
          targetId: target.id,
          score: facts.score,
          reasons: [reason, ...facts.reasons],
          state: 'proposed',
          listed: true,
          createdAt: at,
          updatedAt: at,
        }),
      );
    }
    for (const { row, inserted } of rows) {
      if (inserted) continue;
      if (row.state === 'declined' || row.answer === 'no') {
        throw new AppError('conflict', `${a.name} and ${b.name} already passed on meeting: they are not suggested again.`, { reason: 'declined' });
      }
      if (row.state === 'met') throw new AppError('conflict', `${a.name} and ${b.name} have already met.`, { reason: 'met' });
    }
    if (await introductionOfPair(tx, eventId, aId, bId)) {
      throw new AppError('conflict', `${a.name} and ${b.name} were already introduced.`, { reason: 'already_introduced' });
    }
    for (const { row, inserted } of rows) {
      await updateSuggestion(tx, row.id, {
        state: 'mutual',
        mutualAt: row.state === 'mutual' && row.mutualAt ? row.mutualAt : at,
        updatedAt: at,
        ...(inserted ? {} : { reasons: [reason, ...row.reasons.filter((r) => r.kind !== 'introduction')] }),
      });
    }
    const stored = await insertIntroduction(tx, {
      eventId,
      aId,
      bId,
      byOrganiserId: by.role === 'organiser' ? by.organiserId : null,
      byAttendeeId: by.role === 'host' ? by.attendeeId : null,
      byName: by.name,
      message,
      createdAt: at,
    });
    return toIntroduction({ intro: stored, aName: a.name, aCompany: a.company, bName: b.name, bCompany: b.company });
  });

  // Matching pins the pair in both lists; the two people are told by whoever called this.
  ctx.matching.pairChanged(eventId, aId, bId);
  return { data: intro, notify: [aId, bId] };
}

// Hosts --------------------------------------------------------------------------------

/** A host on their own phone: an attendee flagged as host, or who opted in, and here now. */
async function requireHost(ctx: FeatureContext, me: Me) {
  const db = ctx.deps.database.db;
  const [attendee, intent, presence] = await Promise.all([
    requireAttendee(db, me.eventId, me.attendeeId),
    intentOf(db, me.attendeeId),
    presenceOf(db, [me.attendeeId]),
  ]);
  if (!attendee.host && !intent?.hostOptIn) throw new AppError('forbidden', 'Only hosts make introductions: say you would welcome newcomers in your intent.');
  if (presence.get(me.attendeeId) !== 'present') throw new AppError('not_checked_in', 'Check in first: introductions are made in the room.');
  return attendee;
}

/** People at the edges a host could welcome or introduce, nearest to the host's own intent first. No contact details. */
export async function hostEdges(ctx: FeatureContext, me: Me): Promise<HostEdges> {
  await requireHost(ctx, me);
  const room = await roomNow(ctx, me.eventId, 0);
  const self: Person | undefined = room.people.find((p) => p.id === me.attendeeId);
  const ids = self ? nearestForHost(self, room.people, room.edges.ids, room.excluded, HOST_EDGES_MAX) : room.edges.ids.filter((id) => id !== me.attendeeId).slice(0, HOST_EDGES_MAX);
  const profiles = await profilesOf(ctx.deps.database.db, me.eventId, ids);
  const byId = new Map(room.people.map((p) => [p.id, p]));
  return {
    people: ids.flatMap((id) => {
      const row = profiles.get(id);
      const p = byId.get(id);
      if (!row || !p) return [];
      return [{ person: profileOf(row), since: new Date(edgeSince(p, room.edgeMinutes)).toISOString() }];
    }),
  };
}

/**
 * A host introduces two other people, each from the host's own list or matches or at the
 * edges now; the rules of any introduction then apply.
 */
export async function introduceAsHost(ctx: FeatureContext, me: Me, body: CreateBody): Promise<Outcome<Introduction>> {
  const host = await requireHost(ctx, me);
  if (body.aId === me.attendeeId || body.bId === me.attendeeId) {
    throw new AppError('validation_failed', 'Introduce two other people: to meet someone yourself, say yes to them in your list.');
  }
  const [own, room] = await Promise.all([ownListTargets(ctx.deps.database.db, me.eventId, me.attendeeId), roomNow(ctx, me.eventId, 0)]);
  const edges = new Set(room.edges.ids);
  const allowed = (id: string) => own.has(id) || edges.has(id);
  if (!allowed(body.aId) || !allowed(body.bId)) {
    throw new AppError('forbidden', 'You can introduce people from your own list or people at the edges.');
  }
  return createIntroduction(ctx, me.eventId, { role: 'host', attendeeId: me.attendeeId, name: host.name }, body);
}
