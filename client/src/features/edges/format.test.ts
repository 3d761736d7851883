import { describe, expect, it } from 'vitest';
import { tagLine, waitedFor } from './format';

describe('waitedFor', () => {
  const t = Date.parse('2026-11-25T18:00:00Z');
  it('says how long, in words a glance reads', () => {
    expect(waitedFor('2026-11-25T18:00:00Z', t + 30_000)).toBe('just now');
    expect(waitedFor('2026-11-25T18:00:00Z', t + 4 * 60_000 + 59_000)).toBe('4 min');
    expect(waitedFor('2026-11-25T18:00:00Z', t + 72 * 60_000)).toBe('1 h 12 min');
    expect(waitedFor('2026-11-25T18:00:00Z', t + 120 * 60_000)).toBe('2 h');
    // A clock slightly behind the server's never shows a negative wait.
    expect(waitedFor('2026-11-25T18:00:00Z', t - 5000)).toBe('just now');
  });
});

describe('tagLine', () => {
  it('keeps the line short', () => {
    expect(tagLine([])).toBe('');
    expect(tagLine(['Investors', 'Design'])).toBe('Investors, Design');
    expect(tagLine(['A', 'B', 'C', 'D', 'E'])).toBe('A, B, C +2');
  });
});
