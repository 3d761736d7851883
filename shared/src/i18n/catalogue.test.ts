import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { languageList, loadMessages, negotiateLanguage } from './languages';
import { createTranslator } from './format';
import type { Messages } from './messages';

/** Every leaf of a catalogue as [dotted key, message]. */
function leaves(node: unknown, prefix = ''): [string, string][] {
  if (typeof node === 'string') return [[prefix, node]];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** The placeholder names a message uses, plural and select branches included. */
function placeholders(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date || el.type === TYPE.time) into.add(el.value);
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      into.add(el.value);
      for (const option of Object.values(el.options)) placeholders(option.value, into);
    }
    if (el.type === TYPE.tag) placeholders(el.children, into);
  }
  return into;
}

const catalogues = await Promise.all(languageList.map(async (l) => [l.code, await loadMessages(l.code)] as const));
const english = new Map(leaves(catalogues.find(([code]) => code === 'en')?.[1]));

describe.each(catalogues)('the %s message file', (code, messages: Messages) => {
  const own = new Map(leaves(messages));

  it('has every key of the English file and no other', () => {
    expect([...own.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('parses as ICU MessageFormat with the English placeholders', () => {
    for (const [key, message] of own) {
      const expected = [...placeholders(parse(english.get(key) ?? ''))].sort();
      expect([key, [...placeholders(parse(message))].sort()]).toEqual([key, expected]);
    }
  });

  it('has no message left empty', () => {
    for (const [key, message] of own) expect([key, message.trim().length > 0]).toEqual([key, true]);
  });

  it('formats plurals with the language’s own rules', () => {
    const t = createTranslator(code, messages);
    expect(t('common.people', { count: 1 })).toContain('1');
    expect(t('common.people', { count: 21 })).toContain('21');
    if (code !== 'ja') expect(t('common.people', { count: 1 }).replace('1', '')).not.toBe(t('common.people', { count: 2 }).replace('2', ''));
  });
});

describe('negotiateLanguage', () => {
  it('takes the best-weighted offered language, a region matching its language', () => {
    expect(negotiateLanguage('fr-CH, de;q=0.9, en;q=0.8', ['en', 'de'], 'en')).toBe('de');
    expect(negotiateLanguage('ja-JP', ['en', 'ja'], 'en')).toBe('ja');
    expect(negotiateLanguage('es;q=0, de', ['es', 'de'], 'es')).toBe('de');
  });
  it('falls back to the event default for nothing acceptable, a wildcard or no header', () => {
    expect(negotiateLanguage('pt-BR', ['en', 'de'], 'de')).toBe('de');
    expect(negotiateLanguage('*', ['en', 'de'], 'de')).toBe('de');
    expect(negotiateLanguage(undefined, ['en', 'de'], 'en')).toBe('en');
  });
});
