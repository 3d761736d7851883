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
