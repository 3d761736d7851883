import { describe, expect, it } from 'vitest';
import { introductionText, roleOf } from './words';

describe('introductions in words', () => {
  it('names who made it and quotes the message when there is one', () => {
    expect(introductionText('Maya', 'organiser', 'You both build climate tools')).toBe('Introduced by Maya (organiser): You both build climate tools');
    expect(introductionText('Sam', 'host', '')).toBe('Introduced by Sam (host)');
  });

  it("still calls a host's introduction a host's after the host deleted their data", () => {
    expect(roleOf({ byOrganiserId: 'o1' })).toBe('organiser');
    expect(roleOf({ byOrganiserId: null })).toBe('host');
  });
});
