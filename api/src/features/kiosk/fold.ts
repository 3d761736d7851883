/**
 * Accent- and case-insensitive name matching, done the same way in JS and (as a coarse
 * pre-filter) in SQL: PGlite has no `unaccent`, so the SQL side uses `translate` with a
 * table generated here from the JS folding, which keeps the two in step.
 */

/** Letters that carry no combining mark to strip, or fold to two letters. */
const special: Record<string, string> = {
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ı: 'i',
  ŀ: 'l',
  ŧ: 't',
  ŋ: 'n',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
};
const specialPattern = new RegExp(`[${Object.keys(special).join('')}]`, 'g');

export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(specialPattern, (c) => special[c] ?? c);
}

const apostrophes = /['’`.]/g;

/**
 * The words a query may be a prefix of: split at anything not a letter or digit, plus
 * the words with apostrophes and dots dropped ("o'brien" is found as "obrien" too).
 */
export function nameWords(name: string): string[] {
  const f = fold(name);
  const words = new Set(f.split(/[^\p{L}\p{N}]+/u));
  for (const w of f.replace(apostrophes, '').split(/[^\p{L}\p{N}]+/u)) words.add(w);
  words.delete('');
  return [...words];
}

export function queryWords(q: string): string[] {
  return fold(q)
    .replace(apostrophes, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Every query word starts some word of the name. */
export function nameMatches(name: string, words: readonly string[]): boolean {
  const candidates = nameWords(name);
  return words.every((w) => candidates.some((c) => c.startsWith(w)));
}

/**
 * The `translate` table for SQL: every Latin letter whose JS folding is one ASCII letter,
 * then the combining marks, which `translate` deletes (they have no counterpart in `to`).
 * Letters folding to two letters are handled by `multiLetterFolds`.
 */
function buildTranslateTable() {
  let from = '';
  let to = '';
  const ranges: [number, number][] = [
    [0x00c0, 0x024f],
    [0x1e00, 0x1eff],
  ];
  for (const [start, end] of ranges) {
    for (let cp = start; cp <= end; cp++) {
      const c = String.fromCodePoint(cp);
      const f = fold(c);
      if (f !== c && /^[a-z]$/.test(f)) {
        from += c;
        to += f;
      }
    }
  }
  for (let cp = 0x0300; cp <= 0x036f; cp++) from += String.fromCodePoint(cp);
  return { from, to };
}

export const translateTable = buildTranslateTable();
export const multiLetterFolds = Object.entries(special).filter(([, v]) => v.length > 1);
