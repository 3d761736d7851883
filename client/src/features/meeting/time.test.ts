import { afterEach, describe, expect, it } from 'vitest';
import { currentLanguage } from '../../lib/i18n';
import { clockTime } from './time';

describe('clockTime', () => {
  afterEach(() => {
    currentLanguage.value = 'en';
  });

  const dayOfHours = Array.from({ length: 24 }, (_, h) => `2026-12-06T${String(h).padStart(2, '0')}:48:00Z`);

  it('writes the hour as English does, "1:48 PM" and never "01:48 PM"', () => {
    currentLanguage.value = 'en';
    const times = dayOfHours.map(clockTime);
    expect(times.filter((t) => !/^(1[0-2]|[1-9]):48\s?[AP]M$/.test(t))).toEqual([]);
  });

  it('keeps the 24-hour clock where the language uses it', () => {
    currentLanguage.value = 'de';
    expect(dayOfHours.map(clockTime).filter((t) => !/^([01]?\d|2[0-3]):48$/.test(t))).toEqual([]);
  });
});
