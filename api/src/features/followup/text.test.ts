import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, utcStamp } from './text';
import { vcard, telUri } from './vcard';
import { reminderIcs } from './ics';

const octets = (s: string) => new TextEncoder().encode(s).length;
/** Undoes folding as a reader does (RFC 6350 §3.2, RFC 5545 §3.1). */
const unfold = (s: string) => s.replace(/\r\n[ \t]/g, '');

describe('escapeText', () => {
  it('escapes backslashes, commas, semicolons and line breaks, and drops control characters', () => {
    expect(escapeText('a\\b,c;d\ne\r\nf\u0007')).toBe('a\\\\b\\,c\\;d\\ne\\nf');
  });
});

describe('foldLine', () => {
  it('keeps every physical line within 75 octets and never splits a character', () => {
    const line = `NOTE:${'Zoë 李小龍 🎉 '.repeat(20)}`;
    const folded = foldLine(line);
    for (const physical of folded.split('\r\n')) {
      expect(octets(physical)).toBeLessThanOrEqual(75);
      expect(physical).not.toContain('\uFFFD');
    }
    expect(folded.split('\r\n').slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(unfold(folded)).toBe(line);
  });

  it('leaves a short line alone', () => {
    expect(foldLine('FN:Ana')).toBe('FN:Ana');
  });
});

describe('vcard', () => {
  it('writes a vCard 4.0 with the shared details only, escaped and folded', () => {
    const card = vcard({
      uid: 'urn:uuid:5b0c9d2e-1111-4a4a-8888-000000000001',
      name: 'Ana Maria Sousa',
      company: 'Tidewater, Lda; Lisbon',
      role: 'Designer',
      email: 'ana@example.org',
      phone: '+351 912 345 678',
      link: 'https://ana.example.org/a,b',
      note: `Met at Climate Night.\nYour note: ${'talk about tidal energy, '.repeat(6)}`,
    });
    expect(card.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\n')).toBe(true);
    expect(card.endsWith('END:VCARD\r\n')).toBe(true);
    for (const l of card.split('\r\n')) expect(octets(l)).toBeLessThanOrEqual(75);
    const lines = unfold(card).split('\r\n');
    expect(lines).toContain('FN:Ana Maria Sousa');
    expect(lines).toContain('N:Sousa;Ana Maria;;;');
    expect(lines).toContain('ORG:Tidewater\\, Lda\\; Lisbon');
    expect(lines).toContain('EMAIL;TYPE=work:ana@example.org');
    expect(lines).toContain('TEL;VALUE=uri;TYPE=cell:tel:+351-912-345-678');
    expect(lines).toContain('URL:https://ana.example.org/a,b');
    expect(lines.find((l) => l.startsWith('NOTE:'))).toContain('Met at Climate Night.\\nYour note: talk about tidal energy\\, ');
  });

  it('leaves out what was not shared', () => {
    const card = vcard({ uid: 'u', name: 'Ben' });
    expect(card).not.toMatch(/EMAIL|TEL|URL|ORG/);
    expect(card).toContain('N:;Ben;;;');
  });

  it('turns a typed phone into a tel: URI, or keeps odd ones as text', () => {
    expect(telUri('(0)20 7946.0958')).toBe('tel:(0)20-7946.0958');
    expect(telUri('call me')).toBeNull();
    expect(vcard({ uid: 'u', name: 'C', phone: 'ext. 12' })).toContain('TEL;VALUE=text:ext. 12');
  });
});

describe('reminderIcs', () => {
  it('writes one VEVENT with UID, DTSTAMP, UTC times and an alarm, escaped and folded', () => {
    const ics = reminderIcs({
      uid: 'followup-123@edgewise.test',
      stamp: Date.parse('2026-11-26T10:00:00Z'),
      start: Date.parse('2026-11-27T10:00:00Z'),
      durationMinutes: 30,
      summary: 'Get back in touch with Ana, Ben and Zoë Åberg-Lindqvist-Johansson-Karlsson',
      description: 'People you connected with:\n- Ana; designer',
    });
    for (const l of ics.split('\r\n')) expect(octets(l)).toBeLessThanOrEqual(75);
    const lines = unfold(ics).split('\r\n');
    expect(lines.slice(0, 2)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0']);
    expect(lines).toContain('UID:followup-123@edgewise.test');
    expect(lines).toContain('DTSTAMP:20261126T100000Z');
    expect(lines).toContain('DTSTART:20261127T100000Z');
    expect(lines).toContain('DTEND:20261127T103000Z');
    expect(lines).toContain('SUMMARY:Get back in touch with Ana\\, Ben and Zoë Åberg-Lindqvist-Johansson-Karlsson');
    expect(lines).toContain('DESCRIPTION:People you connected with:\\n- Ana\\; designer');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines).toContain('BEGIN:VALARM');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  it('stamps UTC without milliseconds', () => {
    expect(utcStamp(Date.parse('2026-01-02T03:04:05.678Z'))).toBe('20260102T030405Z');
  });
});
