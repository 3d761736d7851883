import { describe, expect, it } from 'vitest';
import { AppError } from '../../http/errors';
import type { ImportField } from '@edgewise/shared';
import { decodeCsv, detectDelimiter, parseBoolean, previewGuestCsv, readRecords, rowsToAdd, type ExistingGuest } from './csv';

const utf8 = (s: string) => new TextEncoder().encode(s);
const none = new Map<string, ExistingGuest>();
const sut = (csv: string | Uint8Array, existing: ReadonlyMap<string, ExistingGuest> = none) =>
  previewGuestCsv(typeof csv === 'string' ? utf8(csv) : csv, existing);

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const verdicts = (csv: string, existing?: ReadonlyMap<string, ExistingGuest>) =>
  sut(csv, existing).rows.map((r) => ({ line: r.line, status: r.status, codes: r.problems.map((p) => `${p.field}:${p.code}`) }));

describe('decoding', () => {
  it('reads UTF-8 with or without a byte-order mark', () => {
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('name\nAna')]))).toEqual({ text: 'name\nAna', encoding: 'utf-8', bom: true });
    expect(decodeCsv(utf8('name\nJosé'))).toEqual({ text: 'name\nJosé', encoding: 'utf-8', bom: false });
  });

  it('converts Latin-1 and Windows-1252 bytes instead of refusing them', () => {
    // é is E9 in both; the curly apostrophe (92) and the euro sign (80) only in Windows-1252.
    const bytes = new Uint8Array([...utf8('name\nJos'), 0xe9, 0x2c, ...utf8('O'), 0x92, ...utf8('Neil '), 0x80]);
    expect(decodeCsv(bytes)).toEqual({ text: 'name\nJosé,O’Neil €', encoding: 'windows-1252', bom: false });
  });

  it('reads UTF-16 by its byte-order mark, or by its zero bytes without one', () => {
    const le = Buffer.from('name\nJosé', 'utf16le');
    expect(decodeCsv(new Uint8Array([0xff, 0xfe, ...le]))).toEqual({ text: 'name\nJosé', encoding: 'utf-16le', bom: true });
    expect(decodeCsv(new Uint8Array(le))).toEqual({ text: 'name\nJosé', encoding: 'utf-16le', bom: false });
    const be = new Uint8Array(le.length);
    for (let i = 0; i < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1] ?? 0, le[i] ?? 0];
    expect(decodeCsv(new Uint8Array([0xfe, 0xff, ...be]))).toEqual({ text: 'name\nJosé', encoding: 'utf-16be', bom: true });
  });

  it('refuses a file that is not text', () => {
    expect(refusal(() => decodeCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00]))).code).toBe('csv_encoding');
  });

  it('calls an empty or blank file malformed', () => {
    for (const bytes of [new Uint8Array(), utf8('\uFEFF'), utf8(' \r\n\n')]) expect(refusal(() => decodeCsv(bytes)).code).toBe('csv_malformed');
  });
});

describe('reading records', () => {
  it('detects the separator from the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('name;email\nA;b')).toBe(';');
    expect(detectDelimiter('"name;x",email\n')).toBe(',');
    expect(detectDelimiter('name\temail\n')).toBe('\t');
    expect(detectDelimiter('name\n')).toBe(',');
  });

  it('prefers the separator the rows agree on over the one most frequent in the header', () => {
    // Company names with commas in a semicolon file; a comma file whose header says "Name; full".
    expect(detectDelimiter('Name;Company, Inc;Email, work\nAna;Kelp, Lda;a@b.org\nBo;X;b@c.org')).toBe(';');
    expect(detectDelimiter('First;Last,Email\nAna,a@b.org\nBo,b@c.org')).toBe(',');
  });

  it("obeys Excel's sep= line and keeps the file's line numbers", () => {
    expect(detectDelimiter('sep=;\nname,x;email\nAna,B;a@b.org')).toBe(';');
    const preview = sut('sep=;\r\nname;email\r\nAna;a@b.org\r\n');
    expect(preview.delimiter).toBe(';');
    expect(preview.rows.map((r) => [r.line, r.data.name])).toEqual([[3, 'Ana']]);
  });

  it('numbers records by the line they start on, across quoted CRLFs and blank lines', () => {
    const records = readRecords('name,notes\r\n"A","one\r\ntwo\r\nthree"\r\n\r\n\r\nB,x\r\n"C\nD",y\nE,z');
    expect(records.map((r) => [r.line, r.cells[0]])).toEqual([
      [1, 'name'],
      [2, 'A'],
      [7, 'B'],
      [8, 'C\nD'],
      [10, 'E'],
    ]);
  });

  it('names the line of an unclosed quote', () => {
    const err = refusal(() => readRecords('name\n"ok"\n\n"broken\nmore\n'));
    expect(err.code).toBe('csv_malformed');
    expect(err.details).toEqual({ line: 4 });
  });

  it('names the line of a closing quote followed by text', () => {
    const err = refusal(() => readRecords('name,email\n"Ana"x,a@b.org\n'));
    expect(err.code).toBe('csv_malformed');
    expect(err.details).toEqual({ line: 2 });
  });

  it('names the line of a quote inside an unquoted value, and reads it once quoted properly', () => {
    const err = refusal(() => readRecords('name\nBo\nAna "the designer" Sousa\n'));
    expect(err.code).toBe('csv_malformed');
    expect(err.details).toEqual({ line: 3 });
    expect(err.message).toContain('Wrap the whole value in quotes');
    expect(readRecords('name\n"Ana ""the designer"" Sousa"\n')[1]?.cells).toEqual(['Ana "the designer" Sousa']);
  });
});

const mapped = (csv: string) =>
  sut(csv)
    .columns.filter((c) => c.field)
    .map((c) => `${c.header} -> ${c.field}`);

describe('the header', () => {
  it('matches columns case-insensitively with their common synonyms', () => {
    const preview = sut('Full Name,E-Mail Address,Organization,Job Title,Newcomer,HOST,Shoe size\nAna,a@b.org,Kelp,CTO,y,n,42');
    expect(preview.columns.map((c) => [c.header, c.field, c.by])).toEqual([
      ['Full Name', 'name', 'alias'],
      ['E-Mail Address', 'email', 'alias'],
      ['Organization', 'company', 'alias'],
      ['Job Title', 'role', 'alias'],
      ['Newcomer', 'firstTime', 'alias'],
      ['HOST', 'host', 'alias'],
      ['Shoe size', null, 'none'],
    ]);
    expect(preview.rows[0]?.data).toEqual({ name: 'Ana', email: 'a@b.org', company: 'Kelp', role: 'CTO', firstTime: true, host: false });
  });

  it.each([
    ['attendee,email_address,organisation,title,first_time', 'attendee'],
    ['Name,Email,Company,Role,First Time', 'Name'],
  ])('reads %s', (header) => {
    expect(sut(`${header}\nBo,b@c.org,X,Y,no`).summary).toEqual({ add: 1, update: 0, unchanged: 0, error: 0, duplicate: 0 });
  });

  it("takes pretix's attendee email over its order email, whichever comes first", () => {
    expect(mapped('Order code,Email,Attendee name: Given name,Attendee name: Family name,Attendee email\nX,buyer@b.org,Ana,Sousa,ana@b.org')).toEqual([
      'Attendee name: Given name -> firstName',
      'Attendee name: Family name -> lastName',
      'Attendee email -> email',
    ]);
  });

  it('combines first and last name columns, and prefers a full name column when filled', () => {
    expect(sut('first_name,last_name\nAna,Sousa\n,Lima\nBo,').rows.map((r) => r.data.name)).toEqual(['Ana Sousa', 'Lima', 'Bo']);
    expect(sut('name,first name,last name\nAna Maria Sousa,Ana,Sousa\n,Bo,Lima').rows.map((r) => r.data.name)).toEqual(['Ana Maria Sousa', 'Bo Lima']);
  });

  it('needs a name column, and names the columns it found for a manual mapping', () => {
    const err = refusal(() => sut('email,Attendee full legal name\na@b.org,Ana'));
    expect(err.code).toBe('csv_malformed');
    expect(err.message).toContain('needs a name column');
    expect(err.details).toEqual({
      columns: [
        { index: 0, header: 'email', field: 'email', by: 'alias' },
        { index: 1, header: 'Attendee full legal name', field: null, by: 'none' },
      ],
    });
  });

  it('follows a manual mapping over the aliases, and ignores a column when told', () => {
    const csv = utf8('email,Attendee full legal name,Company,Backup email\na@b.org,Ana,Kelp,z@b.org');
    const preview = previewGuestCsv(csv, none, new Map<number, ImportField | null>([[1, 'name'], [2, null], [3, 'email']]));
    expect(preview.columns.map((c) => [c.field, c.by])).toEqual([
      [null, 'none'],
      ['name', 'manual'],
      [null, 'none'],
      ['email', 'manual'],
    ]);
    expect(preview.rows[0]?.data).toEqual({ name: 'Ana', email: 'z@b.org' });
    expect(refusal(() => previewGuestCsv(csv, none, new Map([[9, 'name' as const]]))).code).toBe('csv_malformed');
  });

  it('leaves a second column for the same field unused rather than merging it', () => {
    const preview = sut('name,email,Email\nAna,a@b.org,other@b.org');
    expect(preview.columns.map((c) => c.field)).toEqual(['name', 'email', null]);
    expect(preview.rows[0]?.data.email).toBe('a@b.org');
  });
});

describe('rows', () => {
  it('requires a name and accepts a missing email', () => {
    expect(verdicts('name,email\n,a@b.org\nAna,\n   ,c@d.org')).toEqual([
      { line: 2, status: 'error', codes: ['name:required'] },
      { line: 3, status: 'add', codes: [] },
      { line: 4, status: 'error', codes: ['name:required'] },
    ]);
  });

  it('lower-cases emails and refuses invalid ones', () => {
    const preview = sut('name,email\nAna, Ana@Example.ORG \nBo,bo@\nCy,c d@e.org');
    expect(preview.rows[0]?.data.email).toBe('ana@example.org');
    expect(preview.rows.map((r) => r.status)).toEqual(['add', 'error', 'error']);
    expect(preview.rows[1]?.problems[0]).toMatchObject({ field: 'email', code: 'invalid_email' });
  });

  it.each(['=1+1', '+44 Ventures', '-2', '@SUM(A1)', '\t=cmd', '\r=cmd', '  =1+1'])('refuses the formula-like cell %j', (cell) => {
    const preview = sut(`name,company\nAna,"${cell}"\n"${cell}",Kelp`);
    for (const row of preview.rows) {
      expect(row.status).toBe('error');
      expect(row.problems[0]?.code).toBe('formula_injection');
      expect(row.problems[0]?.message).toBe('cells starting with = + - @ are refused: spreadsheets run them as formulas');
    }
  });

  it('lets those characters through inside a value', () => {
    expect(verdicts('name,company,role\nAna-Maria,AT&T = fun,C++ @ night')).toEqual([{ line: 2, status: 'add', codes: [] }]);
  });

  it('refuses control characters and line breaks in names, companies and roles', () => {
    expect(verdicts('name,company,role\n"Ana\u0007",x,y\nBo,"Kelp\nLabs",y\nCy,x,"a\u001bb"').map((v) => v.codes)).toEqual([
      ['name:control_characters'],
      ['company:control_characters'],
      ['role:control_characters'],
    ]);
  });

  it('takes names up to 120 characters in any script, and refuses longer ones', () => {
    const cjk = '山田太郎'.repeat(30);
    const preview = sut(`name,role\n${cjk},\n${cjk}子,\nBo,${'r'.repeat(121)}`);
    expect(preview.rows[0]).toMatchObject({ status: 'add', data: { name: cjk } });
    expect(preview.rows[1]?.problems).toEqual([{ field: 'name', code: 'too_long', message: 'is longer than 120 characters' }]);
    expect(preview.rows[2]?.problems).toEqual([{ field: 'role', code: 'too_long', message: 'is longer than 120 characters' }]);
  });

  it('reads yes/no columns generously and refuses anything else', () => {
    expect(['yes', 'Y', 'TRUE', '1', 'x', ' X '].map(parseBoolean)).toEqual([true, true, true, true, true, true]);
    expect(['no', 'N', 'false', '0', '', '  '].map(parseBoolean)).toEqual([false, false, false, false, false, false]);
    expect(['maybe', 'si', '2'].map(parseBoolean)).toEqual([null, null, null]);
    expect(verdicts('name,host\nAna,maybe')[0]).toEqual({ line: 2, status: 'error', codes: ['host:invalid_boolean'] });
  });

  it('flags a row with more cells than the header', () => {
    const [shifted, trailingComma] = verdicts('name,email\nSousa, Ana,a@b.org\nBo,b@c.org,');
    expect(shifted).toMatchObject({ line: 2, status: 'error' });
    expect(shifted?.codes).toContain('row:too_many_cells');
    expect(trailingComma).toEqual({ line: 3, status: 'add', codes: [] });
  });

  it('skips rows a spreadsheet leaves blank', () => {
    expect(verdicts('name,email\n,\nAna,a@b.org\n ,  \n')).toEqual([{ line: 3, status: 'add', codes: [] }]);
  });
});

describe('repeats and known guests', () => {
  const taken: ExistingGuest = { id: 'a1', name: 'Teresa Taken', company: 'Kelp', role: 'CTO', firstTime: false, host: true };
  const existing = new Map([['taken@example.org', taken]]);

  it('marks later repeats of an email in the file, and updates guests already registered', () => {
    const preview = sut('name,email\nAna,ana@example.org\nAna B,ANA@example.org\nTess,taken@example.org\nAna C,ana@example.org', existing);
    expect(preview.rows.map((r) => [r.line, r.status, r.problems[0]?.message, r.changes])).toEqual([
      [2, 'add', undefined, undefined],
      [3, 'duplicate', 'same email as line 2', undefined],
      [4, 'update', undefined, ['name']],
      [5, 'duplicate', 'same email as line 2', undefined],
    ]);
    expect(preview.rows[2]?.attendeeId).toBe('a1');
    expect(preview.summary).toEqual({ add: 1, update: 1, unchanged: 0, error: 0, duplicate: 2 });
  });

  it('keeps stored values where the file leaves a cell empty, and says when nothing changes', () => {
    const preview = sut('name,email,company,role,host\nTeresa Taken,taken@example.org,,,\n', existing);
    expect(preview.rows[0]).toMatchObject({ status: 'unchanged', changes: [] });
    const changed = sut('name,email,company,host,first time\nTeresa Taken,taken@example.org,Tide,no,yes\n', existing);
    expect(changed.rows[0]).toMatchObject({ status: 'update', changes: ['company', 'firstTime', 'host'] });
  });

  it('lets an error outrank a duplicate', () => {
    expect(verdicts('name,email\nAna,a@b.org\n=cmd,a@b.org')[1]).toEqual({ line: 3, status: 'error', codes: ['name:formula_injection', 'email:duplicate_in_file'] });
  });

  it('never counts rows without email as duplicates of each other', () => {
    expect(sut('name,email\nAna,\nAna,\nAna,').summary).toEqual({ add: 3, update: 0, unchanged: 0, error: 0, duplicate: 0 });
  });
});

describe('size', () => {
  it('takes 5000 rows and refuses 5001', () => {
    const rows = (n: number) => ['name', ...Array.from({ length: n }, (_, i) => `Guest ${i}`)].join('\n');
    expect(sut(rows(5000)).summary.add).toBe(5000);
    const err = refusal(() => sut(rows(5001)));
    expect(err.code).toBe('csv_malformed');
    expect(err.message).toContain('at most 5000');
  });
});

describe('rowsToAdd', () => {
  it('returns only the rows marked add, as attendee input', () => {
    const preview = sut('name,email,first time\nAna,a@b.org,yes\n,x@y.org,\nAna 2,a@b.org,no\nBo,,');
    expect(rowsToAdd(preview)).toEqual([
      { name: 'Ana', email: 'a@b.org', firstTime: true },
      { name: 'Bo', firstTime: false },
    ]);
  });
});

describe('intent columns', () => {
  const vocabulary = {
    topics: [
      { id: 'investment', seekLabel: 'Investment', offerLabel: 'I invest' },
      { id: 'jobs', seekLabel: 'A job', offerLabel: "I'm hiring" },
      { id: 'co-founder', seekLabel: 'A co-founder', offerLabel: 'A co-founder' },
    ],
    interests: ['AI', 'Climate'],
  };
  const withVocabulary = (csv: string, existing: ReadonlyMap<string, ExistingGuest> = none) => previewGuestCsv(utf8(csv), existing, undefined, vocabulary);

  it("reads looking for, offering and interests as '|'-separated labels of either side, into topic ids and the event's words", () => {
    const preview = withVocabulary('name,Looking for,Offering,Interests\nAna,investment | A co-founder,"I\'m hiring",climate|AI\nBo,,,\n');
    expect(preview.columns.map((c) => c.field)).toEqual(['name', 'seeks', 'offers', 'interests']);
    const [ana, bo] = preview.rows;
    expect(ana?.status).toBe('add');
    expect(ana?.intent).toEqual({
      seeks: ['investment', 'co-founder'],
      offers: ['jobs'],
      interests: ['Climate', 'AI'],
      lookingFor: ['Investment', 'A co-founder'],
      offering: ["I'm hiring"],
    });
    // Nothing said: no intent, and the guest is still added.
    expect(bo).toMatchObject({ status: 'add' });
    expect(bo?.intent).toBeUndefined();
  });

  it("refuses a label outside the event's vocabulary and a formula; a topic named twice counts once", () => {
    const preview = withVocabulary('name,seeks,offers,interests\nAna,Knitting,,\nBo,,=cmd,\nCy,Investment|investment|I invest,,\nDi,,,Astrology\n');
    expect(preview.rows.map((r) => [r.status, r.problems.map((p) => `${p.field}:${p.code}`)])).toEqual([
      ['error', ['seeks:unknown_tag']],
      ['error', ['offers:formula_injection']],
      ['add', []],
      ['error', ['interests:unknown_tag']],
    ]);
    expect(preview.rows[2]?.intent?.seeks).toEqual(['investment']);
    expect(preview.rows[0]?.problems[0]?.message).toBe('"Knitting" is not one of this event\'s topics');
  });

  it('brings an intent to a known guest only when they have not stated one', () => {
    const known = (hasIntent: boolean) =>
      new Map<string, ExistingGuest>([['ana@example.org', { id: '6f1c1f3e-3b0e-4d9a-9a0e-0f1d2c3b4a59', name: 'Ana', company: '', role: '', firstTime: false, host: false, hasIntent }]]);
    const csv = 'name,email,looking for\nAna,ana@example.org,A job\n';
    expect(withVocabulary(csv, known(false)).rows[0]).toMatchObject({ status: 'update', changes: ['seeks'] });
    expect(withVocabulary(csv, known(true)).rows[0]).toMatchObject({ status: 'unchanged', changes: [] });
  });
});
