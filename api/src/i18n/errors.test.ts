import { describe, expect, it } from 'vitest';
import { errorCodes, messageAt, supportedLanguages } from '@edgewise/shared';
import { catalogueOf, errorMessage } from './index';

describe('error messages', () => {
  it('exist for every error code in every language', () => {
    for (const language of supportedLanguages) {
      for (const code of errorCodes) expect([language, code, messageAt(catalogueOf(language), `server.errors.${code}`)]).toEqual([language, code, expect.any(String)]);
    }
  });

  it('keep the sentence written where the error was raised in English, and use the code’s own elsewhere', () => {
    expect(errorMessage('en', 'not_found', 'No such event.')).toBe('No such event.');
    expect(errorMessage('de', 'not_found', 'No such event.')).toBe('Das wurde nicht gefunden.');
    expect(errorMessage('ja', 'rate_limited', 'Too many tries.')).toBe('試行回数が多すぎます。少し待ってから、もう一度お試しください。');
  });
});
