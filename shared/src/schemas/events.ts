import { z } from 'zod';
import { Id, IsoDateTime, Name, TagList, text } from './common';
import { defaultInterests, defaultTopics } from '../eventTemplates';
import { InterestTranslations, TemplateId, TopicList } from './topics';
import { LanguageCode } from '../i18n/languages';

export const EventStatus = z.enum(['draft', 'open', 'closed']);
export type EventStatus = z.infer<typeof EventStatus>;

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
export const TimeZone = z.string().min(1).max(64).refine(isTimeZone, 'is not a known IANA time zone');

export const EventSettings = z.object({
  /**
   * What people look for and offer: topics with a "looking for" and an "offering" label
   * (the same label twice when it reads the same both ways). Intents hold their ids.
   */
  topics: TopicList,
  /** Topics people are into, for common ground. */
  interestTags: TagList,
  /** Interest labels in the event's other languages, keyed by the label in `interestTags`. */
  interestTranslations: InterestTranslations,
  suggestionsPerPerson: z.number().int().min(1).max(10),
  /** Minutes present without an accepted suggestion before someone counts as at the edges. */
  edgeMinutes: z.number().int().min(1).max(240),
  screenEnabled: z.boolean(),
  walkInsAllowed: z.boolean(),
  /** Hours after the end of the event when the follow-up goes out: within a day, while it is fresh. */
  followUpHours: z.number().int().min(0).max(24),
  /**
   * Minutes without a sign of life (scan, phone socket, answer) before a checked-in guest
   * counts as away: out of everyone's lists until they show one. Null: never away.
   */
  awayAfterMinutes: z.number().int().min(5).max(600).nullable(),
});
export type EventSettings = z.infer<typeof EventSettings>;

export const defaultEventSettings: EventSettings = {
  topics: [...defaultTopics],
  interestTags: [...defaultInterests],
  interestTranslations: {},
  suggestionsPerPerson: 3,
  edgeMinutes: 10,
  screenEnabled: true,
  walkInsAllowed: false,
  followUpHours: 12,
  awayAfterMinutes: null,
};

export const Slug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(60)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single dashes');

/** An event's languages: at least one, each once (the default must be among them). */
export const EventLanguages = z
  .array(LanguageCode)
  .min(1)
  .refine((codes) => new Set(codes).size === codes.length, 'lists a language twice');

const EventFields = z.object({
  name: Name,
  slug: Slug.optional(),
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  timeZone: TimeZone,
  status: EventStatus,
  venue: text(200),
  settings: EventSettings.partial(),
  /** The languages guests may choose (codes such as "ja"); default ["en"]. */
  languages: EventLanguages.describe('The languages guests may choose, e.g. ["en", "ja"]; one of them is defaultLanguage'),
  /** What the big screen shows and anyone who chose no language reads; one of `languages`. */
  defaultLanguage: LanguageCode.describe('One of languages: the big screen, and anyone who chose none'),
});

const endsAfterStart = (e: { startsAt?: string; endsAt?: string }) =>
  !e.startsAt || !e.endsAt || Date.parse(e.endsAt) > Date.parse(e.startsAt);

export const CreateEventBody = EventFields.extend({
  /** A template's id (`GET /api/event-templates`): its topics and interests, unless `settings` gives its own. */
  template: TemplateId.optional().describe("A template's id from GET /api/event-templates: the event starts with its topics and interests"),
})
  .partial({ status: true, venue: true, settings: true, languages: true, defaultLanguage: true })
  .refine(endsAfterStart, {
  message: 'must be after startsAt',
  path: ['endsAt'],
});
export type CreateEventBody = z.infer<typeof CreateEventBody>;

export const UpdateEventBody = EventFields.partial().refine(endsAfterStart, {
  message: 'must be after startsAt',
  path: ['endsAt'],
});
export type UpdateEventBody = z.infer<typeof UpdateEventBody>;

export const Event = z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  timeZone: z.string(),
  status: EventStatus,
  venue: z.string(),
  settings: EventSettings,
  languages: z.array(LanguageCode),
  defaultLanguage: LanguageCode,
  /** When the organiser erased the event's personal data; null while it is kept. */
  erasedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Event = z.infer<typeof Event>;

/** What a paired kiosk needs to know about its event (no guest data). */
export const KioskEvent = Event.pick({ id: true, name: true, status: true, timeZone: true, settings: true, startsAt: true, endsAt: true, languages: true, defaultLanguage: true });
export type KioskEvent = z.infer<typeof KioskEvent>;

export const EventStats = z.object({
  registered: z.number().int(),
  checkedIn: z.number().int(),
  /** Checked in by the log and showing signs of life. */
  present: z.number().int(),
  /** Checked in by the log, but no sign for the event's "away after" minutes. */
  away: z.number().int(),
  /** Checked in once, checked out now (an exit, "I'm heading out", the event's close). */
  left: z.number().int(),
  flagged: z.number().int(),
});
export type EventStats = z.infer<typeof EventStats>;
