import { describe, expect, it } from 'vitest';
import { AppError } from '../../http/errors';
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
  it('strips a UTF-8 byte-order mark', () => {
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('name\nAna')]))).toBe('name\nAna');
  });

  it('refuses Latin-1 and Windows-1252 bytes instead of guessing', () => {
    const latin1 = new Uint8Array([...utf8('name\nJos'), 0xe9]);
    const err = refusal(() => decodeCsv(latin1));
    expect(err.code).toBe('csv_encoding');
    expect(err.message).toContain('"CSV UTF-8');
  });

  it('recognises UTF-16 by its byte-order mark or its NUL bytes', () => {
    expect(refusal(() => decodeCsv(new Uint8Array([0xff, 0xfe, 0x6e, 0x00]))).code).toBe('csv_encoding');
    expect(refusal(() => decodeCsv(new Uint8Array([0x6e, 0x00, 0x61, 0x00]))).code).toBe('csv_encoding');
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

describe('the header', () => {
  it('matches columns case-insensitively with their common synonyms', () => {
    const preview = sut('Full Name,E-Mail Address,Organization,Job Title,Newcomer,HOST,Shoe size\nAna,a@b.org,Kelp,CTO,y,n,42');
    expect(preview.columns).toEqual(['name', 'email', 'company', 'role', 'firstTime', 'host']);
    expect(preview.unknownColumns).toEqual(['Shoe size']);
    expect(preview.rows[0]?.data).toEqual({ name: 'Ana', email: 'a@b.org', company: 'Kelp', role: 'CTO', firstTime: true, host: false });
  });

  it.each([
    ['attendee,email_address,organisation,title,first_time', 'attendee'],
    ['Name,Email,Company,Role,First Time', 'Name'],
  ])('reads %s', (header) => {
    expect(sut(`${header}\nBo,b@c.org,X,Y,no`).summary).toEqual({ add: 1, error: 0, duplicate: 0 });
  });

  it('combines first and last name columns, and prefers a full name column when filled', () => {
    expect(sut('first_name,last_name\nAna,Sousa\n,Lima\nBo,').rows.map((r) => r.data.name)).toEqual(['Ana Sousa', 'Lima', 'Bo']);
    expect(sut('name,first name,last name\nAna Maria Sousa,Ana,Sousa\n,Bo,Lima').rows.map((r) => r.data.name)).toEqual(['Ana Maria Sousa', 'Bo Lima']);
  });

  it('needs a name column', () => {
    const err = refusal(() => sut('email,company\na@b.org,Kelp'));
    expect(err.code).toBe('csv_malformed');
    expect(err.message).toContain('needs a name column');
  });

  it('lists a second column for the same field as unknown rather than merging it', () => {
    const preview = sut('name,email,Email\nAna,a@b.org,other@b.org');
    expect(preview.unknownColumns).toEqual(['Email']);
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

describe('duplicates', () => {
  const existing = new Map([['taken@example.org', { id: 'a1', name: 'Teresa Taken' }]]);

  it('marks later repeats of an email in the file and emails already registered', () => {
    const preview = sut('name,email\nAna,ana@example.org\nAna B,ANA@example.org\nTess,taken@example.org\nAna C,ana@example.org', existing);
    expect(preview.rows.map((r) => [r.line, r.status, r.problems[0]?.message])).toEqual([
      [2, 'add', undefined],
      [3, 'duplicate', 'same email as line 2'],
      [4, 'duplicate', 'already on the guest list as Teresa Taken'],
      [5, 'duplicate', 'same email as line 2'],
    ]);
    expect(preview.summary).toEqual({ add: 1, error: 0, duplicate: 3 });
  });

  it('lets an error outrank a duplicate', () => {
    expect(verdicts('name,email\nAna,a@b.org\n=cmd,a@b.org')[1]).toEqual({ line: 3, status: 'error', codes: ['name:formula_injection', 'email:duplicate_in_file'] });
  });

  it('never counts rows without email as duplicates of each other', () => {
    expect(sut('name,email\nAna,\nAna,\nAna,').summary).toEqual({ add: 3, error: 0, duplicate: 0 });
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
