import { describe, expect, it } from 'vitest';
import { QR_CID, signInTtl, SIGN_IN_MAX_MS, SIGN_IN_MIN_MS, ticketMail, type TicketMailInput } from './mail';

const HOUR = 3_600_000;
const event = {
  id: 'e1',
  name: 'Harbour <Night> & Co',
  startsAt: new Date('2026-11-25T18:00:00Z'),
  endsAt: new Date('2026-11-25T22:00:00Z'),
  timeZone: 'Europe/Lisbon',
  venue: 'Pier 4, "Shed" B',
};
const input = (over: Partial<TicketMailInput> = {}): TicketMailInput => ({
  to: 'ana@example.org',
  name: '<b>Ana</b> Sousa',
  event,
  ticketUrl: 'https://edgewise.example/t/SECRET123',
  signIn: { url: 'https://edgewise.example/me?code=CODE456', expiresAt: new Date('2026-11-26T22:00:00Z') },
  qrPng: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
  now: Date.parse('2026-11-20T10:00:00Z'),
  host: 'edgewise.example',
  ...over,
});

describe('the ticket mail', () => {
  it('says what, when and where, with the ticket link and the sign-in link, in plain text', () => {
    const sut = ticketMail(input());
    expect(sut.subject).toBe('Your ticket for Harbour <Night> & Co');
    expect(sut.text).toContain('Hello <b>Ana</b>,');
    expect(sut.text).toContain('When: Wed 25 Nov 2026 · 18:00 (Europe/Lisbon)');
    expect(sut.text).toContain('Where: Pier 4, "Shed" B');
    expect(sut.text).toContain('https://edgewise.example/t/SECRET123');
    expect(sut.text).toContain('https://edgewise.example/me?code=CODE456');
    expect(sut.text).toContain('until Thu 26 Nov 2026 · 22:00');
  });

  it('escapes names in the HTML and shows the QR from its own inline part', () => {
    const sut = ticketMail(input());
    expect(sut.html).toContain('Hello &lt;b&gt;Ana&lt;/b&gt;,');
    expect(sut.html).not.toContain('<b>Ana');
    expect(sut.html).toContain('Harbour &lt;Night&gt; &amp; Co');
    expect(sut.html).not.toContain('<Night>');
    expect(sut.html).toContain(`<img src="cid:${QR_CID}"`);
    expect(sut.html).not.toMatch(/<img[^>]+src="https?:/);
    expect(sut.attachments.map((a) => [a.filename, a.contentType, a.cid])).toEqual([
      ['ticket-qr.png', 'image/png', QR_CID],
      ['event.ics', 'text/calendar; charset=utf-8; method=PUBLISH', undefined],
    ]);
  });

  it('puts the event in the calendar without the ticket', () => {
    const ics = String(ticketMail(input()).attachments[1]?.content);
    expect(ics).toContain('DTSTART:20261125T180000Z');
    expect(ics).toContain('DTEND:20261125T220000Z');
    expect(ics).toContain('LOCATION:Pier 4\\, "Shed" B');
    expect(ics).toContain('TRANSP:OPAQUE');
    expect(ics).not.toContain('SECRET123');
  });

  it('says in a preview that the sign-in link is made when the mail is sent', () => {
    const sut = ticketMail(input({ signIn: null }));
    expect(sut.text).toContain('(your own sign-in link: made when the mail is sent)');
    expect(sut.text).not.toContain('/me?code=');
  });
});

describe('the ticket mail in the guest’s language', () => {
  it('is written in it, its dates in the venue’s zone as the language writes them', () => {
    const ja = ticketMail(input({ language: 'ja' }));
    expect(ja.subject).toBe('Harbour <Night> & Co のチケット');
    expect(ja.text).toContain('<b>Ana</b> さん');
    expect(ja.text).toContain('日時：2026年11月25日水曜日 18:00 (Europe/Lisbon)');
    expect(ja.text).toContain('このリンクは 2026年11月26日木曜日 22:00 まで');
    expect(ja.html).toContain('<a href="https://edgewise.example/t/SECRET123">チケットを開いてください</a>。');
    expect(ja.html).not.toContain('<b>Ana');
    const de = ticketMail(input({ language: 'de', signIn: null }));
    expect(de.subject).toBe('Dein Ticket für Harbour <Night> & Co');
    expect(de.text).toContain('Wann: Mittwoch, 25. November 2026 um 18:00 (Europe/Lisbon)');
    expect(de.text).toContain('(dein persönlicher Anmeldelink: wird beim Versand erstellt)');
    expect(String(de.attachments[1]?.content)).toContain('Dein Ticket (der QR-Code)');
  });
});

describe("the mail's sign-in link lifetime", () => {
  it('lasts until a day after the event ends, at least a day and at most 60 days', () => {
    const endsAt = new Date('2026-11-25T22:00:00Z');
    expect(signInTtl(endsAt, endsAt.getTime() - 5 * 24 * HOUR)).toBe(6 * 24 * HOUR);
    expect(signInTtl(endsAt, endsAt.getTime() + 23 * HOUR)).toBe(SIGN_IN_MIN_MS);
    expect(signInTtl(endsAt, endsAt.getTime() - 200 * 24 * HOUR)).toBe(SIGN_IN_MAX_MS);
  });
});
