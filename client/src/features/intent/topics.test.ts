import { describe, expect, it } from 'vitest';
import { idsOf, interestLabels, interestsOf, labelsOf, sideLabels } from './topics';

const topics = [
  { id: 'investment', seekLabel: 'Investment', offerLabel: 'I invest' },
  { id: 'co-founder', seekLabel: 'A co-founder', offerLabel: 'A co-founder' },
];

describe('the two lists of the intent form', () => {
  it('show each side in its own words', () => {
    expect(sideLabels(topics, 'seek')).toEqual(['Investment', 'A co-founder']);
    expect(sideLabels(topics, 'offer')).toEqual(['I invest', 'A co-founder']);
  });

  it("turn a side's picks into topic ids and back", () => {
    expect(idsOf(topics, ['I invest', 'A co-founder'], 'offer')).toEqual(['investment', 'co-founder']);
    expect(idsOf(topics, ['I invest'], 'seek')).toEqual([]);
    expect(labelsOf(topics, ['investment', 'gone'], 'offer')).toEqual(['I invest', 'gone']);
  });

  it('show interests in the reader’s language and keep the organiser’s own labels', () => {
    const offered = ['Climate', 'Music'];
    const translations = { Climate: { ja: '気候', de: 'Klima' } };
    expect(interestLabels(offered, translations, 'ja')).toEqual(['気候', 'Music']);
    expect(interestsOf(['Music', '気候'], offered, translations, 'ja')).toEqual(['Music', 'Climate']);
    expect(interestsOf(['Klima'], offered, translations, 'ja')).toEqual([]);
  });
});
