import { z } from 'zod';
import type { Messages } from './messages';

/**
 * The languages Edgewise speaks. Adding one is adding its message file in ./locales (a copy
 * of en.ts, translated; the typecheck fails on any key it lacks) and its line here: the
 * language's own name (never a flag), its writing direction and how to load it.
 */
export const languageList = [
  { code: 'en', name: 'English', dir: 'ltr', load: () => import('./locales/en') },
  { code: 'de', name: 'Deutsch', dir: 'ltr', load: () => import('./locales/de') },
  { code: 'fr', name: 'Français', dir: 'ltr', load: () => import('./locales/fr') },
  { code: 'es', name: 'Español', dir: 'ltr', load: () => import('./locales/es') },
  { code: 'ja', name: '日本語', dir: 'ltr', load: () => import('./locales/ja') },
] as const satisfies readonly { code: string; name: string; dir: 'ltr' | 'rtl'; load: () => Promise<{ default: Messages }> }[];

export type LanguageCode = (typeof languageList)[number]['code'];
const codes = languageList.map((l) => l.code) as [LanguageCode, ...LanguageCode[]];
export const LanguageCode = z.enum(codes);
export const supportedLanguages: readonly LanguageCode[] = codes;
/** The language every message exists in first, and the last fallback. */
export const baseLanguage: LanguageCode = 'en';

/** What `GET /api/languages` lists and the language switches offer. */
export const LanguageInfo = z.object({ code: LanguageCode, name: z.string(), dir: z.enum(['ltr', 'rtl']) });
export type LanguageInfo = z.infer<typeof LanguageInfo>;
export const LanguagesResponse = z.object({ languages: z.array(LanguageInfo) });
export type LanguagesResponse = z.infer<typeof LanguagesResponse>;

export const languageInfo = (code: LanguageCode): LanguageInfo => {
  const found = languageList.find((l) => l.code === code) ?? languageList[0];
  return { code: found.code, name: found.name, dir: found.dir };
};

export const isLanguageCode = (value: unknown): value is LanguageCode => typeof value === 'string' && (codes as readonly string[]).includes(value);

export async function loadMessages(code: LanguageCode): Promise<Messages> {
  const entry = languageList.find((l) => l.code === code) ?? languageList[0];
  return (await entry.load()).default;
}

/**
 * The best of `offered` for an `Accept-Language` header (RFC 9110 weights; "de-AT" matches
 * "de"), or `fallback` when none is acceptable.
 */
export function negotiateLanguage(header: string | undefined | null, offered: readonly LanguageCode[], fallback: LanguageCode): LanguageCode {
  if (!header) return fallback;
  const wanted = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((w) => w.tag && w.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of wanted) {
    if (tag === '*') return fallback;
    const primary = tag.split('-')[0];
    const match = offered.find((code) => code === tag || code === primary);
    if (match) return match;
  }
  return fallback;
}
