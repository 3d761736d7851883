import { CsvError, parse } from 'csv-parse/sync';
import type { z } from 'zod';
import { AttendeeInput, Email, Name, text, type ImportPreview, type ImportProblem, type ImportRow } from '@edgewise/shared';
import { AppError } from '../../http/errors';

/**
 * Guest-list CSV: bytes in, a per-row verdict out. Pure (no I/O) so the preview and the
 * commit run exactly the same rules, and so it can be tested alone.
 */

export const MAX_IMPORT_ROWS = 5000;

/** An attendee already on the guest list, keyed by lower-cased email. */
export interface ExistingGuest {
  id: string;
  name: string;
}

type Field = 'name' | 'firstName' | 'lastName' | 'email' | 'company' | 'role' | 'firstTime' | 'host';

/** Header spellings seen in real exports, compared with case, spaces and punctuation removed. */
const synonyms: Record<Field, string[]> = {
  name: ['name', 'fullname', 'attendee', 'attendeename', 'guestname'],
  firstName: ['firstname', 'givenname', 'forename'],
  lastName: ['lastname', 'surname', 'familyname'],
  email: ['email', 'emailaddress', 'mail'],
  company: ['company', 'organisation', 'organization', 'companyname'],
  role: ['role', 'title', 'jobtitle', 'position'],
  firstTime: ['firsttime', 'newcomer', 'firsttimer'],
  host: ['host'],
};

const fieldByHeader = new Map<string, Field>(
  (Object.entries(synonyms) as [Field, string[]][]).flatMap(([field, names]) => names.map((n) => [n, field] as const)),
);

const normaliseHeader = (h: string) =>
  h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

/** The order the preview lists recognised columns in: the AttendeeInput field names. */
const outputColumns = ['name', 'email', 'company', 'role', 'firstTime', 'host'] as const;

export function decodeCsv(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new AppError('csv_malformed', 'The file is empty.');
  let text: string;
  try {
    // Guessing between Latin-1, Windows-1252 and Mac Roman silently garbles names; asking
    // for UTF-8 is one click in every spreadsheet.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError(
      'csv_encoding',
      'The file is not UTF-8 text, so accented and non-Latin names would come out garbled. In your spreadsheet choose "Save as" > "CSV UTF-8 (comma delimited)" and upload that file.',
    );
  }
  // UTF-16 without a byte-order mark decodes as "valid" UTF-8 full of NUL characters.
  if (text.includes('\u0000')) {
    throw new AppError('csv_encoding', 'The file looks like UTF-16 text. In your spreadsheet save it as "CSV UTF-8 (comma delimited)" and upload that file.');
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new AppError('csv_malformed', 'The file is empty.');
  return text;
}

/**
 * Spreadsheets in many locales save with semicolons (the comma is their decimal mark);
 * the header line says which one this file uses.
 */
export function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r\n|\r|\n/, 1)[0] ?? '';
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
  return best;
}

interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * Maps byte offsets to 1-based file lines. csv-parse's own line count drifts after a
 * quoted CRLF, but its byte offsets are exact, so lines are counted here from those.
 */
function lineLocator(bytes: Uint8Array) {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) starts.push(i + 1);
  }
  /** The line of the first content at or after `offset`, past any empty lines. */
  return (offset: number) => {
    let at = offset;
    while (bytes[at] === 0x0a || bytes[at] === 0x0d) at++;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Reads the records with the file line each starts on (quoted values may span lines). */
export function readRecords(text: string): CsvRecord[] {
  const lineAt = lineLocator(new TextEncoder().encode(text));
  let lastEnd = 0;
  const startLines: number[] = [];
  try {
    const records = parse(text, {
      delimiter: detectDelimiter(text),
      // Files stitched together from several tools mix line ends.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: true,
      // Quotes stay strict (no relax_quotes): a relaxed parser would quietly keep stray
      // quotes inside names, and spreadsheets never write them; the error names the line.
      on_record: (cells: string[], info) => {
        startLines.push(lineAt(lastEnd));
        lastEnd = info.bytes;
        return cells;
      },
    });
    return records.map((cells, i) => ({ line: startLines[i] ?? 0, cells }));
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // The record that failed starts where the last good one ended.
    const line = lineAt(lastEnd);
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new AppError('csv_malformed', `Line ${line}: a quoted value starts on this line and is never closed. Check the quotes.`, { line });
    }
    if (err.code === 'CSV_INVALID_CLOSING_QUOTE') {
      throw new AppError(
        'csv_malformed',
        `Line ${line}: a closing quote is followed by more text. Wrap the whole value in quotes and double any quote inside it ("").`,
        { line },
      );
    }
    if (err.code === 'INVALID_OPENING_QUOTE') {
      throw new AppError(
        'csv_malformed',
        `Line ${line}: a quote appears inside a value that is not itself in quotes. Wrap the whole value in quotes and double the quote inside it ("").`,
        { line },
      );
    }
    throw new AppError('csv_malformed', `Line ${line}: this line cannot be read as CSV (${err.message}).`, { line });
  }
}

const isBlankRecord = (r: CsvRecord) => r.cells.every((c) => c.trim() === '');

interface Header {
  index: Map<Field, number>;
  columns: string[];
  unknownColumns: string[];
  width: number;
}

export function mapHeader(cells: string[]): Header {
  const index = new Map<Field, number>();
  const unknownColumns: string[] = [];
  cells.forEach((cell, i) => {
    const field = fieldByHeader.get(normaliseHeader(cell));
    // A second column claiming the same field is not silently merged into the first.
    if (field && !index.has(field)) index.set(field, i);
    else if (cell.trim() !== '') unknownColumns.push(cell.trim());
  });
  if (!index.has('name') && !index.has('firstName') && !index.has('lastName')) {
    throw new AppError(
      'csv_malformed',
      'The file needs a name column: the first line must name the columns, e.g. "name,email,company,role".',
      { columns: cells },
    );
  }
  const found = new Set<string>(index.keys());
  if (found.has('firstName') || found.has('lastName')) found.add('name');
  return { index, columns: outputColumns.filter((c) => found.has(c)), unknownColumns, width: cells.length };
}

const FORMULA_START = /^[=+\-@\t\r]/;
const FORMULA_MESSAGE = 'cells starting with = + - @ are refused: spreadsheets run them as formulas';

/** Leading spaces do not disarm a formula in every spreadsheet, so both forms are checked. */
const looksLikeFormula = (raw: string) => FORMULA_START.test(raw) || FORMULA_START.test(raw.trimStart());

// Shared `text()` allows tabs and line breaks (fine in a note); a name on a badge is one line.
const LINE_BREAK = /[\t\r\n\u2028\u2029]/;

const yes = new Set(['yes', 'y', 'true', '1', 'x']);
const no = new Set(['no', 'n', 'false', '0', '']);

export function parseBoolean(raw: string): boolean | null {
  const v = raw.trim().toLowerCase();
  if (yes.has(v)) return true;
  if (no.has(v)) return false;
  return null;
}

function problemFromZod(field: string, error: z.ZodError, max: number): ImportProblem {
  const issue = error.issues[0];
  if (issue?.code === 'too_big') return { field, code: 'too_long', message: `is longer than ${max} characters` };
  if (issue?.code === 'too_small') return { field, code: 'required', message: 'is required' };
  if (issue?.code === 'custom') return { field, code: 'control_characters', message: 'contains control characters' };
  return { field, code: 'invalid', message: issue?.message ?? 'is not valid' };
}

// AttendeeInput's limits: a name, company or role of up to 120 characters.
const TEXT_MAX = 120;
const companyOrRole = text(TEXT_MAX);

function checkText(field: 'name' | 'company' | 'role', raw: string, problems: ImportProblem[]): string {
  const value = raw.trim();
  if (looksLikeFormula(raw)) {
    problems.push({ field, code: 'formula_injection', message: FORMULA_MESSAGE });
    return value;
  }
  if (LINE_BREAK.test(value)) {
    problems.push({ field, code: 'control_characters', message: 'contains a line break or tab' });
    return value;
  }
  const parsed = (field === 'name' ? Name : companyOrRole).safeParse(raw);
  if (!parsed.success) problems.push(problemFromZod(field, parsed.error, TEXT_MAX));
  return value;
}

const duplicateCodes = new Set(['duplicate_in_file', 'already_registered']);

/** What one data row becomes; `emailKey` is set when the row carries a valid email. */
function checkRow(record: CsvRecord, header: Header): { row: ImportRow; emailKey: string | null } {
  const problems: ImportProblem[] = [];
  const cell = (f: Field) => {
    const i = header.index.get(f);
    return i === undefined ? '' : (record.cells[i] ?? '');
  };
  const data: ImportRow['data'] = {};

  const extra = record.cells.slice(header.width).filter((c) => c.trim() !== '');
  if (extra.length > 0) {
    problems.push({
      field: 'row',
      code: 'too_many_cells',
      message: `has ${record.cells.length} cells but the header has ${header.width}: put values containing the separator in quotes`,
    });
  }

  let rawName = cell('name');
  if (rawName.trim() === '' && (header.index.has('firstName') || header.index.has('lastName'))) {
    rawName = [cell('firstName').trim(), cell('lastName').trim()].filter(Boolean).join(' ');
  }
  data.name = checkText('name', rawName, problems);

  let emailKey: string | null = null;
  if (header.index.has('email')) {
    const raw = cell('email');
    if (raw.trim() !== '') {
      data.email = raw.trim();
      if (looksLikeFormula(raw)) {
        problems.push({ field: 'email', code: 'formula_injection', message: FORMULA_MESSAGE });
      } else {
        const parsed = Email.safeParse(raw);
        if (parsed.success) {
          data.email = parsed.data;
          emailKey = parsed.data;
        } else {
          problems.push({ field: 'email', code: 'invalid_email', message: 'is not an email address' });
        }
      }
    }
  }

  for (const f of ['company', 'role'] as const) {
    if (header.index.has(f)) data[f] = checkText(f, cell(f), problems);
  }

  for (const f of ['firstTime', 'host'] as const) {
    if (!header.index.has(f)) continue;
    const raw = cell(f);
    const value = parseBoolean(raw);
    if (value === null) problems.push({ field: f, code: 'invalid_boolean', message: `"${raw.trim().slice(0, 20)}" is not yes or no` });
    else data[f] = value;
  }

  return { row: { line: record.line, status: 'add', data, problems }, emailKey };
}

function statusOf(problems: ImportProblem[]): ImportRow['status'] {
  if (problems.some((p) => !duplicateCodes.has(p.code))) return 'error';
  return problems.length > 0 ? 'duplicate' : 'add';
}

/**
 * The whole verdict on a file: encoding, shape, then each row. `existing` holds the
 * guests already registered for the event, by lower-cased email.
 */
export function previewGuestCsv(bytes: Uint8Array, existing: ReadonlyMap<string, ExistingGuest>): ImportPreview {
  const records = readRecords(decodeCsv(bytes)).filter((r) => !isBlankRecord(r));
  const [first, ...body] = records;
  if (!first) throw new AppError('csv_malformed', 'The file is empty.');
  const header = mapHeader(first.cells);
  if (body.length > MAX_IMPORT_ROWS) {
    throw new AppError('csv_malformed', `The file has ${body.length} rows; import at most ${MAX_IMPORT_ROWS} at a time (split the file).`);
  }

  const firstLineByEmail = new Map<string, number>();
  const rows = body.map((record) => {
    const { row, emailKey } = checkRow(record, header);
    if (emailKey) {
      const earlier = firstLineByEmail.get(emailKey);
      const registered = existing.get(emailKey);
      if (earlier !== undefined) {
        row.problems.push({ field: 'email', code: 'duplicate_in_file', message: `same email as line ${earlier}` });
      } else {
        firstLineByEmail.set(emailKey, row.line);
        if (registered) {
          row.problems.push({ field: 'email', code: 'already_registered', message: `already on the guest list as ${registered.name}` });
        }
      }
    }
    row.status = statusOf(row.problems);
    return row;
  });

  const summary = { add: 0, error: 0, duplicate: 0 };
  for (const row of rows) summary[row.status]++;
  return { columns: [...header.columns], unknownColumns: header.unknownColumns, rows, summary };
}

/** The attendees an import would add: the rows marked `add`, as validated input. */
export function rowsToAdd(preview: ImportPreview): AttendeeInput[] {
  return preview.rows.filter((r) => r.status === 'add').map((r) => AttendeeInput.parse(r.data));
}
