import { describe, expect, it } from 'vitest';
import { fold, nameMatches, nameWords, queryWords, translateTable } from './fold';
import { hintFor } from './service';

describe('fold', () => {
  it('drops accents and case, and spells out letters without a mark to drop', () => {
    expect(fold('João ÂNGELO Zoë')).toBe('joao angelo zoe');
    expect(fold('Łukasz Øster Straße Æsir')).toBe('lukasz oster strasse aesir');
    // Names stored decomposed (a letter plus a combining accent) fold the same.
    expect(fold('Jose\u0301')).toBe('jose');
  });
});

describe('nameMatches', () => {
  it('matches every query word against the start of some word of the name', () => {
    expect(nameMatches('Ana Sousa', queryWords('ana'))).toBe(true);
    expect(nameMatches('Ana Sousa', queryWords('sou ana'))).toBe(true);
    expect(nameMatches('Mariana Sousa', queryWords('ana'))).toBe(false);
    expect(nameMatches('Ana Sousa', queryWords('ana costa'))).toBe(false);
  });

  it('finds names with apostrophes and hyphens either way they are typed', () => {
    expect(nameWords("Siobhan O'Brien")).toEqual(expect.arrayContaining(['o', 'brien', 'obrien']));
    expect(nameMatches("Siobhan O'Brien", queryWords('obri'))).toBe(true);
    expect(nameMatches("Siobhan O'Brien", queryWords("o'bri"))).toBe(true);
    expect(nameMatches('Jean-Luc Picard', queryWords('luc'))).toBe(true);
  });
});

describe('translateTable', () => {
  it('maps each accented Latin letter to the same ASCII letter as fold', () => {
    const { from, to } = translateTable;
    for (let i = 0; i < to.length; i++) expect(fold(from[i] ?? '')).toBe(to[i]);
    expect(from).toContain('ã');
    expect(from).toContain('Ł');
  });
});

describe('hintFor', () => {
  it('gives the company initial and the first word of the role, nothing more', () => {
    expect(hintFor('tidewater', 'Product Designer')).toBe('T. · Product');
    expect(hintFor('', 'Engineer')).toBe('Engineer');
    expect(hintFor('Acme', '')).toBe('A.');
    expect(hintFor('', '')).toBe('');
  });
});
