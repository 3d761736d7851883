import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatTrace, parseTrace, readCsvRecords, tagsOf, TRACE_HEADER, TraceError, type TraceRow } from './trace';

const trace = (...rows: string[]) => [TRACE_HEADER, ...rows].join('\n');

function problemsOf(text: string) {
  try {
    parseTrace(text);
  } catch (err) {
    if (err instanceof TraceError) return err.problems;
    throw err;
  }
  throw new Error('expected the trace to be refused');
}

describe('parseTrace', () => {
  it('reads every column of a well-formed row', () => {
    const sut = parseTrace(trace('p1,0,5400,true,Investors|Advice,Engineering,Climate|AI,p2', 'p2,30.5,,0,,,,p1'));
    expect(sut).toEqual<TraceRow[]>([
      { id: 'p1', arriveS: 0, leaveS: 5400, firstTime: true, seeks: ['Investors', 'Advice'], offers: ['Engineering'], interests: ['Climate', 'AI'], knows: ['p2'] },
      { id: 'p2', arriveS: 30.5, leaveS: null, firstTime: false, seeks: [], offers: [], interests: [], knows: ['p1'] },
    ]);
  });

  it('accepts a byte-order mark, CRLF line ends, a trailing blank line and quoted fields', () => {
    const sut = parseTrace(`\uFEFF${TRACE_HEADER}\r\np1,0,,FALSE,"Design|Product",,"AI",\r\n\r\n`);
    expect(sut).toHaveLength(1);
    expect(sut[0]).toMatchObject({ firstTime: false, seeks: ['Design', 'Product'], interests: ['AI'] });
  });

  it('refuses a wrong header and says what it should be', () => {
    const problems = problemsOf('id,arrive,leave_s,first_time,seeks,offers,interests,knows\np1,0,,true,,,,');
    expect(problems).toEqual([{ line: 1, message: expect.stringContaining(TRACE_HEADER) }]);
  });

  it('refuses an empty file and a header with no attendees', () => {
    expect(problemsOf('')[0]!.message).toMatch(/empty/);
    expect(problemsOf(`${TRACE_HEADER}\n`)[0]).toMatchObject({ line: 2, message: expect.stringMatching(/no attendees/) });
  });

  it('reports each bad value with the line it is on', () => {
    const problems = problemsOf(
      trace(
        'p1,0,,true,,,,', // fine
        'p2,-5,,true,,,,', // negative
        'p3,10,5,true,,,,', // leaves before arriving
        'p4,10,,yes,,,,', // not a boolean
        'p5,10,,true,A||B,,,', // empty tag
        'p6,10,,true,A|a,,,', // duplicate tag
        'p7,10,,true,A|B|C|D|E|F,,,', // too many seeks
        'p8,10,,true,,,,', // fine
        'p1,10,,true,,,,', // duplicate id
        'bad id,1,,true,,,,', // id with a space
        'p9,1,,true,,,', // 7 fields
      ),
    );
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7, 8, 10, 11, 12]);
    expect(problems[0]!.message).toMatch(/arrive_s/);
    expect(problems[1]!.message).toMatch(/not after arrive_s/);
    expect(problems[2]!.message).toMatch(/first_time/);
    expect(problems[3]!.message).toMatch(/empty tag/);
    expect(problems[4]!.message).toMatch(/appears twice/);
    expect(problems[5]!.message).toMatch(/at most 5/);
    expect(problems[6]!.message).toMatch(/already used on line 2/);
    expect(problems[7]!.message).toMatch(/id:/);
    expect(problems[8]!.message).toMatch(/7 fields, expected 8/);
  });

  it('checks knows against every id in the trace, including later ones', () => {
    expect(parseTrace(trace('p1,0,,true,,,,p2', 'p2,5,,true,,,,'))[0]!.knows).toEqual(['p2']);
    const problems = problemsOf(trace('p1,0,,true,,,,p1|ghost', 'p2,5,,true,,,,p1|p1'));
    expect(problems).toEqual([
      { line: 2, message: expect.stringMatching(/"p1" is this attendee/) },
      { line: 2, message: expect.stringMatching(/"ghost" is not an id/) },
      { line: 3, message: expect.stringMatching(/"p1" appears twice/) },
    ]);
  });

  it('refuses an unclosed quote instead of swallowing the rest of the file', () => {
    const problems = problemsOf(trace('p1,0,,true,"Design,,,', 'p2,0,,true,,,,'));
    expect(problems[0]).toEqual({ line: 2, message: expect.stringMatching(/never closed/) });
  });

  it('refuses a stray quote on the line it is on', () => {
    expect(problemsOf(trace('p1,0,,true,,,,', 'p2,0,,true,De"sign,,,'))).toEqual([{ line: 3, message: expect.stringMatching(/quote in the middle/) }]);
    expect(problemsOf(trace('p1,0,,true,"Design"x,,,'))).toEqual([{ line: 2, message: expect.stringMatching(/after a closing quote/) }]);
    expect(problemsOf(trace('p1,0,,true,,,,', '', 'p2,0,,true,"Design,,,'))[0]).toEqual({ line: 4, message: expect.stringMatching(/never closed/) });
  });

  it('counts lines inside quoted fields, so later problems point at the right line', () => {
    const records = readCsvRecords('a,"x\ny"\nb,c\n', []);
    expect(records.map((r) => r.line)).toEqual([1, 3]);
    const problems = problemsOf(trace('p1,0,,true,"A\nB",,,', 'p2,zero,,true,,,,'));
    expect(problems.at(-1)).toEqual({ line: 4, message: expect.stringMatching(/arrive_s/) });
  });

  it('lists at most ten problems in its message but keeps them all', () => {
    const rows = Array.from({ length: 12 }, (_, i) => `p${i},x,,true,,,,`);
    const err = (() => {
      try {
        parseTrace(trace(...rows));
      } catch (e) {
        return e as TraceError;
      }
      throw new Error('expected a refusal');
    })();
    expect(err.problems).toHaveLength(12);
    expect(err.message).toMatch(/12 problems/);
    expect(err.message).toMatch(/and 2 more/);
  });

  it('reads the committed sample trace', () => {
    const text = readFileSync(new URL('../fixtures/traces/sample-40.csv', import.meta.url), 'utf8');
    const sut = parseTrace(text);
    expect(sut.length).toBe(40);
    expect(sut.some((r) => r.firstTime)).toBe(true);
    expect(sut.some((r) => r.leaveS !== null)).toBe(true);
    expect(sut.some((r) => r.knows.length > 0)).toBe(true);
  });
});

describe('formatTrace', () => {
  const tag = fc.stringMatching(/^[A-Za-z][A-Za-z ,"-]{0,14}[A-Za-z]$/);
  const tags = (max: number) => fc.uniqueArray(tag, { maxLength: max, selector: (t) => t.toLowerCase() });
  const row = fc.record({
    arriveS: fc.integer({ min: 0, max: 10_000 }),
    stay: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }),
    firstTime: fc.boolean(),
    seeks: tags(5),
    offers: tags(5),
    interests: tags(8),
  });

  it('gives back what it was given, quotes and commas included', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }), (raw, links) => {
        const rows: TraceRow[] = raw.map((r, i) => ({
          id: `p${i}`,
          arriveS: r.arriveS,
          leaveS: r.stay === null ? null : r.arriveS + r.stay,
          firstTime: r.firstTime,
          seeks: r.seeks,
          offers: r.offers,
          interests: r.interests,
          knows: [],
        }));
        for (const [a, b] of links) {
          const from = rows[a % rows.length]!;
          const to = rows[b % rows.length]!;
          if (from !== to && !from.knows.includes(to.id)) from.knows.push(to.id);
        }
        expect(parseTrace(formatTrace(rows))).toEqual(rows);
      }),
    );
  });
});

describe('tagsOf', () => {
  it('collects the intent and interest tags once each, whatever their case', () => {
    const rows = parseTrace(trace('p1,0,,true,Design|AI,Hiring,Climate,', 'p2,0,,true,design,hiring|Sales,climate|Data,'));
    expect(tagsOf(rows)).toEqual({ intentTags: ['AI', 'Design', 'Hiring', 'Sales'], interestTags: ['Climate', 'Data'] });
  });
});
