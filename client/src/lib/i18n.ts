/**
 * The client's languages: vue-i18n with the shared ICU catalogue (shared/src/i18n), English
 * bundled as the fallback and every other language loaded when first chosen. Components use
 * `useT()`, whose keys are typed: a key no message file has fails `npm run typecheck`.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { reactive, ref } from 'vue';
import { createI18n, useI18n, type MessageCompiler, type MessageContext } from 'vue-i18n';
import { baseLanguage, isLanguageCode, languageInfo, loadMessages, type LanguageCode, type MessageKey, type MessageValues } from '@edgewise/shared';
import en from '../../../shared/src/i18n/locales/en';

/** Messages are ICU MessageFormat, compiled once each by intl-messageformat. */
const icuCompiler: MessageCompiler = (message, { locale, key, onError }) => {
  if (typeof message !== 'string') {
    onError?.(new Error(`message ${key} is not a string`) as never);
    return () => key;
  }
  const format = new IntlMessageFormat(message, locale);
  return (ctx: MessageContext<string>) => String(format.format(ctx.values as MessageValues));
};

export const i18n = createI18n({
  legacy: false,
  globalInjection: false,
  locale: baseLanguage,
  fallbackLocale: baseLanguage,
  messages: { [baseLanguage]: en },
  messageCompiler: icuCompiler,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

const loaded = reactive(new Set<string>([baseLanguage]));
/** The language the pages speak now; `apiRequest` sends it as Accept-Language. */
export const currentLanguage = ref<LanguageCode>(baseLanguage);

/** Loads a language's messages, once. */
export async function loadLanguage(code: LanguageCode): Promise<void> {
  if (loaded.has(code)) return;
  i18n.global.setLocaleMessage(code, await loadMessages(code));
  loaded.add(code);
}

/** The language asked for last: a switch whose messages arrive after a later one's is dropped. */
let latestAsked: LanguageCode = baseLanguage;

/**
 * Loads a language (once) and switches every page to it, `<html lang dir>` included. The
 * last call wins even when an earlier call's messages load more slowly (the browser's
 * language asked for first, the person's own from the server a moment later).
 */
export async function setLanguage(code: LanguageCode): Promise<void> {
  latestAsked = code;
  await loadLanguage(code);
  if (latestAsked !== code) return;
  i18n.global.locale.value = code;
  currentLanguage.value = code;
  document.documentElement.lang = code;
  document.documentElement.dir = languageInfo(code).dir;
}

/** The first of the browser's languages that is offered, else `fallback`. */
export function browserLanguage(offered: readonly LanguageCode[], fallback: LanguageCode): LanguageCode {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguageCode(primary) && offered.includes(primary)) return primary;
  }
  return fallback;
}

/** `t('kiosk.chooseLanguage')`, `t('common.people', { count })`: typed keys, ICU values. */
export function useT() {
  const { t: translate, locale } = useI18n();
  const t = (key: MessageKey, values?: MessageValues): string => translate(key, (values ?? {}) as Record<string, unknown>);
  return { t, locale };
}

/** The same, outside components (stores, the API client): the current language's message. */
export const translate = (key: MessageKey, values?: MessageValues): string => i18n.global.t(key, (values ?? {}) as Record<string, unknown>);

/**
 * A message in one language whatever the pages speak now (a kiosk's staff corner stays in
 * the staff's language while a guest reads theirs); English until that language is loaded.
 */
export const translateIn = (code: LanguageCode, key: MessageKey, values?: MessageValues): string =>
  i18n.global.t(key, (values ?? {}) as Record<string, unknown>, { locale: loaded.has(code) ? code : baseLanguage });

/** What an event says about its languages; an event from before languages reads as English only. */
export interface SpokenLanguages {
  languages?: readonly LanguageCode[] | undefined;
  defaultLanguage?: LanguageCode | undefined;
}
export function eventLanguages(event: SpokenLanguages | null | undefined): { languages: LanguageCode[]; defaultLanguage: LanguageCode } {
  const languages = event?.languages?.length ? [...event.languages] : [baseLanguage];
  const defaultLanguage = event?.defaultLanguage && languages.includes(event.defaultLanguage) ? event.defaultLanguage : (languages[0] ?? baseLanguage);
  return { languages, defaultLanguage };
}

/** A piece of a sentence: plain text, or the place of a `{placeholder}` the template fills with markup. */
export type SentencePart = { text: string; slot?: undefined } | { text?: undefined; slot: string };

/**
 * A message cut at its placeholders named in `slots`, so a template can put markup there
 * (a bold number, an underlined example) while the sentence's word order stays the
 * translation's: `parts(t('kiosk.countdown', { seconds: slot('seconds') }))`.
 */
const MARK = '\u0000';
export const slot = (name: string) => `${MARK}${name}${MARK}`;
export function parts(message: string): SentencePart[] {
  return message
    .split(MARK)
    .map((piece, i): SentencePart => (i % 2 === 1 ? { slot: piece } : { text: piece }))
    .filter((p) => p.slot !== undefined || p.text !== '');
}
