/**
 * The arrival trace the simulator replays: one CSV row per attendee.
 *
 *   id,arrive_s,leave_s,first_time,seeks,offers,interests,knows
 *   p01,0,5400,true,Investors|Advice,Engineering,Climate|AI,p07|p12
 *
 * Times are seconds from the start of the evening; `leave_s` empty means staying to the end;
 * tag lists and `knows` (ids of people already known) are separated by `|`. Parsing is
 * strict: every problem is reported with its line, and nothing is replayed from a trace
 * with problems, so a typo cannot silently turn into a different evening.
 */

import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export const TRACE_COLUMNS = ['id', 'arrive_s', 'leave_s', 'first_time', 'seeks', 'offers', 'interests', 'knows'] as const;
export const TRACE_HEADER = TRACE_COLUMNS.join(',');

/** The API's own limits (IntentBody, Tag), checked here so a replay does not fail halfway. */
export const TRACE_LIMITS = { seeks: 5, offers: 5, interests: 8, tagLength: 40, idLength: 64 } as const;

export interface TraceRow {
  id: string;
  arriveS: number;
  /** Null: stays to the end. */
  leaveS: number | null;
  firstTime: boolean;
  seeks: string[];
  offers: string[];
  interests: string[];
  knows: string[];
}

export interface TraceProblem {
  line: number;
  message: string;
}

export class TraceError extends Error {
  constructor(readonly problems: TraceProblem[]) {
    const shown = problems.slice(0, 10).map((p) => `  line ${p.line}: ${p.message}`);
    const more = problems.length > 10 ? [`  ... and ${problems.length - 10} more`] : [];
    super([`the trace has ${problems.length} problem${problems.length === 1 ? '' : 's'}:`, ...shown, ...more].join('\n'));
    this.name = 'TraceError';
  }
}

interface CsvRecord {
  line: number;
  fields: string[];
}

/** csv-parse's refusals, said the way the rest of the trace's problems are. */
const SYNTAX: Record<string, string> = {
  INVALID_OPENING_QUOTE: 'a quote in the middle of a field (quote the whole field and double inner quotes)',
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote',
  CSV_QUOTE_NOT_CLOSED: 'a quote opened in this row is never closed',
};

/**
 * RFC 4180 records (read by csv-parse) with the physical line each starts on. Quoted
 * fields may hold commas, quotes ("") and line breaks. A quote gone wrong is a problem,
 * not a silent merge: it is reported on the line of the row it is in, and nothing after it
 * is read (what follows an unbalanced quote cannot be told apart from the field).
 */
export function readCsvRecords(text: string, problems: TraceProblem[]): CsvRecord[] {
  const records: CsvRecord[] = [];
  // One kind of line end, so csv-parse counts lines as an editor does.
  const lines = text.replace(/\r\n?/g, '\n');
  let lastLine = 0;
  try {
    parse(lines, {
      bom: true,
      // A blank line carries no attendee; skipping it keeps hand-edited traces forgiving.
      skip_empty_lines: true,
      // The number of fields is checked per row, with the row's line.
      relax_column_count: true,
      on_record: (fields: string[], { lines: end }) => {
        // `lines` is where the record ends; the line breaks inside its fields say where it began.
        records.push({ line: end - fields.reduce((n, f) => n + f.split('\n').length - 1, 0), fields });
        lastLine = end;
        return null;
      },
    });
  } catch (err) {
    const message = err instanceof CsvError ? SYNTAX[err.code] : undefined;
    if (!(err instanceof CsvError) || !message) throw err;
    // A stray quote is reported where it stands. One never closed is noticed at the end of
    // the file; it opened in the first row after the last one read.
    const firstUnread = lastLine + 1 + lines.split('\n').slice(lastLine).findIndex((l) => l !== '');
    const line = err.code !== 'CSV_QUOTE_NOT_CLOSED' && typeof err.lines === 'number' ? err.lines : firstUnread;
    problems.push({ line, message });
  }
  return records;
}

const ID = /^[A-Za-z0-9_.-]+$/;
const NUMBER = /^\d+(\.\d+)?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function parseTags(raw: string, column: string, max: number, line: number, problems: TraceProblem[]): string[] {
  if (raw.trim() === '') return [];
  const tags: string[] = [];
  const seen = new Set<string>();
  for (const part of raw.split('|')) {
    const tag = part.trim();
    if (tag === '') problems.push({ line, message: `${column}: an empty tag (two "|" in a row, or one at an end)` });
    else if (tag.length > TRACE_LIMITS.tagLength) problems.push({ line, message: `${column}: "${tag.slice(0, 20)}..." is longer than ${TRACE_LIMITS.tagLength} characters` });
    else if (CONTROL.test(tag)) problems.push({ line, message: `${column}: a tag holds a control character` });
    else if (seen.has(tag.toLowerCase())) problems.push({ line, message: `${column}: "${tag}" appears twice` });
    else {
      seen.add(tag.toLowerCase());
      tags.push(tag);
    }
  }
  if (tags.length > max) problems.push({ line, message: `${column}: ${tags.length} tags, at most ${max} allowed` });
  return tags;
}

function parseSeconds(raw: string, column: string, line: number, problems: TraceProblem[]): number | null {
  const s = raw.trim();
  if (!NUMBER.test(s)) {
    problems.push({ line, message: `${column}: "${raw}" is not a number of seconds (digits, optionally with a decimal point)` });
    return null;
  }
  return Number(s);
}

function parseBool(raw: string, line: number, problems: TraceProblem[]): boolean {
  const s = raw.trim().toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  problems.push({ line, message: `first_time: "${raw}" is not one of true, false, 1, 0` });
  return false;
}

/** Parses and checks a whole trace; throws a TraceError listing every problem with its line. */
export function parseTrace(text: string): TraceRow[] {
  const problems: TraceProblem[] = [];
  const records = readCsvRecords(text, problems);
  const [header, ...body] = records;
  if (!header) throw new TraceError([{ line: 1, message: `the trace is empty; it starts with the header ${TRACE_HEADER}` }]);
  const got = header.fields.map((f) => f.trim()).join(',');
  if (got !== TRACE_HEADER) {
    throw new TraceError([...problems, { line: header.line, message: `the header must be exactly "${TRACE_HEADER}", not "${got}"` }]);
  }
  // A row that could not be read is the problem to report, not the rows missing after it.
  if (body.length === 0 && problems.length === 0) problems.push({ line: header.line + 1, message: 'no attendees after the header' });

  const rows: TraceRow[] = [];
  const lineOf = new Map<string, number>();
  for (const { line, fields } of body) {
    if (fields.length !== TRACE_COLUMNS.length) {
      problems.push({ line, message: `${fields.length} fields, expected ${TRACE_COLUMNS.length} (${TRACE_HEADER})` });
      continue;
    }
    const [rawId, rawArrive, rawLeave, rawFirst, rawSeeks, rawOffers, rawInterests, rawKnows] = fields as [string, string, string, string, string, string, string, string];
    const id = rawId.trim();
    if (id === '') problems.push({ line, message: 'id: empty' });
    else if (!ID.test(id) || id.length > TRACE_LIMITS.idLength) {
      problems.push({ line, message: `id: "${id}" must be 1 to ${TRACE_LIMITS.idLength} letters, digits, "_", "-" or "."` });
    } else if (lineOf.has(id)) problems.push({ line, message: `id: "${id}" is already used on line ${lineOf.get(id)}` });
    else lineOf.set(id, line);

    const arriveS = parseSeconds(rawArrive, 'arrive_s', line, problems);
    let leaveS: number | null = null;
    if (rawLeave.trim() !== '') {
      leaveS = parseSeconds(rawLeave, 'leave_s', line, problems);
      if (leaveS !== null && arriveS !== null && leaveS <= arriveS) {
        problems.push({ line, message: `leave_s: ${leaveS} is not after arrive_s ${arriveS}` });
      }
    }
    const firstTime = parseBool(rawFirst, line, problems);
    const seeks = parseTags(rawSeeks, 'seeks', TRACE_LIMITS.seeks, line, problems);
    const offers = parseTags(rawOffers, 'offers', TRACE_LIMITS.offers, line, problems);
    const interests = parseTags(rawInterests, 'interests', TRACE_LIMITS.interests, line, problems);
    const knows = rawKnows.trim() === '' ? [] : rawKnows.split('|').map((k) => k.trim());
    rows.push({ id, arriveS: arriveS ?? 0, leaveS, firstTime, seeks, offers, interests, knows });
  }

  // `knows` may point forward, so it is checked once every id is known.
  for (const row of rows) {
    const line = lineOf.get(row.id) ?? 0;
    const seen = new Set<string>();
    for (const k of row.knows) {
      if (k === '') problems.push({ line, message: 'knows: an empty id (two "|" in a row, or one at an end)' });
      else if (k === row.id) problems.push({ line, message: `knows: "${k}" is this attendee` });
      else if (!lineOf.has(k)) problems.push({ line, message: `knows: "${k}" is not an id in this trace` });
      else if (seen.has(k)) problems.push({ line, message: `knows: "${k}" appears twice` });
      seen.add(k);
    }
  }
  if (problems.length > 0) throw new TraceError(problems.sort((a, b) => a.line - b.line));
  return rows;
}

/** The CSV text of a trace; `parseTrace(formatTrace(rows))` gives the rows back. */
export function formatTrace(rows: readonly TraceRow[]): string {
  const records = rows.map((r) => [
    r.id,
    String(r.arriveS),
    r.leaveS === null ? '' : String(r.leaveS),
    r.firstTime ? 'true' : 'false',
    r.seeks.join('|'),
    r.offers.join('|'),
    r.interests.join('|'),
    r.knows.join('|'),
  ]);
  return stringify([[...TRACE_COLUMNS], ...records]);
}

/** Every tag a trace uses, for the event's lists: intent tags (seeks and offers) and interests. */
export function tagsOf(rows: readonly TraceRow[]): { intentTags: string[]; interestTags: string[] } {
  const collect = (pick: (r: TraceRow) => string[]) => {
    const byKey = new Map<string, string>();
    for (const r of rows) for (const t of pick(r)) if (!byKey.has(t.toLowerCase())) byKey.set(t.toLowerCase(), t);
    return [...byKey.values()].sort((a, b) => a.localeCompare(b));
  };
  return { intentTags: collect((r) => [...r.seeks, ...r.offers]), interestTags: collect((r) => r.interests) };
}
