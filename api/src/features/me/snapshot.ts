import { and, eq, inArray } from 'drizzle-orm';
import { attendees, events, intents, suggestions, type Db } from '@edgewise/db';
import {
  baseLanguage,
  defaultEventSettings,
  type EventSettings,
  isLanguageCode,
  type LanguageCode,
  PairState,
  type ContactCard,
  type ContactView,
  type MeSnapshot,
  type MeVisibility,
  type PublicProfile,
  type SuggestionsChanged,
  type SuggestionView,
} from '@edgewise/shared';
import { requireAttendee, type AttendeeRow } from '../attendees/service';
import { presenceOf } from '../checkins/repo';
import { getEvent, toKioskEvent } from '../events/service';
import { intentOf, type IntentRow } from '../intents/repo';
import { toIntentDto } from '../intents/service';
import { introductionsAmong, introductionsOf, type IntroductionRow } from '../introductions/repo';
import { introductionText, roleOf } from '../introductions/words';
import { contactCardOf, namesOf, snapshotVersion, viewRows, type ContactCardRow, type ViewRow } from './repo';
import { peopleNamedIn } from './reasons';
import { eventLanguagesOf, personLanguage } from '../../i18n';
import { introductionIn, reasonsIn } from '../../i18n/reasons';
import { faceAndMeetingOf, type FaceAndMeeting } from '../meeting/cards';
import { pointsOf, whereIAmOf } from '../meeting/repo';
import { photoIdsOf, photoUrlOf } from '../photos/repo';

/** The states a viewer's page shows: the open and pinned ones in the list, met ones after it. */
const SHOWN_STATES = ['proposed', 'accepted_by_one', 'mutual', 'met'] as const;

type ProfileSource = Pick<AttendeeRow, 'id' | 'name' | 'company' | 'role' | 'firstTime' | 'host'>;
type IntentSource = Pick<IntentRow, 'seeks' | 'offers' | 'interests' | 'askMeAbout' | 'hostOptIn'>;

/** What anyone matched with this person sees: never an email, a phone or a note. */
export function toPublicProfile(a: ProfileSource, intent: IntentSource | null | undefined): PublicProfile {
  return {
    id: a.id,
    name: a.name,
    company: a.company,
    role: a.role,
    firstTime: a.firstTime,
    host: a.host || (intent?.hostOptIn ?? false),
    seeks: intent?.seeks ?? [],
    offers: intent?.offers ?? [],
    interests: intent?.interests ?? [],
    askMeAbout: intent?.askMeAbout ?? '',
  };
}

/** The parts of a contact card its owner chose to share. */
export function sharedContact(card: ContactCardRow | undefined, email: string | null): ContactView {
  return {
    email: card?.shareEmail && email ? email : null,
    phone: card?.phone ? card.phone : null,
    link: card?.link ? card.link : null,
  };
}

const pairState = (s: string): PairState => PairState.parse(s);

/**
 * An introduction opens the pair's reasons, whatever matching wrote into the row since: it is
 * why the two are mutual.
 */
function introduced(row: IntroductionRow | undefined, reasons: SuggestionView['reasons'], language: LanguageCode): Pick<SuggestionView, 'introduction' | 'reasons'> {
  if (!row) return { introduction: null, reasons };
  const role = roleOf(row);
  const text = introductionIn(language, row.byName, role, row.message, introductionText(row.byName, role, row.message));
  return {
    introduction: { id: row.id, by: { role, name: row.byName }, message: row.message, at: row.createdAt.toISOString() },
    reasons: [{ kind: 'introduction', text }, ...reasons.filter((r) => r.kind !== 'introduction')],
  };
}

/** How one viewer's reasons read: their language and what the sentences name. */
type ReasonsOf = (row: ViewRow) => { language: LanguageCode; reasons: SuggestionView['reasons'] };

/** What the viewers' reasons are written with: each one's language, and the event's topics. Null: all English. */
type ViewerLanguages = {
  languageOf: Map<string, LanguageCode>;
  defaultLanguage: LanguageCode;
  withoutIntent: Set<string>;
  settings: EventSettings;
} | null;

/**
 * Each viewer reads their reasons in their own language (`language` when the request chose
 * one, else their choice among the event's, else its default). Read beside the viewers'
 * rows, in one statement: a push waits for neither before the other.
 */
async function viewerLanguages(db: Db, eventId: string, viewerIds: readonly string[], language?: LanguageCode): Promise<ViewerLanguages> {
  if (language === baseLanguage || viewerIds.length === 0) return null;
  const viewers = await db
    .select({
      id: attendees.id,
      language: attendees.language,
      seeks: intents.seeks,
      offers: intents.offers,
      settings: events.settings,
      languages: events.languages,
      defaultLanguage: events.defaultLanguage,
    })
    .from(attendees)
    .innerJoin(events, eq(events.id, attendees.eventId))
    .leftJoin(intents, eq(intents.attendeeId, attendees.id))
    .where(and(eq(attendees.eventId, eventId), inArray(attendees.id, [...viewerIds])));
  const event = viewers[0];
  if (!event) return null;
  const offered = eventLanguagesOf(event);
  const languageOf = new Map(viewers.map((v) => [v.id, language ?? personLanguage(v.language, offered)]));
  if (![...languageOf.values()].some((l) => l !== baseLanguage)) return null;
  const withoutIntent = new Set(viewers.filter((v) => (v.seeks?.length ?? 0) + (v.offers?.length ?? 0) === 0).map((v) => v.id));
  return { languageOf, defaultLanguage: offered.defaultLanguage, withoutIntent, settings: { ...defaultEventSettings, ...event.settings } };
}

/** The reasons as each viewer reads them; nothing more is read when they all read English, the language matching wrote in. */
async function reasonsReader(db: Db, viewers: ViewerLanguages, rows: readonly ViewRow[]): Promise<ReasonsOf> {
  const english: ReasonsOf = (row) => ({ language: baseLanguage, reasons: row.reasons.map((r) => ({ kind: r.kind, text: r.text })) });
  if (rows.length === 0 || !viewers) return english;
  const names = await namesOf(db, [...new Set(rows.flatMap((r) => peopleNamedIn(r.reasons)))]);
  const { topics, interestTranslations } = viewers.settings;
  return (row) => {
    const viewerLanguage = viewers.languageOf.get(row.viewerId) ?? viewers.defaultLanguage;
    return {
      language: viewerLanguage,
      reasons: reasonsIn(row.reasons, {
        language: viewerLanguage,
        target: { name: row.name, role: row.role },
        topics,
        interestTranslations,
        names,
        viewerWithoutIntent: viewers.withoutIntent.has(row.viewerId),
      }),
    };
  };
}

function toView(row: ViewRow, intro: IntroductionRow | undefined, extras: FaceAndMeeting, reasonsOf: ReasonsOf): SuggestionView {
  const state = pairState(row.state);
  const shared = (state === 'mutual' || state === 'met') && row.answer === 'yes' && row.theirAnswer === 'yes';
  const own = reasonsOf(row);
  const { introduction, reasons } = introduced(intro, own.reasons, own.language);
  return {
    id: row.id,
    person: toPublicProfile(
      { id: row.targetId, name: row.name, company: row.company, role: row.role, firstTime: row.firstTime, host: row.host },
      row.seeks === null
        ? null
        : { seeks: row.seeks, offers: row.offers ?? [], interests: row.interests ?? [], askMeAbout: row.askMeAbout ?? '', hostOptIn: row.hostOptIn ?? false },
    ),
    score: row.score,
    reasons,
    state,
    myAnswer: row.answer === 'yes' || row.answer === 'no' ? row.answer : null,
    theyAccepted: row.theirAnswer === 'yes',
    // The SQL already withholds contact details unless both said yes; this says so again.
    contact: shared ? { email: row.email, phone: row.phone, link: row.link } : null,
    // Asking is about a pair whose contacts pass: outside one, neither side hears of it.
    askedThemToShare: shared && row.askedAt !== null,
    theyAskedMeToShare: shared && row.theyAskedAt !== null,
    note: row.note ?? '',
    since: row.createdAt.toISOString(),
    introduction,
    ...extras,
  };
}

export interface SuggestionLists {
  version: number;
  /** The current list, best first: listed open suggestions, plus every pair someone said yes to. */
  suggestions: SuggestionView[];
  /** Pairs who met, for the follow-up. */
  connections: SuggestionView[];
}

/**
 * One attendee's lists as their own page shows them. A pair someone said yes to stays in
 * the list even when matching moved on (it is pinned): the other person is waiting for an
 * answer, or the two are about to meet. Declined and expired pairs are history only.
 */
export async function buildSuggestionLists(db: Db, eventId: string, attendeeId: string, language?: LanguageCode): Promise<SuggestionLists> {
  return (await buildSuggestionListsOf(db, eventId, [attendeeId], language)).get(attendeeId)!;
}

/**
 * Several attendees' lists, in two round trips whatever their number: the version, then
 * everyone's rows and introductions at once. Live matching pushes the lists a batch
 * changed this way.
 */
export async function buildSuggestionListsOf(db: Db, eventId: string, attendeeIds: readonly string[], language?: LanguageCode): Promise<Map<string, SuggestionLists>> {
  const out = new Map<string, SuggestionLists>();
  if (attendeeIds.length === 0) return out;
  const version = await snapshotVersion(db);
  const [rows, intros, viewers] = await Promise.all([
    viewRows(db, eventId, attendeeIds, inArray(suggestions.state, [...SHOWN_STATES])),
    introductionsAmong(db, eventId, attendeeIds),
    viewerLanguages(db, eventId, attendeeIds, language),
  ]);
  const [extrasOf, reasonsOf] = await Promise.all([faceAndMeetingOf(db, eventId, rows), reasonsReader(db, viewers, rows)]);
  for (const id of attendeeIds) out.set(id, { version, suggestions: [], connections: [] });
  for (const row of rows) {
    const lists = out.get(row.viewerId)!;
    const intro = intros.get(row.viewerId)?.get(row.targetId);
    if (row.state === 'met') lists.connections.push(toView(row, intro, extrasOf(row), reasonsOf));
    else if (row.listed || row.state !== 'proposed') lists.suggestions.push(toView(row, intro, extrasOf(row), reasonsOf));
  }
  return out;
}

/** The 'suggestions:changed' payload for one attendee's room. */
export async function suggestionsChangedFor(db: Db, eventId: string, attendeeId: string): Promise<SuggestionsChanged> {
  return { attendeeId, ...(await buildSuggestionLists(db, eventId, attendeeId)) };
}

/** The 'suggestions:changed' payloads for several attendees' rooms, built together. */
export async function suggestionsChangedOf(db: Db, eventId: string, attendeeIds: readonly string[]): Promise<SuggestionsChanged[]> {
  return [...(await buildSuggestionListsOf(db, eventId, attendeeIds))].map(([attendeeId, lists]) => ({ attendeeId, ...lists }));
}

/** One of the viewer's suggestions in whatever state it is (the answer to a command). */
export async function suggestionView(db: Db, eventId: string, attendeeId: string, suggestionId: string): Promise<SuggestionView | null> {
  const [[row], viewers] = await Promise.all([viewRows(db, eventId, [attendeeId], eq(suggestions.id, suggestionId)), viewerLanguages(db, eventId, [attendeeId])]);
  if (!row) return null;
  const [intros, extrasOf, reasonsOf] = await Promise.all([introductionsOf(db, eventId, attendeeId), faceAndMeetingOf(db, eventId, [row]), reasonsReader(db, viewers, [row])]);
  return toView(row, intros.get(row.targetId), extrasOf(row), reasonsOf);
}

export function toContactCard(card: ContactCardRow | undefined, ownEmail: string | null): ContactCard {
  return { shareEmail: card?.shareEmail ?? false, phone: card?.phone ?? '', link: card?.link ?? '', email: ownEmail, chosen: card !== undefined };
}

/** Everything the attendee's own page shows, in one snapshot. */
export async function buildMeSnapshot(db: Db, eventId: string, attendeeId: string, language?: LanguageCode): Promise<MeSnapshot> {
  const lists = await buildSuggestionLists(db, eventId, attendeeId, language);
  const me = await requireAttendee(db, eventId, attendeeId);
  const [event, intent, card, presence, photo, line, points] = await Promise.all([
    getEvent(db, eventId),
    intentOf(db, attendeeId),
    contactCardOf(db, attendeeId),
    presenceOf(db, [attendeeId]),
    photoIdsOf(db, [attendeeId]),
    whereIAmOf(db, [attendeeId]),
    pointsOf(db, eventId),
  ]);
  const photoId = photo.get(attendeeId);
  const where = line.get(attendeeId);
  return {
    version: lists.version,
    me: {
      id: me.id,
      name: me.name,
      email: me.email,
      company: me.company,
      role: me.role,
      firstTime: me.firstTime,
      host: me.host,
      present: presence.get(attendeeId) === 'present',
      matchingOptOut: me.matchingOptOut,
      photoUrl: photoId ? photoUrlOf(photoId) : null,
      whereIAm: where ? { text: where.text, at: where.at.toISOString() } : null,
      language: isLanguageCode(me.language) ? me.language : null,
    },
    event: toKioskEvent(event),
    meetingPoints: points,
    intent: intent ? toIntentDto(intent) : null,
    contactCard: toContactCard(card, me.email),
    suggestions: lists.suggestions,
    connections: lists.connections,
  };
}

/** "What others can see of you", from the same functions that build what they see. */
export async function buildVisibility(db: Db, eventId: string, attendeeId: string): Promise<MeVisibility> {
  const me = await requireAttendee(db, eventId, attendeeId);
  const [event, intent, card] = await Promise.all([getEvent(db, eventId), intentOf(db, attendeeId), contactCardOf(db, attendeeId)]);
  const settings = { ...defaultEventSettings, ...event.settings };
  return {
    profile: toPublicProfile(me, intent),
    onScreen: (intent?.showOnScreen ?? false) && settings.screenEnabled,
    contactSharedWithMutual: sharedContact(card, me.email),
  };
}
