import { z } from 'zod';
import { Id, text } from './common';
import { KioskEvent } from './events';
import { ContactCardBody } from './contacts';
import { Intent } from './intents';
import { MeetingPoint, MeetingView, WhereIAm } from './meeting';
import { ScreenPerson } from '../screenConsent';
import { LanguageCode } from '../i18n/languages';

export const PairState = z.enum(['proposed', 'accepted_by_one', 'mutual', 'declined', 'met', 'expired']);
export type PairState = z.infer<typeof PairState>;

export const Answer = z.enum(['yes', 'no']);
export type Answer = z.infer<typeof Answer>;

/** Why two people should meet: the kind for styling, the text for people. */
export const ReasonView = z.object({ kind: z.string(), text: z.string() });
export type ReasonView = z.infer<typeof ReasonView>;

/** What anyone matched with you can see: never contact details, never notes. */
export const PublicProfile = z.object({
  id: Id,
  name: z.string(),
  company: z.string(),
  role: z.string(),
  firstTime: z.boolean(),
  host: z.boolean(),
  seeks: z.array(z.string()),
  offers: z.array(z.string()),
  interests: z.array(z.string()),
  askMeAbout: z.string(),
});
export type PublicProfile = z.infer<typeof PublicProfile>;

/** Contact details, passed only when both said yes, and only the parts each chose to share. */
export const ContactView = z.object({
  email: z.string().nullable(),
  phone: z.string().nullable(),
  link: z.string().nullable(),
});
export type ContactView = z.infer<typeof ContactView>;

/** Who made an introduction: an organiser from the dashboard, or a host from their phone. */
export const IntroducerRole = z.enum(['organiser', 'host']);
export type IntroducerRole = z.infer<typeof IntroducerRole>;

/** An introduction as the two people introduced see it: who made it and their message. */
export const SuggestionIntroduction = z.object({
  id: Id,
  by: z.object({ role: IntroducerRole, name: z.string() }),
  message: z.string(),
  at: z.string(),
});
export type SuggestionIntroduction = z.infer<typeof SuggestionIntroduction>;

export const SuggestionView = z.object({
  id: Id,
  person: PublicProfile,
  score: z.number(),
  reasons: z.array(ReasonView),
  state: PairState,
  myAnswer: Answer.nullable(),
  /** True when the other person said yes (shown so a newcomer knows they are welcome). */
  theyAccepted: z.boolean(),
  /** Present only when the pair is mutual or met. */
  contact: ContactView.nullable(),
  /** The viewer asked this person to share contact details (once per pair; only while they share nothing). */
  askedThemToShare: z.boolean(),
  /** This person asked the viewer to share contact details. */
  theyAskedMeToShare: z.boolean(),
  /** The viewer's own private note about this person. */
  note: z.string(),
  since: z.string(),
  /** Set when an organiser or a host introduced the two: the pair is mutual because of it. */
  introduction: SuggestionIntroduction.nullable(),
  /**
   * Only on a pair both said yes to (or were introduced in), else null: the other person's
   * photo (fetched with this session, never cached publicly), their "where I am" line and
   * where and when the two meet.
   */
  photoUrl: z.string().nullable(),
  whereIAm: WhereIAm.nullable(),
  meetingPoint: MeetingView.nullable(),
});
export type SuggestionView = z.infer<typeof SuggestionView>;

/** A suggestion as the kiosk shows it to the person in front of it: no contacts, no notes. */
export const KioskSuggestion = SuggestionView.pick({ id: true, person: true, reasons: true, score: true });
export type KioskSuggestion = z.infer<typeof KioskSuggestion>;

export { ContactCardBody };
/** `chosen`: the attendee answered "what to share when you both say yes" at least once (a saved card). */
export const ContactCard = ContactCardBody.extend({ email: z.string().nullable(), chosen: z.boolean() });
export type ContactCard = z.infer<typeof ContactCard>;

/** Everything an attendee's own page shows, as one snapshot with a version. */
export const MeSnapshot = z.object({
  version: z.number(),
  me: z.object({
    id: Id,
    name: z.string(),
    email: z.string().nullable(),
    company: z.string(),
    role: z.string(),
    firstTime: z.boolean(),
    host: z.boolean(),
    present: z.boolean(),
    matchingOptOut: z.boolean(),
    /** The attendee's own photo, shown only to people they are mutual with; null without one. */
    photoUrl: z.string().nullable(),
    whereIAm: WhereIAm.nullable(),
    /** The language they chose (kiosk or /me), null for none: they read the event's default. */
    language: LanguageCode.nullable(),
  }),
  /** Carries the event's `languages` and `defaultLanguage`. */
  event: KioskEvent,
  /** The spots the organiser named, for picking another one. */
  meetingPoints: z.array(MeetingPoint),
  intent: Intent.nullable(),
  contactCard: ContactCard,
  /** The current list, best first. */
  suggestions: z.array(SuggestionView),
  /** Mutual and met pairs that left the current list, for the follow-up. */
  connections: z.array(SuggestionView),
});
export type MeSnapshot = z.infer<typeof MeSnapshot>;

/** `PUT /api/me/language`: the attendee's own language, one of the event's. */
export const AttendeeLanguageBody = z.object({ language: LanguageCode });
export type AttendeeLanguageBody = z.infer<typeof AttendeeLanguageBody>;

/**
 * How a phone starts the attendee's own session: the one-time code of a kiosk phone link or
 * of a mailed sign-in link. `ticket` is still read, only to answer `ticket_not_a_login` with
 * words on how to get a link: a ticket checks a guest in and never opens their page.
 */
export const MeSessionBody = z.union([
  z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/, 'is not a link code') }),
  z.object({ ticket: z.string().max(2000).describe('Refused with ticket_not_a_login: a ticket never opens a session') }),
]);
export type MeSessionBody = z.infer<typeof MeSessionBody>;
export const MeSession = z.object({ token: z.string(), snapshot: MeSnapshot });
export type MeSession = z.infer<typeof MeSession>;

export const PhoneLink = z.object({ url: z.string(), expiresAt: z.string() });
export type PhoneLink = z.infer<typeof PhoneLink>;

// Socket command payloads -------------------------------------------------------------

export const AnswerSuggestion = z.object({ suggestionId: Id, answer: Answer });
export type AnswerSuggestion = z.infer<typeof AnswerSuggestion>;
export const MarkMet = z.object({ suggestionId: Id });
export type MarkMet = z.infer<typeof MarkMet>;
export const SaveNote = z.object({ aboutId: Id, text: text(2000) });
export type SaveNote = z.infer<typeof SaveNote>;
export const SetMatchingOptOut = z.object({ optOut: z.boolean() });
/** Ask the other person of a mutual pair, who shares nothing yet, to share contact details. */
export const AskToShare = z.object({ suggestionId: Id });
export type AskToShare = z.infer<typeof AskToShare>;
export type SetMatchingOptOut = z.infer<typeof SetMatchingOptOut>;

// Broadcast payloads ------------------------------------------------------------------

/** To one attendee's room: their current list, whole. */
export const SuggestionsChanged = z.object({
  attendeeId: Id,
  version: z.number(),
  suggestions: z.array(SuggestionView),
  connections: z.array(SuggestionView),
});
export type SuggestionsChanged = z.infer<typeof SuggestionsChanged>;

/**
 * To an event's screens: who just arrived and which pairs both said yes, for consenting people
 * only, each person as `ScreenPerson` (first name and what they look for, nothing else).
 */
export const ScreenSnapshot = z.object({
  eventId: Id,
  version: z.number(),
  eventName: z.string(),
  /** The language the screen shows: the event's default (topic labels come in it already). */
  defaultLanguage: LanguageCode,
  screenEnabled: z.boolean(),
  welcomes: z.array(z.strictObject({ person: ScreenPerson, at: z.string() })),
  /** Pairs who both said yes to meeting (mutual), both having agreed to be shown. */
  cards: z.array(z.strictObject({ key: z.string(), a: ScreenPerson, b: ScreenPerson })),
  /** Recent introductions between two people who both agreed to be shown: never the message, never contacts. */
  introductions: z.array(z.strictObject({ key: z.string(), a: ScreenPerson, b: ScreenPerson, by: IntroducerRole, at: z.string() })),
  present: z.number().int(),
});
export type ScreenSnapshot = z.infer<typeof ScreenSnapshot>;

/** "What others can see of you": the profile as matches see it, the screen, the contact card. */
export const MeVisibility = z.object({
  profile: PublicProfile,
  /** Shown on the big screen: the attendee agreed and the event has its screen on. */
  onScreen: z.boolean(),
  /** What someone gets once both of you said yes. */
  contactSharedWithMutual: ContactView,
});
export type MeVisibility = z.infer<typeof MeVisibility>;
