import type { Request, Response } from 'express';
import type { AppDeps } from '../deps';
import { lookupsOf } from '../http/lookups';
import {
  baseLanguage,
  createTranslator,
  isLanguageCode,
  languageList,
  negotiateLanguage,
  messageAt,
  supportedLanguages,
  type ErrorCode,
  type LanguageCode,
  type MessageKey,
  type Messages,
  type Translate,
} from '@edgewise/shared';

/**
 * What the server writes for people, in their language: every message file loaded once at
 * start-up (the browser loads one at a time; the server writes in any event's languages),
 * one translator per language, and which language a request or a person reads.
 */

const catalogues = new Map<LanguageCode, Messages>(await Promise.all(languageList.map(async (l) => [l.code, (await l.load()).default] as const)));
const english_ = catalogues.get(baseLanguage)!;
const translators = new Map<LanguageCode, Translate>();

/** The messages of one language (English for a language without a file). */
export function catalogueOf(language: LanguageCode): Messages {
  return catalogues.get(language) ?? english_;
}

/** `t(key, values)` in one language (the English message for a key a file lacks). */
export function translator(language: LanguageCode): Translate {
  let t = translators.get(language);
  if (!t) {
    t = createTranslator(language, catalogues.get(language) ?? english_, english_);
    translators.set(language, t);
  }
  return t;
}

/** The languages an event speaks, the default among them. */
export interface EventLanguages {
  languages: LanguageCode[];
  defaultLanguage: LanguageCode;
}

/** Stored languages the server no longer speaks are passed over; never empty. */
export function eventLanguagesOf(row: { languages: readonly string[]; defaultLanguage: string }): EventLanguages {
  const languages = row.languages.filter(isLanguageCode);
  if (languages.length === 0) languages.push(baseLanguage);
  const defaultLanguage = isLanguageCode(row.defaultLanguage) && languages.includes(row.defaultLanguage) ? row.defaultLanguage : languages[0]!;
  return { languages, defaultLanguage };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An event's languages from the event rows kept in memory (http/lookups.ts: an edit clears
 * them on every node), so an error answer or a check-in message costs no query.
 */
export async function languagesOfEvent(deps: AppDeps, eventId: string): Promise<EventLanguages | null> {
  if (!UUID.test(eventId)) return null;
  const row = await lookupsOf(deps).event(eventId);
  return row ? eventLanguagesOf(row) : null;
}

/** Who is asking, as far as it decides the language of the answer. */
export interface LanguageScope {
  /** The event the request is about (its path, the device's or the attendee's event). */
  eventId?: string | undefined;
  /** An attendee's own choice, read when their request names no language. */
  attendeeLanguage?: string | null | undefined;
  /** An organiser's dashboard language: organisers read any supported language. */
  organiserLanguage?: LanguageCode | undefined;
}

/**
 * The language of an answer: `Accept-Language` among the event's languages, else the
 * person's own choice, else the event's default. An organiser reads any supported language,
 * their dashboard's by default; a request about no event, any supported one, else English.
 */
export function chooseLanguage(acceptLanguage: string | undefined, scope: LanguageScope, event: EventLanguages | null): LanguageCode {
  if (scope.organiserLanguage) return negotiateLanguage(acceptLanguage, supportedLanguages, scope.organiserLanguage);
  if (!event) return negotiateLanguage(acceptLanguage, supportedLanguages, baseLanguage);
  const own = isLanguageCode(scope.attendeeLanguage) && event.languages.includes(scope.attendeeLanguage) ? scope.attendeeLanguage : event.defaultLanguage;
  return negotiateLanguage(acceptLanguage, event.languages, own);
}

/** A person's language for what reaches them unasked (mails, pushes): their choice if the event offers it, else its default. */
export function personLanguage(own: string | null | undefined, event: EventLanguages): LanguageCode {
  return isLanguageCode(own) && event.languages.includes(own) ? own : event.defaultLanguage;
}

/**
 * The language of the answer to `req`, from the scope the route wrapper recorded in
 * `res.locals.languageScope` (the event, who is asking).
 */
export async function requestLanguage(deps: AppDeps, req: Request, res: Response, offline = false): Promise<LanguageCode> {
  const scope = (res.locals.languageScope ?? {}) as LanguageScope;
  // With the database away, the event's languages are not asked for: any supported language then.
  const event = scope.eventId && !scope.organiserLanguage && !offline ? await languagesOfEvent(deps, scope.eventId).catch(() => null) : null;
  return chooseLanguage(req.get('accept-language'), scope, event);
}

/**
 * The language the request asks for, or undefined when it names none (no Accept-Language):
 * the person's own choice then decides (their lists, their page).
 */
export async function askedLanguage(deps: AppDeps, req: Request, res: Response): Promise<LanguageCode | undefined> {
  return req.get('accept-language') ? requestLanguage(deps, req, res) : undefined;
}

/** Records what decides the language of this request's answers (see `requestLanguage`). */
export function setLanguageScope(res: Response, scope: LanguageScope): void {
  res.locals.languageScope = { ...(res.locals.languageScope as LanguageScope | undefined), ...scope };
}

/**
 * An error's message for people: English answers keep the sentence written where the error
 * was raised (it names the very field or thing); other languages get their message for the code.
 */
export function errorMessage(language: LanguageCode, code: ErrorCode, english: string): string {
  if (language === baseLanguage) return english;
  const key = `server.errors.${code}`;
  return messageAt(catalogues.get(language) ?? english_, key) !== undefined ? translator(language)(key as MessageKey) : english;
}

/** A date and time as people of `language` write them, in the event's time zone. */
export function formatDateTime(language: LanguageCode, timeZone: string, at: Date, style: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short' }): string {
  return new Intl.DateTimeFormat(language, { ...style, timeZone }).format(at);
}

/** "A, B and C" in `language` (Intl.ListFormat; English as the product writes it, without the serial comma). */
export function listOf(language: LanguageCode, items: readonly string[]): string {
  return new Intl.ListFormat(language === 'en' ? 'en-GB' : language, { style: 'long', type: 'conjunction' }).format(items);
}

/** What of a zod issue decides how a field's problem is told. */
export interface FieldIssue {
  code: string;
  origin?: string;
  format?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  message?: string;
}

/** One field's problem in `language` (a whole sentence, shown beside the field). */
export function fieldMessage(language: LanguageCode, issue: FieldIssue): string {
  const t = translator(language);
  const text = issue.origin === 'string';
  const n = (x: number | bigint | undefined) => Number(x ?? 0);
  switch (issue.code) {
    case 'too_small':
      if (text && n(issue.minimum) <= 1) return t('server.fields.required');
      return text ? t('server.fields.tooShort', { minimum: n(issue.minimum) }) : t('server.fields.tooSmall', { minimum: n(issue.minimum) });
    case 'too_big':
      return text ? t('server.fields.tooLong', { maximum: n(issue.maximum) }) : t('server.fields.tooBig', { maximum: n(issue.maximum) });
    case 'invalid_format':
      return issue.format === 'email' ? t('server.fields.email') : issue.format === 'url' ? t('server.fields.url') : t('server.fields.format');
    case 'invalid_type':
      // A field left out: zod says what it expected and that it "received undefined".
      return issue.message?.endsWith('received undefined') ? t('server.fields.required') : t('server.fields.invalid');
    default:
      return t('server.fields.invalid');
  }
}
