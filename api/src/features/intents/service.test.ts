import { describe, expect, it } from 'vitest';
import { canonicalTags, canonicalTopics } from './service';

describe('canonicalTags', () => {
  const offered = ['Investors', 'Open source', 'AI'];

  it("keeps the event's own spelling of each tag, in the order picked", () => {
    const problems: { path: string; message: string; code: string }[] = [];
    expect(canonicalTags('seeks', ['ai', 'INVESTORS'], offered, problems)).toEqual(['AI', 'Investors']);
    expect(problems).toEqual([]);
  });

  it('names each unknown or repeated tag with where it is', () => {
    const problems: { path: string; message: string; code: string }[] = [];
    expect(canonicalTags('offers', ['AI', 'Knitting', 'ai'], offered, problems)).toEqual(['AI']);
    expect(problems).toEqual([
      { path: 'offers.1', message: '"Knitting" is not one of this event\'s tags', code: 'unknown_tag' },
      { path: 'offers.2', message: '"ai" is picked twice', code: 'duplicate_tag' },
    ]);
  });
});

describe('canonicalTopics', () => {
  const topics = [
    { id: 'investment', seekLabel: 'Investment', offerLabel: 'I invest' },
    { id: 'co-founder', seekLabel: 'A co-founder', offerLabel: 'A co-founder' },
  ];

  it("stores topic ids, whether the client named the topic by its id or either side's label", () => {
    const problems: { path: string; message: string; code: string }[] = [];
    expect(canonicalTopics('offers', ['i invest', 'co-founder'], topics, problems)).toEqual(['investment', 'co-founder']);
    expect(canonicalTopics('seeks', ['INVESTMENT'], topics, problems)).toEqual(['investment']);
    expect(problems).toEqual([]);
  });

  it('names each unknown or repeated topic with where it is', () => {
    const problems: { path: string; message: string; code: string }[] = [];
    expect(canonicalTopics('seeks', ['investment', 'Knitting', 'I invest'], topics, problems)).toEqual(['investment']);
    expect(problems).toEqual([
      { path: 'seeks.1', message: '"Knitting" is not one of this event\'s topics', code: 'unknown_tag' },
      { path: 'seeks.2', message: '"I invest" is picked twice', code: 'duplicate_tag' },
    ]);
  });
});
