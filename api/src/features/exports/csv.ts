/**
 * Spreadsheet-safe CSV: what an organiser opens in Excel, Numbers or Google Sheets must
 * show the text people typed, never run it. Pure, so the rules can be tested alone.
 */
import { stringify, type Options } from 'csv-stringify/sync';

/**
 * csv-stringify writes the CSV (quoting, doubled quotes, CRLF) and already neutralises a
 * cell starting with = + - @, a tab or a carriage return (or their full-width forms) with
 * a leading apostrophe, the spreadsheets' own "this is text" mark. Our rule on top: the
 * same after leading spaces, which do not disarm a formula everywhere.
 */
const FORMULA_AFTER_SPACES = /^\s+[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The byte-order mark Excel needs to read UTF-8 (without it, "José" comes out "JosÃ©"). */
export const BOM = '\uFEFF';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * Every text cell is quoted, so commas, quotes and line breaks inside stay inside; numbers
 * are written as numbers (not a number: empty), yes/no for booleans, nothing for null.
 */
const options: Options = {
  quoted_string: true,
  escape_formulas: true,
  record_delimiter: 'windows',
  cast: {
    string: (value) => (FORMULA_AFTER_SPACES.test(value) ? `'${value}` : value),
    number: (value) => (Number.isFinite(value) ? String(value) : ''),
    boolean: (value) => (value ? 'yes' : 'no'),
  },
};

/** Rows of spreadsheet-safe CSV, each ending in CRLF. */
export function csvRows(rows: readonly (readonly CsvValue[])[]): string {
  return rows.length === 0 ? '' : stringify(rows as CsvValue[][], options);
}

export function csvRow(values: readonly CsvValue[]): string {
  return csvRows([values]);
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
