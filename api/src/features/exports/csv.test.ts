import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { attachmentHeader, BOM, csvCell, csvRow, safeFilename } from './csv';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+2', `"'+1+2"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
    ['   =1+1', `"'   =1+1"`],
  ])('neutralises the formula %j', (raw, cell) => {
    expect(csvCell(raw)).toBe(cell);
  });

  it('leaves ordinary text as it is, quoted, with quotes doubled', () => {
    expect(csvCell('Ana "the designer" Sousa, Lisbon')).toBe('"Ana ""the designer"" Sousa, Lisbon"');
    expect(csvCell('a-b = c')).toBe('"a-b = c"');
  });

  it('writes numbers, booleans and empty values plainly', () => {
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(true)).toBe('yes');
    expect(csvCell(false)).toBe('no');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });
});

describe('csvRow', () => {
  it('round-trips through a CSV parser, line breaks and non-ASCII included', () => {
    const rows = [
      ['Zoë Åberg', 'line one\nline two', '李小龍', '=1+1'],
      ['', 'comma, inside', 'quote " inside', 'tail'],
    ];
    const text = BOM + rows.map((r) => csvRow(r)).join('');
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
