import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredReason } from '@edgewise/db';
import { eventTemplates, inSentence, supportedLanguages, topicsIn, type LanguageCode, type Topic } from '@edgewise/shared';
import { reasonsIn, type ReasonContext } from './reasons';
import { translatedVocabulary } from './templates';

/** Every template's vocabulary (and the default one), with the translations an event gets from it. */
const vocabularies = [...eventTemplates.map((t) => t.id), 'default'].map((id) => ({ id, ...translatedVocabulary(id)! }));
const others = supportedLanguages.filter((l) => l !== 'en');

const context = (language: LanguageCode, topics: Topic[], interestTranslations: ReasonContext['interestTranslations'], name: string): ReasonContext => ({
  language,
  target: { name, role: 'Product designer' },
  topics,
  interestTranslations,
  names: new Map([['x', 'Xia'], ['m', 'Maya']]),
});

/** What no sentence may hold in any language: a hole, a stray placeholder, doubled or dangling punctuation. */
function wellFormed(text: string, language: LanguageCode) {
  expect(text).not.toMatch(/[{}]|undefined|null|NaN|\[object/);
  expect(text).not.toMatch(/ {2}|^\s|\s$|, ,|、、|: :|：：|[,:：、]$|,\.|\s[,.]/);
  if (language === 'ja') {
    expect(text).not.toMatch(/さん さん|この方 さん|どなたか さん|[A-Za-z]+ (is|and|offers|looking)\b/);
  } else {
    // A sentence opens with a capital (a name, or the sentence's own first word).
    expect(text).toMatch(/^[\p{Lu}„«“¡]/u);
  }
  if (language === 'fr') expect(text).not.toMatch(/[^\s]:/);
}

describe.each(others)('reasons in %s', (language) => {
  for (const vocabulary of vocabularies) {
    it(`read right with every topic and interest of “${vocabulary.id}”, in its own labels`, () => {
      const own = topicsIn(vocabulary.topics, language);
      const ids = vocabulary.topics.map((t) => t.id);
      fc.assert(
        fc.property(
          fc.subarray(ids, { minLength: 1, maxLength: 5 }),
          fc.subarray(ids, { minLength: 1, maxLength: 5 }),
          fc.subarray(vocabulary.interests, { minLength: 1, maxLength: 5 }),
          fc.constantFrom('to_you', 'from_you'),
          fc.constantFrom('Ana', ''),
          fc.boolean(),
          (receives, gives, common, direction, name, withoutIntent) => {
            const stored: StoredReason[] = [
              { kind: 'receives', tags: receives, text: 'English' },
              { kind: 'gives', tags: gives, text: 'English' },
              { kind: 'common', tags: common, text: 'English' },
              { kind: 'host', text: 'English' },
              { kind: 'first_time', text: 'English' },
              { kind: 'role', text: 'English' },
              { kind: 'introducer', by: 'm', text: 'English' },
              { kind: 'connector', via: 'x', tags: receives, direction, text: 'English' },
              { kind: 'open', text: 'English' },
              { kind: 'wants_to_meet', text: 'English' },
            ];
            const rendered = reasonsIn(stored, { ...context(language, vocabulary.topics, vocabulary.interestTranslations, name), viewerWithoutIntent: withoutIntent });
            expect(rendered.map((r) => r.kind)).toEqual(stored.map((r) => r.kind));
            for (const r of rendered) {
              wellFormed(r.text, language);
              expect(r.text).not.toContain('English');
            }
            // Each topic and interest by its label in this language (the first three of a list are spelled).
            const spelled = (tags: string[]) => tags.slice(0, 3);
            const label = (id: string) => {
              const seek = own.find((t) => t.id === id)!.seekLabel;
              return language === 'fr' || language === 'es' ? inSentence(seek) : seek;
            };
            for (const id of spelled(receives)) expect(rendered[0]!.text).toContain(label(id));
            for (const id of spelled(gives)) expect(rendered[1]!.text).toContain(label(id));
            for (const interest of spelled(common)) expect(rendered[2]!.text).toContain(vocabulary.interestTranslations[interest]?.[language] ?? interest);
            if (receives.length > 3) expect(rendered[0]!.text).toContain(String(receives.length - 3));
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it('keeps a label the organiser did not translate, and names people who introduce or connect', () => {
    const topics: Topic[] = [{ id: 'kites', seekLabel: 'Kite makers', offerLabel: 'I make kites' }];
    const [receives, introducer] = reasonsIn(
      [
        { kind: 'receives', tags: ['kites'], text: '' },
        { kind: 'introducer', by: 'm', text: '' },
      ],
      context(language, topics, {}, 'Ana'),
    );
    expect(receives!.text).toContain(language === 'fr' || language === 'es' ? 'kite makers' : 'Kite makers');
    expect(introducer!.text).toContain('Maya');
  });
});

describe('reasons in English', () => {
  it('are the sentences matching wrote', () => {
    const stored: StoredReason[] = [{ kind: 'receives', tags: ['investment'], text: 'Ana says “I invest”: you’re looking for investment' }];
    expect(reasonsIn(stored, context('en', [], {}, 'Ana'))).toEqual([{ kind: 'receives', text: stored[0]!.text }]);
  });
});
