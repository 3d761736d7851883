import { afterEach, describe, expect, it } from 'vitest';
import { direction, scanTypeFor } from './mode';

describe('what a scan at this kiosk records', () => {
  afterEach(() => {
    direction.value = 'entry';
  });

  it('follows the mode: entries, exits, or the In/Out toggle', () => {
    expect(scanTypeFor('entry')).toBe('entry');
    expect(scanTypeFor('exit')).toBe('exit');
    expect(scanTypeFor('both')).toBe('entry');
    direction.value = 'exit';
    expect(scanTypeFor('both')).toBe('exit');
    // The toggle belongs to 'both': a single-purpose kiosk ignores it.
    expect(scanTypeFor('entry')).toBe('entry');
  });

  it('checks people in when the saved pairing predates modes', () => {
    direction.value = 'exit';
    expect(scanTypeFor(undefined)).toBe('entry');
  });
});
