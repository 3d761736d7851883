import { describe, expect, it } from 'vitest';
import { keepOffered, toggleTag } from './tags';

describe('toggleTag', () => {
  it('picks a tag and unpicks it on a second tap', () => {
    const picked = toggleTag([], 'Design', 5);
    expect(picked).toEqual(['Design']);
    expect(toggleTag(picked, 'Design', 5)).toEqual([]);
  });

  it('refuses a pick beyond the cap but still allows unpicking', () => {
    const full = ['A', 'B', 'C'];
    expect(toggleTag(full, 'D', 3)).toEqual(full);
    expect(toggleTag(full, 'B', 3)).toEqual(['A', 'C']);
  });
});

describe('keepOffered', () => {
  it('drops saved tags the event no longer offers, duplicates, and anything over the cap', () => {
    expect(keepOffered(['Design', 'Gone', 'Design', 'Sales', 'Funding'], ['Design', 'Sales', 'Funding'], 2)).toEqual(['Design', 'Sales']);
    expect(keepOffered(undefined, ['Design'], 5)).toEqual([]);
  });
});
