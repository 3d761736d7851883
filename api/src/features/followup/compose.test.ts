import { describe, expect, it } from 'vitest';
import type { FollowupContact } from '@edgewise/shared';
import { composeDigest, reminderTime } from './compose';

const aContact = (over: Partial<FollowupContact> = {}): FollowupContact => ({
  attendeeId: '5b0c9d2e-1111-4a4a-8888-000000000001',
  name: 'Ben Okafor',
  company: 'Northwind',
  role: 'Investor',
  how: 'mutual',
  introducedBy: null,
  introductionMessage: '',
  note: '',
  contact: { email: null, phone: null, link: null },
  ...over,
});

const input = (contacts: FollowupContact[]) => ({
  attendee: { id: 'a1', name: 'Ana Maria Sousa' },
  event: { id: 'e1', name: 'Climate <Night>', timeZone: 'Europe/Lisbon' },
  contacts,
  now: Date.parse('2026-11-26T10:00:00Z'),
  host: 'edgewise.test',
});

describe('composeDigest', () => {
  it('speaks to the reader by first name and lists each person with how they met', () => {
    const d = composeDigest(
      input([
        aContact({ how: 'met', name: 'Chloé Martin', attendeeId: 'c' }),
        aContact({ how: 'introduced', introducedBy: 'Olga', introductionMessage: 'Boats!', attendeeId: 'b' }),
      ]),
    );
    expect(d.subject).toBe('Your people from Climate <Night>');
    expect(d.text.startsWith('Hi Ana,\n\n')).toBe(true);
    expect(d.text).toContain('Chloé Martin, Investor at Northwind\nYou met.');
    expect(d.text).toContain('Olga introduced you.\n"Boats!"');
    const metAfter = composeDigest(input([aContact({ how: 'met', introducedBy: 'Olga' })]));
    expect(metAfter.text).toContain('You met, after Olga introduced you.');
  });

  it('escapes everything people typed in the HTML part', () => {
    const d = composeDigest(input([aContact({ note: '<img src=x onerror=alert(1)> & "quotes"', contact: { email: 'b"@x.org', phone: null, link: 'javascript:alert(1)' } })]));
    expect(d.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(d.html).toContain('Climate &lt;Night&gt;');
    expect(d.html).not.toContain('<img');
    // Only http(s) links become links.
    expect(d.html).not.toContain('href="javascript:');
  });

  it('attaches one vCard per person, with unique names, and one reminder', () => {
    const d = composeDigest(input([aContact({ attendeeId: 'x' }), aContact({ attendeeId: 'y' }), aContact({ name: '李小龍', attendeeId: 'z' })]));
    expect(d.attachments.map((a) => a.filename)).toEqual(['ben-okafor.vcf', 'ben-okafor-2.vcf', 'contact-3.vcf', 'get-back-in-touch.ics']);
    expect(d.attachments.at(-1)?.content).toContain('UID:followup-a1@edgewise.test');
  });

  it('is written in the guest’s language: the words, the labels, the list of names, the cards and the reminder', () => {
    const contacts = [
      aContact({ attendeeId: 'a', name: 'Chloé Martin', how: 'introduced', introducedBy: 'Olga', contact: { email: 'c@x.org', phone: null, link: null } }),
      ...['Dan', 'Eve', 'Finn', 'Gus'].map((name) => aContact({ attendeeId: name, name })),
    ];
    const ja = composeDigest({ ...input(contacts), language: 'ja' });
    expect(ja.subject).toBe('Climate <Night>でつながった方々');
    expect(ja.text.startsWith('Ana Maria Sousaさん\n\n')).toBe(true);
    expect(ja.text).toContain('つながった5人の方');
    expect(ja.text).toContain('Chloé Martin, Northwind・Investor\nOlgaさんの紹介でつながりました。');
    expect(ja.text).toContain('メール：c@x.org');
    expect(ja.html).toContain('<html lang="ja">');
    expect(ja.html).toContain('メール：<a href="mailto:c@x.org">c@x.org</a>');
    expect(ja.attachments[0]?.content).toContain('Climate <Night>で出会いました。');
    expect(ja.attachments.at(-1)?.content).toContain('SUMMARY:連絡を取る：Chloé Martin、Dan、Eve、ほか2人');

    const de = composeDigest({ ...input(contacts.slice(0, 1)), language: 'de' });
    expect(de.text.startsWith('Hallo Ana,\n\nDanke, dass du bei Climate <Night> warst. Hier ist die Person,')).toBe(true);
    expect(de.text).toContain('E-Mail: c@x.org');
    for (const d of [ja, de]) expect(d.text).not.toMatch(/\b(Your note|Email|Phone|Get back|introduced you)\b/);
  });

  it('has no reminder when there is nobody to get back to', () => {
    expect(composeDigest(input([])).attachments).toEqual([]);
  });
});

describe('reminderTime', () => {
  it("is 10:00 in the event's zone on the next day", () => {
    expect(new Date(reminderTime(Date.parse('2026-11-26T10:00:00Z'), 'Europe/Lisbon')).toISOString()).toBe('2026-11-27T10:00:00.000Z');
    expect(new Date(reminderTime(Date.parse('2026-11-26T23:30:00Z'), 'Asia/Tokyo')).toISOString()).toBe('2026-11-28T01:00:00.000Z');
  });
});
