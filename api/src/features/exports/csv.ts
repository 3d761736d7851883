/**
 * Spreadsheet-safe CSV: what an organiser opens in Excel, Numbers or Google Sheets must
 * show the text people typed, never run it. Pure, so the rules can be tested alone.
 */

/** A cell a spreadsheet would read as a formula (or a DDE command) when it starts so. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The byte-order mark Excel needs to read UTF-8 (without it, "José" comes out "JosÃ©"). */
export const BOM = '\uFEFF';
export const CRLF = '\r\n';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * One cell. Text starting with = + - @, a tab or a carriage return (also after leading
 * spaces, which do not disarm a formula everywhere) gets a leading apostrophe, the
 * spreadsheets' own "this is text" mark. Every text cell is quoted and its quotes doubled,
 * so commas, quotes and line breaks inside stay inside. Numbers are written as numbers.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const text = FORMULA_START.test(value) || FORMULA_START.test(value.trimStart()) ? `'${value}` : value;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',') + CRLF;
}

/** A file name for Content-Disposition: letters, digits, dots and dashes only. */
export function safeFilename(name: string): string {
  const cleaned = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 100);
  return cleaned || 'export';
}

export function attachmentHeader(filename: string): string {
  const safe = safeFilename(filename);
  return `attachment; filename="${safe}"; filename*=UTF-8''${encodeURIComponent(safe)}`;
}
