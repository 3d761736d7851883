import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { attachmentHeader, BOM, csvRow, csvRows, safeFilename, type CsvValue } from './csv';

/** One value as csvRow writes it, without the line end. */
const cell = (value: CsvValue) => csvRow([value]).slice(0, -2);

describe('a CSV cell', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+2', `"'+1+2"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
    ['   =1+1', `"'   =1+1"`],
    [' \t@A1', `"' \t@A1"`],
    ['\uFF1D1+1', `"'\uFF1D1+1"`],
    ['  \uFF0B1', `"'  \uFF0B1"`],
  ])('neutralises the formula %j', (raw, written) => {
    expect(cell(raw)).toBe(written);
  });

  it('leaves ordinary text as it is, quoted, with quotes doubled', () => {
    expect(cell('Ana "the designer" Sousa, Lisbon')).toBe('"Ana ""the designer"" Sousa, Lisbon"');
    expect(cell('a-b = c')).toBe('"a-b = c"');
  });

  it('writes numbers, booleans and empty values plainly', () => {
    expect(cell(-1.5)).toBe('-1.5');
    expect(cell(true)).toBe('yes');
    expect(cell(false)).toBe('no');
    expect(cell(null)).toBe('');
    expect(cell(Number.NaN)).toBe('');
    expect(cell(undefined)).toBe('');
    expect(cell('')).toBe('""');
  });
});

describe('csvRow', () => {
  it('round-trips through a CSV parser, line breaks and non-ASCII included', () => {
    const rows = [
      ['Zoë Åberg', 'line one\nline two', '李小龍', '=1+1'],
      ['', 'comma, inside', 'quote " inside', 'tail'],
    ];
    const text = BOM + csvRows(rows);
    expect(text.endsWith('\r\n')).toBe(true);
    const parsed = parse(text, { bom: true }) as string[][];
    expect(parsed).toEqual([
      ['Zoë Åberg', 'line one\nline two', '李小龍', "'=1+1"],
      ['', 'comma, inside', 'quote " inside', 'tail'],
    ]);
  });
});

describe('safeFilename', () => {
  it('keeps letters, digits, dots and dashes only', () => {
    expect(safeFilename('Climate "Night"/../x.csv')).toBe('Climate-Night-..-x.csv');
    expect(safeFilename('José Müller.vcf')).toBe('Jose-Muller.vcf');
    expect(safeFilename('李')).toBe('export');
  });

  it('makes a header with no way to break out of the quotes', () => {
    expect(attachmentHeader('a"b\r\nc.csv')).toBe(`attachment; filename="a-b-c.csv"; filename*=UTF-8''a-b-c.csv`);
  });
});
