import { once } from 'node:events';
import type { Response } from 'express';
import { baseLanguage, defaultEventSettings, ticketUrl, topicLookup, topicsIn, type LanguageCode } from '@edgewise/shared';
import { attendeeHeaders, suggestionHeaders } from '../../i18n/csv';
import type { Db } from '@edgewise/db';
import { compareNames } from '../attendees/service';
import { getEvent } from '../events/service';
import { attachmentHeader, BOM, csvRows, type CsvValue } from './csv';
import { attendeeExportRows, pairExportRows, type PairExportRow } from './repo';
import { isoInZone } from './time';

const ROWS_PER_WRITE = 500;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const list = (v: readonly string[] | null | undefined) => (v ?? []).join('; ');

/**
 * Sends a CSV file: BOM and header first, then the rows in chunks that respect the
 * socket's back-pressure, so 10,000 attendees leave as they are formatted instead of as
 * one big string.
 */
async function sendCsv(res: Response, filename: string, header: readonly string[], rows: Iterable<readonly CsvValue[]>) {
  res.status(200);
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', attachmentHeader(filename));
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.write(BOM);
  let chunk: (readonly CsvValue[])[] = [header];
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length === ROWS_PER_WRITE) {
      if (!res.write(csvRows(chunk))) await once(res, 'drain');
      chunk = [];
    }
  }
  res.end(csvRows(chunk));
}

/** The guest list with check-in times and intent, times in the event's own zone. */
export async function exportAttendees(db: Db, eventId: string, res: Response, publicUrl: string, language: LanguageCode = baseLanguage): Promise<void> {
  const event = await getEvent(db, eventId);
  const tz = event.timeZone;
  // Headers and topic labels in the organiser's language (a topic's own label where it has none in it).
  const topic = topicLookup(topicsIn({ ...defaultEventSettings, ...event.settings }.topics, language));
  const rows = await attendeeExportRows(db, eventId);
  rows.sort(compareNames);
  const lines = rows.map((r): CsvValue[] => [
    r.name,
    r.email ?? '',
    r.company,
    r.role,
    r.firstTime,
    r.host || (r.hostOptIn ?? false),
    isoInZone(num(r.firstIn), tz),
    isoInZone(num(r.lastOut), tz),
    r.lastType === 'entry',
    // Each side in its own words: "Investment" in Looking for, "I invest" in Offering.
    list(r.seeks?.map((id) => topic(id).seekLabel)),
    list(r.offers?.map((id) => topic(id).offerLabel)),
    list(r.interests),
    r.askMeAbout ?? '',
    r.ticketSecret ? ticketUrl(publicUrl, r.ticketSecret) : '',
  ]);
  await sendCsv(res, `${event.slug}-attendees.csv`, attendeeHeaders(language), lines);
}

const answered = (answer: string | null) => (answer === 'yes' ? 'yes' : answer === 'no' ? 'no' : '');

/** The pair's state: the furthest either row got (both rows carry it; a missing one says nothing). */
function pairState(r: PairExportRow): string {
  const order = ['met', 'declined', 'mutual', 'accepted_by_one', 'proposed', 'expired'];
  const states = [r.a_state, r.b_state].filter((s): s is string => s !== null);
  for (const s of order) if (states.includes(s)) return s;
  return r.intro_by !== null ? 'mutual' : '';
}

interface Side {
  name: string;
  id: string;
  score: number | null;
  reasons: string | null;
  answer: string | null;
  answeredAt: number | null;
}

const sideA = (r: PairExportRow): Side => ({ name: r.a_name, id: r.a_id, score: num(r.a_score), reasons: r.a_reasons, answer: r.a_answer, answeredAt: num(r.a_answered_at) });
const sideB = (r: PairExportRow): Side => ({ name: r.b_name, id: r.b_id, score: num(r.b_score), reasons: r.b_reasons, answer: r.b_answer, answeredAt: num(r.b_answered_at) });

/** Every pair suggested or introduced, with both sides' answers and the times things happened. */
export async function exportSuggestions(db: Db, eventId: string, res: Response, language: LanguageCode = baseLanguage): Promise<void> {
  const event = await getEvent(db, eventId);
  const tz = event.timeZone;
  // Person A is the one first by name, so a pair reads the same way in every export.
  const pairs = (await pairExportRows(db, eventId)).map((r) => {
    const [a, b] = [sideA(r), sideB(r)];
    return compareNames(b, a) < 0 ? { r, a: b, b: a } : { r, a, b };
  });
  pairs.sort((x, y) => compareNames(x.a, y.a) || compareNames(x.b, y.b));
  const lines = pairs.map(({ r, a, b }): CsvValue[] => {
    // The pair's score: both directions averaged when both exist.
    const score = a.score !== null && b.score !== null ? (a.score + b.score) / 2 : (a.score ?? b.score);
    return [
      a.name,
      b.name,
      pairState(r),
      score === null ? null : Math.round(score * 1000) / 1000,
      a.reasons ?? '',
      b.reasons ?? '',
      answered(a.answer),
      isoInZone(a.answeredAt, tz),
      answered(b.answer),
      isoInZone(b.answeredAt, tz),
      isoInZone(num(r.created_at), tz),
      isoInZone(num(r.mutual_at), tz),
      isoInZone(num(r.met_at), tz),
      r.intro_by ?? '',
      r.intro_message ?? '',
      isoInZone(num(r.intro_at), tz),
    ];
  });
  await sendCsv(res, `${event.slug}-suggestions.csv`, suggestionHeaders(language), lines);
}
