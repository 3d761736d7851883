import { describe, expect, it } from 'vitest';
import { canonicalTags } from './service';

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
