import { CsvError, parse } from 'csv-parse/sync';
import type { z } from 'zod';
import {
  AttendeeInput,
  Email,
  Name,
  resolveTopic,
  text,
  type AttendeePatch,
  type ImportColumn,
  type ImportEncoding,
  type ImportField,
  type ImportPreview,
  type ImportProblem,
  type ImportRow,
  type Topic,
} from '@edgewise/shared';
import { AppError } from '../../http/errors';

/**
 * Guest-list CSV: bytes in, a per-row verdict out. Pure (no I/O) so the preview and the
 * commit run exactly the same rules, and so it can be tested alone. Files come from
 * spreadsheets and from ticketing services (Eventbrite, pretix, Luma, Meetup, Google
 * Forms), so the encoding and separator are detected and their headers recognised.
 */

export const MAX_IMPORT_ROWS = 5000;

/** An attendee already on the guest list, keyed by lower-cased email. */
export interface ExistingGuest {
  id: string;
  name: string;
  company: string;
  role: string;
  firstTime: boolean;
  host: boolean;
  /** Has stated an intent (theirs is never overwritten by a file). */
  hasIntent?: boolean;
}

/** The event's vocabulary, which the intent columns are checked against. */
export interface Vocabulary {
  topics: readonly Topic[];
  interests: readonly string[];
}

/**
 * Header spellings, compared with case, spaces and punctuation removed, best first: where
 * an export has two candidates (pretix's order "Email" and its "Attendee email") the
 * earlier alias wins. Sources: Eventbrite's attendee report (First Name, Last Name, Email,
 * Job Title, Company), pretix's order data (Attendee name, its Given/Family name parts,
 * Attendee email, Company), Luma's guest export (name, first_name, last_name, email),
 * Meetup's RSVP list (Name), Google Forms (Email Address plus the form's questions).
 */
const aliases: Record<ImportField, string[]> = {
  name: ['name', 'fullname', 'attendeename', 'attendee', 'guestname', 'yourname', 'participantname', 'participant'],
  firstName: ['firstname', 'attendeenamegivenname', 'givenname', 'forename', 'first', 'vorname', 'prenom'],
  lastName: ['lastname', 'attendeenamefamilyname', 'familyname', 'surname', 'last', 'nachname', 'nom'],
  email: ['attendeeemail', 'email', 'emailaddress', 'youremail', 'youremailaddress', 'mail', 'buyeremail'],
  company: ['company', 'attendeecompany', 'companyname', 'organisation', 'organization', 'companyorganization', 'employer'],
  role: ['role', 'jobtitle', 'attendeejobtitle', 'title', 'position', 'jobrole'],
  firstTime: ['firsttime', 'firsttimer', 'newcomer', 'firstevent', 'isthisyourfirsttime'],
  host: ['host', 'volunteerhost', 'canhost'],
  seeks: ['lookingfor', 'seeks', 'seeking', 'imlookingfor', 'iamlookingfor', 'whatareyoulookingfor'],
  offers: ['offering', 'offers', 'canoffer', 'icanoffer', 'whatcanyouoffer'],
  interests: ['interests', 'interestedin', 'iminto', 'into'],
};

// "Attendee #" (Eventbrite's attendee number) is not the attendee: '#' reads as "number".
const normaliseHeader = (h: string) =>
  h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/#/g, 'number')
    .replace(/[^\p{L}\p{N}]+/gu, '');

// Decoding ------------------------------------------------------------------

export interface Decoded {
  text: string;
  encoding: ImportEncoding;
  bom: boolean;
}

/** Which half of each 16-bit unit is mostly zero in an ASCII-heavy UTF-16 file without a BOM. */
function utf16Guess(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length - (bytes.length % 2), 2000);
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const units = n / 2;
  if (oddZero > units * 0.3 && evenZero < units * 0.05) return 'utf-16le';
  if (evenZero > units * 0.3 && oddZero < units * 0.05) return 'utf-16be';
  return null;
}

/**
 * UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode text", by its BOM or its zero
 * bytes) and, for bytes that are not valid UTF-8, Windows-1252: the single-byte encoding
 * of Western European spreadsheets, a superset of Latin-1's printable characters. Valid
 * UTF-8 is almost never produced by accident from accented Windows-1252 text, so the
 * order of the attempts decides right; the preview shows the converted names to confirm.
 */
export function decodeCsv(bytes: Uint8Array): Decoded {
  if (bytes.length === 0) throw new AppError('csv_malformed', 'The file is empty.');
  let decoded: Decoded;
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) {
    decoded = { text: utf8(bytes.subarray(3)), encoding: 'utf-8', bom: true };
  } else if (b0 === 0xff && b1 === 0xfe) {
    decoded = { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', bom: true };
  } else if (b0 === 0xfe && b1 === 0xff) {
    decoded = { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', bom: true };
  } else {
    const utf16 = utf16Guess(bytes);
    if (utf16) {
      decoded = { text: new TextDecoder(utf16).decode(bytes), encoding: utf16, bom: false };
    } else {
      try {
        decoded = { text: utf8(bytes), encoding: 'utf-8', bom: false };
      } catch {
        decoded = { text: windows1252(bytes), encoding: 'windows-1252', bom: false };
      }
    }
  }
  // Zero bytes are in no text file we can read: a spreadsheet's binary format, an image...
  if (decoded.text.includes('\u0000')) {
    throw new AppError(
      'csv_encoding',
      'The file is not text (it contains zero bytes): in your spreadsheet choose "Save as" > "CSV" and upload that file.',
    );
  }
  if (decoded.text.trim() === '') throw new AppError('csv_malformed', 'The file is empty.');
  return decoded;
}

/** Windows-1252's characters at 0x80-0x9F (the rest is Latin-1); 0 marks its five unused bytes. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/**
 * Node's TextDecoder('windows-1252') decodes as ISO-8859-1 (its 0x80-0x9F come out as C1
 * controls, not as the euro sign and curly quotes Excel wrote), so the C1 range is mapped
 * here; an unused byte stays a control character, which the row checks then refuse.
 */
function windows1252(bytes: Uint8Array): string {
  const latin1 = new TextDecoder('latin1').decode(bytes);
  return latin1.replace(/[\u0080-\u009f]/g, (c) => {
    const mapped = CP1252_HIGH[c.charCodeAt(0) - 0x80];
    return mapped ? String.fromCharCode(mapped) : c;
  });
}

const utf8 = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);

// Separators ----------------------------------------------------------------

export type Delimiter = ',' | ';' | '\t';
const delimiters: Delimiter[] = [',', ';', '\t'];

/** Excel's "sep=;" first line names the separator and is not part of the data. */
const SEP_LINE = /^sep=([,;\t])\s*$/i;

/** Separators per line outside quotes, for the first lines of the file (a sample). */
function separatorCounts(lines: string[], d: string): number[] {
  return lines.map((line) => {
    let quoted = false;
    let n = 0;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === d) n++;
    }
    return n;
  });
}

/**
 * Comma, semicolon (spreadsheets where the comma is the decimal mark, pretix's option) or
 * tab (copied from a sheet, Excel's "Unicode text"). The separator that splits the header
 * and the lines below it into the same number of cells wins: a semicolon file whose
 * company names hold commas is still a semicolon file.
 */
export function detectDelimiter(text: string): Delimiter {
  const lines = text.split(/\r\n|\r|\n/, 21).filter((l) => l.trim() !== '');
  const sep = SEP_LINE.exec(lines[0] ?? '');
  if (sep) return sep[1] as Delimiter;
  const sample = lines.slice(0, 20);
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const d of delimiters) {
    const counts = separatorCounts(sample, d);
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const agreeing = counts.filter((c) => c === header).length;
    // Agreement of the rows with the header first, then the number of columns it makes.
    const score = (agreeing / counts.length) * 1000 + header;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
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
export function readRecords(text: string, delimiter: Delimiter = detectDelimiter(text)): CsvRecord[] {
  const lineAt = lineLocator(new TextEncoder().encode(text));
  // Blank the "sep=" line rather than cut it, so line numbers stay those of the file.
  const firstBreak = text.search(/\r\n|\r|\n|$/);
  const body = SEP_LINE.test(text.slice(0, firstBreak)) ? ' '.repeat(new TextEncoder().encode(text.slice(0, firstBreak)).length) + text.slice(firstBreak) : text;
  let lastEnd = 0;
  const startLines: number[] = [];
  try {
    const records = parse(body, {
      delimiter,
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

// Columns -------------------------------------------------------------------

interface Header {
  index: Map<ImportField, number>;
  columns: ImportColumn[];
  width: number;
}

/** A column index to a field, or null to ignore it: the organiser's own choices. */
export type ManualMapping = ReadonlyMap<number, ImportField | null>;

/**
 * Which column becomes which field: the organiser's mapping first, then for each field the
 * column whose header is its best alias. A field is filled from one column only.
 */
export function mapHeader(cells: string[], manual: ManualMapping = new Map()): Header {
  const index = new Map<ImportField, number>();
  const by = new Map<number, ImportColumn['by']>();
  for (const [i, field] of manual) {
    if (i >= cells.length) throw new AppError('csv_malformed', `The mapping names column ${i + 1}, but the file has ${cells.length} columns.`);
    if (field && index.has(field)) throw new AppError('csv_malformed', `The mapping gives two columns to "${field}": choose one.`);
    if (field) index.set(field, i);
    by.set(i, field ? 'manual' : 'none');
  }
  const normalised = cells.map(normaliseHeader);
  for (const [field, names] of Object.entries(aliases) as [ImportField, string[]][]) {
    if (index.has(field)) continue;
    let best: { rank: number; column: number } | null = null;
    normalised.forEach((h, column) => {
      const rank = names.indexOf(h);
      if (rank < 0 || by.has(column)) return;
      if (!best || rank < best.rank) best = { rank, column };
    });
    const chosen = best as { rank: number; column: number } | null;
    if (chosen) {
      index.set(field, chosen.column);
      by.set(chosen.column, 'alias');
    }
  }
  const fieldAt = new Map([...index].map(([f, i]) => [i, f] as const));
  const columns = cells.map((header, i): ImportColumn => ({ index: i, header: header.trim(), field: fieldAt.get(i) ?? null, by: by.get(i) ?? 'none' }));
  if (!index.has('name') && !index.has('firstName') && !index.has('lastName')) {
    // The columns go with the refusal so the organiser can say which one holds the names.
    throw new AppError(
      'csv_malformed',
      'The file needs a name column (or first and last name columns), and no column header here reads as one. Choose the column that holds the names, or make the first line name the columns, e.g. "name,email,company,role".',
      { columns },
    );
  }
  return { index, columns, width: cells.length };
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

const brokenCodes = new Set(['duplicate_in_file']);

interface CheckedRow {
  row: ImportRow;
  emailKey: string | null;
  /** Boolean fields whose cell was empty: "not said", which an update leaves as stored. */
  blank: Set<ImportField>;
}

// The API's caps on an intent.
const MAX_TOPICS = 5;
const MAX_INTERESTS = 8;

/**
 * The intent columns of a row: `|`-separated labels (either side of a topic; interests as
 * the event spells them), each checked against the event's vocabulary.
 */
function checkIntent(cell: (f: ImportField) => string, header: Header, vocabulary: Vocabulary, problems: ImportProblem[]): ImportRow['intent'] {
  const fields = (['seeks', 'offers', 'interests'] as const).filter((f) => header.index.has(f));
  if (fields.length === 0) return undefined;
  const out = { seeks: [] as string[], offers: [] as string[], interests: [] as string[], lookingFor: [] as string[], offering: [] as string[] };
  for (const f of fields) {
    const raw = cell(f);
    if (looksLikeFormula(raw)) {
      problems.push({ field: f, code: 'formula_injection', message: FORMULA_MESSAGE });
      continue;
    }
    const names = raw.split('|').map((x) => x.trim()).filter(Boolean);
    for (const name of names) {
      if (f === 'interests') {
        const interest = vocabulary.interests.find((i) => i.toLocaleLowerCase() === name.toLocaleLowerCase());
        if (!interest) problems.push({ field: f, code: 'unknown_tag', message: `"${name.slice(0, 40)}" is not one of this event's interests` });
        else if (!out.interests.includes(interest)) out.interests.push(interest);
        continue;
      }
      const topic = resolveTopic(vocabulary.topics, name);
      if (!topic) problems.push({ field: f, code: 'unknown_tag', message: `"${name.slice(0, 40)}" is not one of this event's topics` });
      else if (!out[f].includes(topic.id)) {
        out[f].push(topic.id);
        (f === 'seeks' ? out.lookingFor : out.offering).push(f === 'seeks' ? topic.seekLabel : topic.offerLabel);
      }
    }
    const max = f === 'interests' ? MAX_INTERESTS : MAX_TOPICS;
    if (out[f].length > max) problems.push({ field: f, code: 'too_many', message: `names ${out[f].length}: pick at most ${max}` });
  }
  return out.seeks.length + out.offers.length + out.interests.length > 0 ? out : undefined;
}

/** What one data row becomes; `emailKey` is set when the row carries a valid email. */
function checkRow(record: CsvRecord, header: Header, vocabulary: Vocabulary): CheckedRow {
  const problems: ImportProblem[] = [];
  const blank = new Set<ImportField>();
  const cell = (f: ImportField) => {
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
    if (raw.trim() === '') blank.add(f);
    const value = parseBoolean(raw);
    if (value === null) problems.push({ field: f, code: 'invalid_boolean', message: `"${raw.trim().slice(0, 20)}" is not yes or no` });
    else data[f] = value;
  }

  const intent = checkIntent(cell, header, vocabulary, problems);
  return { row: { line: record.line, status: 'add', data, problems, ...(intent && { intent }) }, emailKey, blank };
}

/**
 * What an import changes on a guest already registered with the row's email: the fields
 * the file has a value for that differ. An empty cell keeps what is stored (an export
 * without a company does not erase the one an organiser typed).
 */
export function updateOf(row: ImportRow, blank: ReadonlySet<ImportField>, existing: ExistingGuest): { patch: AttendeePatch; changes: ImportField[] } {
  const patch: AttendeePatch = {};
  const changes: ImportField[] = [];
  const { data } = row;
  if (data.name !== undefined && data.name !== existing.name) patch.name = data.name;
  for (const f of ['company', 'role'] as const) {
    const v = data[f];
    if (v !== undefined && v !== '' && v !== existing[f]) patch[f] = v;
  }
  for (const f of ['firstTime', 'host'] as const) {
    const v = data[f];
    if (v !== undefined && !blank.has(f) && v !== existing[f]) patch[f] = v;
  }
  for (const f of Object.keys(patch) as ImportField[]) changes.push(f);
  // An intent from the file is stored only for a guest who has not stated one.
  if (row.intent && !existing.hasIntent) {
    for (const f of ['seeks', 'offers', 'interests'] as const) if (row.intent[f].length > 0) changes.push(f);
  }
  return { patch, changes };
}

function statusOf(problems: ImportProblem[]): ImportRow['status'] {
  if (problems.some((p) => !brokenCodes.has(p.code))) return 'error';
  return problems.length > 0 ? 'duplicate' : 'add';
}

export interface GuestCsv {
  preview: ImportPreview;
  /** The header cells as written, and each row's cells, for the broken-rows file. */
  headerCells: string[];
  cellsByLine: ReadonlyMap<number, string[]>;
  /** For each `update` row, by line: the changes to store. */
  patches: ReadonlyMap<number, { attendeeId: string; patch: AttendeePatch }>;
}

/**
 * The whole verdict on a file: encoding, separator, columns, then each row. `existing`
 * holds the guests already registered for the event, by lower-cased email.
 */
export function readGuestCsv(
  bytes: Uint8Array,
  existing: ReadonlyMap<string, ExistingGuest>,
  manual?: ManualMapping,
  vocabulary: Vocabulary = { topics: [], interests: [] },
): GuestCsv {
  const { text: decoded, encoding, bom } = decodeCsv(bytes);
  const delimiter = detectDelimiter(decoded);
  const records = readRecords(decoded, delimiter).filter((r) => !isBlankRecord(r));
  const [first, ...body] = records;
  if (!first) throw new AppError('csv_malformed', 'The file is empty.');
  const header = mapHeader(first.cells, manual);
  if (body.length > MAX_IMPORT_ROWS) {
    throw new AppError('csv_malformed', `The file has ${body.length} rows; import at most ${MAX_IMPORT_ROWS} at a time (split the file).`);
  }

  const firstLineByEmail = new Map<string, number>();
  const patches = new Map<number, { attendeeId: string; patch: AttendeePatch }>();
  const rows = body.map((record) => {
    const { row, emailKey, blank } = checkRow(record, header, vocabulary);
    let registered: ExistingGuest | undefined;
    if (emailKey) {
      const earlier = firstLineByEmail.get(emailKey);
      if (earlier !== undefined) {
        row.problems.push({ field: 'email', code: 'duplicate_in_file', message: `same email as line ${earlier}` });
      } else {
        firstLineByEmail.set(emailKey, row.line);
        registered = existing.get(emailKey);
      }
    }
    row.status = statusOf(row.problems);
    if (row.status === 'add' && registered) {
      const { patch, changes } = updateOf(row, blank, registered);
      row.attendeeId = registered.id;
      row.changes = changes;
      row.status = changes.length > 0 ? 'update' : 'unchanged';
      if (changes.length > 0) patches.set(row.line, { attendeeId: registered.id, patch });
    }
    return row;
  });

  const summary = { add: 0, update: 0, unchanged: 0, error: 0, duplicate: 0 };
  for (const row of rows) summary[row.status]++;
  return {
    preview: { encoding, bom, delimiter, columns: header.columns, rows, summary },
    headerCells: first.cells,
    cellsByLine: new Map(body.map((r) => [r.line, r.cells])),
    patches,
  };
}

export const previewGuestCsv = (bytes: Uint8Array, existing: ReadonlyMap<string, ExistingGuest>, manual?: ManualMapping, vocabulary?: Vocabulary): ImportPreview =>
  readGuestCsv(bytes, existing, manual, vocabulary).preview;

/** The attendees an import would add: the rows marked `add`, as validated input. */
export function rowsToAdd(preview: ImportPreview): AttendeeInput[] {
  return preview.rows.filter((r) => r.status === 'add').map((r) => AttendeeInput.parse(r.data));
}

/** Why a row is broken, in one cell: "Email: is not an email address; Name: is required". */
export function problemText(row: ImportRow, label: (field: string) => string): string {
  return row.problems.map((p) => `${label(p.field)}: ${p.message}`).join('; ');
}
