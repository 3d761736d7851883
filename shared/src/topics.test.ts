import { describe, expect, it } from 'vitest';
import { eventTemplates } from './eventTemplates';
import { inSentence, resolveTopic, topicIdFor, topicLookup } from './topics';

describe('inSentence', () => {
  it.each([
    ['A job', 'a job'],
    ['Investment', 'investment'],
    ['AI tools', 'AI tools'],
    ['UX', 'UX'],
    ['CV feedback', 'CV feedback'],
    ['x', 'x'],
  ])('%j reads %j inside a sentence', (label, text) => {
    expect(inSentence(label)).toBe(text);
  });
});

describe('topics', () => {
  const topics = [
    { id: 'jobs', seekLabel: 'A job', offerLabel: "I'm hiring" },
    { id: 'co-founder', seekLabel: 'A co-founder', offerLabel: 'A co-founder' },
  ];

  it('are found by id or by either label, case aside', () => {
    expect(resolveTopic(topics, 'JOBS')?.id).toBe('jobs');
    expect(resolveTopic(topics, "i'm hiring")?.id).toBe('jobs');
    expect(resolveTopic(topics, ' a co-founder ')?.id).toBe('co-founder');
    expect(resolveTopic(topics, 'Knitting')).toBeUndefined();
  });

  it('read an id the vocabulary no longer has as a one-label topic named by it', () => {
    expect(topicLookup(topics)('gone')).toEqual({ id: 'gone', seekLabel: 'gone', offerLabel: 'gone' });
  });

  it('get new ids from their labels, unlike the ones taken', () => {
    expect(topicIdFor('Climate tech', new Set())).toBe('climate-tech');
    expect(topicIdFor('Climate tech!', new Set(['climate-tech']))).toBe('climate-tech-2');
    expect(topicIdFor('東京', new Set())).toBe('topic');
  });

  it("in every template are unique by id and by each side's label, 10 to 20 with the interests", () => {
    for (const t of eventTemplates) {
      const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase())).size;
      expect(lower(t.topics.map((x) => x.id))).toBe(t.topics.length);
      expect(lower(t.topics.map((x) => x.seekLabel))).toBe(t.topics.length);
      expect(lower(t.topics.map((x) => x.offerLabel))).toBe(t.topics.length);
      expect(t.topics.length).toBeGreaterThanOrEqual(10);
      expect(t.interests.length).toBeGreaterThanOrEqual(10);
      expect(t.topics.length).toBeLessThanOrEqual(20);
    }
  });
});
