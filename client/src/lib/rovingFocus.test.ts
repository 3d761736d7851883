import { describe, expect, it } from 'vitest';
import { nextIndex } from './rovingFocus';

describe('nextIndex', () => {
  it('moves forward and back, wrapping at both ends', () => {
    expect(nextIndex('ArrowRight', 0, 3)).toBe(1);
    expect(nextIndex('ArrowDown', 2, 3)).toBe(0);
    expect(nextIndex('ArrowLeft', 0, 3)).toBe(2);
    expect(nextIndex('ArrowUp', 2, 3)).toBe(1);
  });

  it('jumps to the ends with Home and End', () => {
    expect(nextIndex('Home', 2, 5)).toBe(0);
    expect(nextIndex('End', 0, 5)).toBe(4);
  });

  it('leaves Tab, Space and letters to the browser', () => {
    expect(nextIndex('Tab', 1, 3)).toBeNull();
    expect(nextIndex(' ', 1, 3)).toBeNull();
    expect(nextIndex('a', 1, 3)).toBeNull();
  });

  it('starts from the first item when focus is outside the group', () => {
    expect(nextIndex('ArrowRight', -1, 3)).toBe(1);
    expect(nextIndex('ArrowRight', 0, 0)).toBeNull();
  });
});
