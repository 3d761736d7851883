import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attendees, contactCards, followups, introductions, notes, suggestions, type StoredReason } from '@edgewise/db';
import type { CheckinOutcome, FollowupOverview, FollowupPreview } from '@edgewise/shared';
import type { Mailer } from '../../api/src/deps';
import { smtpMailer } from '../../api/src/features/followup/mailer';
import { aGuest, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { dbKinds, request, startServer, type TestServer } from '../fixtures/server';
import { aSignedInToken } from '../fixtures/credentials';
import { anSmtpServer, type SmtpServer } from '../fixtures/smtp';
import { waitFor } from '../fixtures/wait';

type Guest = Awaited<ReturnType<typeof aGuest>>;


const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FROM = 'Edgewise <edgewise@edgewise.test>';
const climate: StoredReason[] = [{ kind: 'common', tags: ['Climate'], text: "You're both into Climate" }];

describe.each(dbKinds)('the follow-up mail (%s)', (kind) => {
  let smtp: SmtpServer;
  let sut: TestServer;
  let org: Organiser;
  /** The SMTP server the app's mailer goes through; a test points it at a dead port. */
  const target = { url: '' };
  const mailer: Mailer = { kind: 'smtp', from: FROM, send: (m) => smtpMailer(target.url, FROM).send(m) };
  const followupConfig = { tickMs: 40, retryBaseMs: 60_000, maxAttempts: 3 };

  // The main evening: ends 22:00Z, follow-up two hours later.
  let night: string;
  let ana: Guest, ben: Guest, chloe: Guest, dan: Guest, eve: Guest, nora: Guest, olive: Guest, gus: Guest;

  async function checkIn(eventId: string, kiosk: string, guest: Guest) {
    const res = await request(sut.url)
      .post(`/api/events/${eventId}/checkins`)
      .set('authorization', `Bearer ${kiosk}`)
      .send({ token: guest.secret, type: 'entry', nonce: aNonce(), scannedAt: new Date(sut.clock()).toISOString() });
    expect((res.body as CheckinOutcome).status).toBe('ok');
  }

  /** Both rows of a pair, in one state. */
  async function aPair(eventId: string, a: Guest, b: Guest, state: 'mutual' | 'met' | 'proposed' | 'declined', reasons: StoredReason[] = climate) {
    const at = new Date(sut.clock());
    await sut.database.db.insert(suggestions).values([
      { eventId, attendeeId: a.id, targetId: b.id, score: 1, reasons, state, answer: state === 'proposed' ? null : state === 'declined' ? 'no' : 'yes', createdAt: at, updatedAt: at },
      { eventId, attendeeId: b.id, targetId: a.id, score: 1, reasons, state, answer: state === 'proposed' || state === 'declined' ? null : 'yes', createdAt: at, updatedAt: at },
    ]);
  }

  /** An event whose guests all check in, then closes its doors (matching stops; the pairs are ours to set). */
  async function anEvening(opts: { endsAt: string; followUpHours: number }, people: { name: string; email?: string | null }[]) {
    sut.clock.set(Date.parse('2026-11-25T18:00:00Z'));
    const eventId = await anOpenEvent(org, { endsAt: opts.endsAt, settings: { followUpHours: opts.followUpHours } });
    const kiosk = await aPairedDevice(sut, org, eventId);
    const guests: Guest[] = [];
    for (const p of people) {
      const guest = await aGuest(org, eventId, p.email === undefined ? { name: p.name } : { name: p.name, email: p.email });
      await checkIn(eventId, kiosk.token, guest);
      guests.push(guest);
    }
    expect((await org.patch(`/api/events/${eventId}`, { status: 'closed' })).status).toBe(200);
    await sut.matching.settled();
    await sut.database.db.delete(suggestions).where(sql`${suggestions.eventId} = ${eventId}`);
    return { eventId, guests };
  }

  const overview = async (eventId: string) => {
    const res = await org.get(`/api/events/${eventId}/followups`);
    expect(res.status).toBe(200);
    return res.body as FollowupOverview;
  };
  const entryOf = async (eventId: string, guest: Guest) => (await overview(eventId)).entries.find((e) => e.attendeeId === guest.id);

  beforeAll(async () => {
    smtp = await anSmtpServer();
    target.url = smtp.url;
    sut = await startServer(kind, { mailer, followup: followupConfig });
    org = await anOrganiser(sut);

    const evening = await anEvening({ endsAt: '2026-11-25T22:00:00Z', followUpHours: 2 }, [
      { name: 'Ana Sousa', email: 'ana@example.org' },
      { name: 'Ben Okafor', email: 'ben@example.org' },
      { name: 'Chloé Martin', email: 'chloe@example.org' },
      { name: 'Dan Ruiz', email: 'dan@example.org' },
      { name: 'Eve Lind', email: 'eve@example.org' },
      { name: 'Nora Quist', email: null },
      { name: 'Olive Park', email: 'olive@example.org' },
    ]);
    night = evening.eventId;
    [ana, ben, chloe, dan, eve, nora, olive] = evening.guests as [Guest, Guest, Guest, Guest, Guest, Guest, Guest];
    // Registered but never came: no follow-up at all.
    gus = await aGuest(org, night, { name: 'Gus Never', email: 'gus@example.org' });

    const db = sut.database.db;
    await aPair(night, ana, ben, 'mutual');
    await aPair(night, ana, chloe, 'met');
    await aPair(night, ana, nora, 'mutual');
    await aPair(night, ana, dan, 'proposed');
    await aPair(night, ana, eve, 'declined');
    await aPair(night, ben, olive, 'mutual');
    await aPair(night, ben, chloe, 'mutual', [{ kind: 'introduction', text: 'Olga Organiser introduced you' }]);
    await db.insert(introductions).values({ eventId: night, aId: ben.id, bId: chloe.id, byName: 'Olga Organiser', message: 'You both build tidal turbines' });
    await db.insert(notes).values([
      { attendeeId: ana.id, aboutId: ben.id, text: 'Ask about the seed round <script>alert(1)</script> & Q3' },
      { attendeeId: ana.id, aboutId: chloe.id, text: 'Send her the deck' },
      { attendeeId: ana.id, aboutId: dan.id, text: 'DAN-PRIVATE-NOTE' },
      { attendeeId: ben.id, aboutId: ana.id, text: 'BEN-NOTE-ABOUT-ANA' },
    ]);
    await db.insert(contactCards).values([
      { attendeeId: ben.id, shareEmail: true, phone: '+351 912 345 678', link: '' },
      { attendeeId: chloe.id, shareEmail: false, phone: '', link: 'https://chloe.example/hello' },
      { attendeeId: dan.id, shareEmail: true, phone: '+44 20 7946 0958', link: 'https://dan.example' },
      { attendeeId: ana.id, shareEmail: true, phone: '', link: '' },
    ]);
    await db.update(attendees).set({ matchingOptOut: true }).where(sql`${attendees.id} = ${olive.id}`);
  });
  afterEach(() => {
    // A test that failed half-way must not leave the SMTP server refusing for the next.
    smtp.state.reject = null;
    target.url = smtp.url;
  });
  afterAll(async () => {
    await sut?.close();
    await smtp?.close();
  });

  it('previews the digest for the organiser and the attendee before anything is sent', async () => {
    const list = await overview(night);
    expect(list.mailer).toBe('smtp');
    expect(list.sendAt).toBe('2026-11-26T00:00:00.000Z');
    // Everyone who checked in, nobody who did not.
    expect(list.entries.map((e) => e.name)).toEqual(['Ana Sousa', 'Ben Okafor', 'Chloé Martin', 'Dan Ruiz', 'Eve Lind', 'Nora Quist', 'Olive Park']);
    expect(list.entries.every((e) => e.status === 'pending' && e.attempts === 0)).toBe(true);

    const res = await org.get(`/api/events/${night}/attendees/${ana.id}/followup/preview`);
    expect(res.status).toBe(200);
    const preview = res.body as FollowupPreview;
    expect(preview.to).toBe('ana@example.org');
    expect(preview.skipReason).toBeNull();
    expect(preview.contacts.map((c) => [c.name, c.how])).toEqual([
      ['Chloé Martin', 'met'],
      ['Ben Okafor', 'mutual'],
      ['Nora Quist', 'mutual'],
    ]);
    expect(preview.contacts.find((c) => c.name === 'Chloé Martin')?.contact).toEqual({ email: null, phone: null, link: 'https://chloe.example/hello' });
    expect(preview.attachments.map((a) => a.filename)).toEqual(['chloe-martin.vcf', 'ben-okafor.vcf', 'nora-quist.vcf', 'get-back-in-touch.ics']);
    expect(preview.text).not.toMatch(/Dan|Eve|DAN-PRIVATE-NOTE/);

    // The HTML part as the dashboard frames it: the same mail, under a policy of its own that
    // lets its inline styles in and nothing else (no script, no fetch, framed only by us).
    const page = await org.get(`/api/events/${night}/attendees/${ana.id}/followup/preview.html`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toBe(preview.html);
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox",
    );

    const token = await aSignedInToken(sut, ana.id);
    const mine = await request(sut.url).get('/api/me/followup').set('authorization', `Bearer ${token}`);
    expect(mine.status).toBe(200);
    expect((mine.body as FollowupPreview).text).toBe(preview.text);
    const card = await request(sut.url).get(`/api/me/followup/contacts/${ben.id}/vcard`).set('authorization', `Bearer ${token}`);
    expect(card.status).toBe(200);
    expect(card.headers['content-type']).toBe('text/vcard; charset=utf-8');
    expect(card.headers['content-disposition']).toContain('filename="Ben-Okafor.vcf"');
    expect(card.text).toContain('EMAIL;TYPE=work:ben@example.org');
    // Only people both said yes to: a proposed pair's card is not there to take.
    const notMine = await request(sut.url).get(`/api/me/followup/contacts/${dan.id}/vcard`).set('authorization', `Bearer ${token}`);
    expect(notMine.status).toBe(404);
    expect(smtp.received).toHaveLength(0);
  });

  it('sends at the end plus followUpHours, not before, once to each person with someone to follow up', async () => {
    sut.clock.set(Date.parse('2026-11-25T23:59:59Z'));
    await pause(300);
    expect(smtp.received).toHaveLength(0);

    sut.clock.set(Date.parse('2026-11-26T00:00:01Z'));
    await waitFor('three mails', () => smtp.received.length >= 3);
    await sut.followups.settled();
    const list = await waitFor('every follow-up settled', async () => {
      const o = await overview(night);
      return o.entries.every((e) => e.status === 'sent' || e.status === 'skipped') && o;
    });
    expect(smtp.received.map((m) => (Array.isArray(m.to) ? '' : m.to?.text)).sort()).toEqual(['ana@example.org', 'ben@example.org', 'chloe@example.org']);
    const byName = Object.fromEntries(list.entries.map((e) => [e.name, [e.status, e.lastError]]));
    expect(byName).toEqual({
      'Ana Sousa': ['sent', null],
      'Ben Okafor': ['sent', null],
      'Chloé Martin': ['sent', null],
      'Dan Ruiz': ['skipped', 'nobody to follow up with (no mutual or met pairs)'],
      'Eve Lind': ['skipped', 'nobody to follow up with (no mutual or met pairs)'],
      'Nora Quist': ['skipped', 'no email address'],
      'Olive Park': ['skipped', 'opted out (suggestions turned off)'],
    });
    expect(list.entries.find((e) => e.name === 'Ana Sousa')?.sentAt).toBe('2026-11-26T00:00:01.000Z');
    // A skip is not a send attempt.
    expect(list.entries.filter((e) => e.status === 'skipped').map((e) => e.attempts)).toEqual([0, 0, 0, 0]);
    expect(smtp.to('gus@example.org')).toHaveLength(0);
    expect(smtp.to('olive@example.org')).toHaveLength(0);
  });

  it("carries the reader's notes, only mutually shared contacts, a vCard each and a calendar reminder", async () => {
    const [mail] = smtp.to('ana@example.org');
    expect(mail).toBeDefined();
    if (!mail) return;
    expect(mail.subject).toMatch(/^Your people from Climate Tech Night \d+$/);
    expect(mail.from?.text).toContain('edgewise@edgewise.test');
    const text = mail.text ?? '';
    expect(text).toContain('Hi Ana,');
    expect(text).toContain('Your note: Ask about the seed round <script>alert(1)</script> & Q3');
    expect(text).toContain('Your note: Send her the deck');
    expect(text).toContain('Email: ben@example.org');
    expect(text).toContain('Phone: +351 912 345 678');
    expect(text).toContain('Link: https://chloe.example/hello');
    // Chloé did not share her email; Dan and Eve never matched with Ana; Ben's note is his own.
    expect(text).not.toContain('chloe@example.org');
    expect(text).not.toMatch(/Dan|Ruiz|7946|DAN-PRIVATE-NOTE|Eve|BEN-NOTE-ABOUT-ANA|Gus/);
    const html = String(mail.html);
    expect(html).toContain('Ask about the seed round &lt;script&gt;alert(1)&lt;/script&gt; &amp; Q3');
    expect(html).not.toContain('<script>');

    const files = mail.attachments.map((a) => a.filename).sort();
    expect(files).toEqual(['ben-okafor.vcf', 'chloe-martin.vcf', 'get-back-in-touch.ics', 'nora-quist.vcf']);
    const content = (name: string) => mail.attachments.find((a) => a.filename === name)?.content.toString('utf8') ?? '';
    const benCard = content('ben-okafor.vcf').replace(/\r\n /g, '');
    expect(benCard).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
    expect(benCard).toContain('FN:Ben Okafor\r\n');
    expect(benCard).toContain('EMAIL;TYPE=work:ben@example.org\r\n');
    expect(benCard).toContain('TEL;VALUE=uri;TYPE=cell:tel:+351-912-345-678\r\n');
    expect(benCard).toContain('NOTE:Met at Climate Tech Night');
    const chloeCard = content('chloe-martin.vcf');
    expect(chloeCard).toContain('FN:Chloé Martin\r\n');
    expect(chloeCard).not.toContain('EMAIL');
    expect(chloeCard).toContain('URL:https://chloe.example/hello\r\n');
    const ics = content('get-back-in-touch.ics').replace(/\r\n /g, '');
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
    expect(ics).toContain(`UID:followup-${ana.id}@127.0.0.1\r\n`);
    expect(ics).toContain('DTSTAMP:20261126T000001Z\r\n');
    // 10:00 in Lisbon the next day.
    expect(ics).toContain('DTSTART:20261127T100000Z\r\n');
    expect(ics).toContain('SUMMARY:Get back in touch with Chloé Martin\\, Ben Okafor and Nora Quist\r\n');
    for (const line of content('get-back-in-touch.ics').split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);

    const [benMail] = smtp.to('ben@example.org');
    expect(benMail?.text).toContain('Olga Organiser introduced you.');
    expect(benMail?.text).toContain('"You both build tidal turbines"');
    expect(benMail?.text).toContain('Email: ana@example.org');
  });

  it('never sends a second time: not on later ticks, not after a restart, not on "send now"', async () => {
    sut.clock.advance(3 * 3_600_000);
    await sut.followups.tick();
    const restarted = await startServer(kind, { database: sut.database, mailer, followup: followupConfig });
    try {
      restarted.clock.set(sut.clock());
      await restarted.followups.tick();
      await pause(200);
      const send = await org.post(`/api/events/${night}/followups/send`, {});
      expect(send.status).toBe(202);
      expect(send.body).toEqual({ queued: 0 });
      await sut.followups.settled();
    } finally {
      await restarted.close();
    }
    expect(smtp.received).toHaveLength(3);
  });

  it('sends once when the scheduler, a second node and "send now" race', async () => {
    const { eventId, guests } = await anEvening({ endsAt: '2026-11-26T06:00:00Z', followUpHours: 0 }, [
      { name: 'Ray One', email: 'ray@example.org' },
      { name: 'Sam Two', email: 'sam@example.org' },
      { name: 'Tia Three', email: 'tia@example.org' },
    ]);
    const [ray, sam, tia] = guests as [Guest, Guest, Guest];
    await aPair(eventId, ray, sam, 'mutual');
    await aPair(eventId, sam, tia, 'met');
    const other = await startServer(kind, { database: sut.database, mailer, followup: { ...followupConfig, tickMs: 60_000 } });
    try {
      const due = Date.parse('2026-11-26T06:00:00Z');
      sut.clock.set(due);
      other.clock.set(due);
      const [send] = await Promise.all([
        org.post(`/api/events/${eventId}/followups/send`, {}),
        sut.followups.tick(),
        other.followups.tick(),
        org.post(`/api/events/${eventId}/followups/send`, { attendeeId: sam.id }),
      ]);
      expect(send.status).toBe(202);
      await waitFor('three mails', () => ['ray', 'sam', 'tia'].every((n) => smtp.to(`${n}@example.org`).length > 0));
      await other.followups.settled();
      await sut.followups.settled();
      await pause(200);
    } finally {
      await other.close();
    }
    for (const n of ['ray', 'sam', 'tia']) expect(smtp.to(`${n}@example.org`)).toHaveLength(1);
    expect((await overview(eventId)).counts).toMatchObject({ sent: 3, failed: 0, sending: 0 });
  });

  it('takes over a send left half-way by a node that died, once its lease has run out', async () => {
    const { eventId, guests } = await anEvening({ endsAt: '2026-11-26T07:00:00Z', followUpHours: 0 }, [
      { name: 'Kai Crash', email: 'kai@example.org' },
      { name: 'Lea Crash', email: 'lea@example.org' },
    ]);
    const [kai, lea] = guests as [Guest, Guest];
    await aPair(eventId, kai, lea, 'mutual');
    const claimedAt = Date.parse('2026-11-26T07:00:00Z');
    // What a node leaves behind when it dies between its claim and the SMTP answer.
    await sut.database.db.insert(followups).values({
      eventId,
      attendeeId: kai.id,
      status: 'sending',
      attempts: 1,
      nextAttemptAt: new Date(claimedAt + 15 * 60_000),
    });
    sut.clock.set(claimedAt + 60_000);
    await waitFor('Lea\'s mail', () => smtp.to('lea@example.org').length === 1);
    await sut.followups.tick();
    expect(smtp.to('kai@example.org')).toHaveLength(0);
    expect((await entryOf(eventId, kai))?.status).toBe('sending');

    sut.clock.set(claimedAt + 15 * 60_000);
    await waitFor('the take-over', async () => (await entryOf(eventId, kai))?.status === 'sent');
    expect(smtp.to('kai@example.org')).toHaveLength(1);
    expect((await entryOf(eventId, kai))?.attempts).toBe(2);
  });

  it('records a rejected send as failed with the error, and the scheduler retries it after the backoff', async () => {
    const { eventId, guests } = await anEvening({ endsAt: '2026-11-26T08:00:00Z', followUpHours: 0 }, [
      { name: 'Uma Fail', email: 'uma@example.org' },
      { name: 'Vic Fail', email: 'vic@example.org' },
    ]);
    const [uma, vic] = guests as [Guest, Guest];
    await aPair(eventId, uma, vic, 'mutual');
    smtp.state.reject = 'Mailbox unavailable: try later';
    sut.clock.set(Date.parse('2026-11-26T08:00:00Z'));
    const failed = await waitFor('a failed follow-up', async () => {
      const e = await entryOf(eventId, uma);
      return e?.status === 'failed' && e;
    });
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toContain('Mailbox unavailable: try later');
    expect(failed.nextAttemptAt).toBe('2026-11-26T08:01:00.000Z');
    await waitFor('both failed', async () => (await overview(eventId)).counts.failed === 2);
    expect(smtp.to('uma@example.org')).toHaveLength(0);

    // Not before the backoff is over.
    smtp.state.reject = null;
    sut.clock.set(Date.parse('2026-11-26T08:00:30Z'));
    await pause(250);
    expect(smtp.to('uma@example.org')).toHaveLength(0);

    sut.clock.set(Date.parse('2026-11-26T08:01:00Z'));
    const sent = await waitFor('the retry', async () => {
      const e = await entryOf(eventId, uma);
      return e?.status === 'sent' && e;
    });
    expect(sent).toMatchObject({ attempts: 2, lastError: null });
    await waitFor('both retried', async () => (await overview(eventId)).counts.sent === 2);
    expect(smtp.to('uma@example.org')).toHaveLength(1);
    expect(smtp.to('vic@example.org')).toHaveLength(1);
  });

  it('records an unreachable SMTP server as failed, and "send now" for that person sends it once it is back', async () => {
    const { eventId, guests } = await anEvening({ endsAt: '2027-06-01T22:00:00Z', followUpHours: 12 }, [
      { name: 'Wes Down', email: 'wes@example.org' },
      { name: 'Xia Down', email: 'xia@example.org' },
    ]);
    const [wes, xia] = guests as [Guest, Guest];
    await aPair(eventId, wes, xia, 'met');
    target.url = 'smtp://127.0.0.1:9';
    try {
      const send = await org.post(`/api/events/${eventId}/followups/send`, { attendeeId: wes.id });
      expect(send.body).toEqual({ queued: 1 });
      const failed = await waitFor('a failed follow-up', async () => {
        const e = await entryOf(eventId, wes);
        return e?.status === 'failed' && e;
      });
      expect(failed.lastError).toMatch(/ECONNREFUSED|connect/i);
      // Only the one asked for.
      expect((await entryOf(eventId, xia))?.status).toBe('pending');
    } finally {
      target.url = smtp.url;
    }
    const again = await org.post(`/api/events/${eventId}/followups/send`, { attendeeId: wes.id });
    expect(again.body).toEqual({ queued: 1 });
    await waitFor('the resend', async () => (await entryOf(eventId, wes))?.status === 'sent');
    expect(smtp.to('wes@example.org')).toHaveLength(1);
    expect(smtp.to('xia@example.org')).toHaveLength(0);
  });

  it('refuses to send for someone who never checked in, and says so when the server has no SMTP', async () => {
    const notIn = await org.post(`/api/events/${night}/followups/send`, { attendeeId: gus.id });
    expect(notIn.status).toBe(409);
    expect(notIn.body.error.code).toBe('not_checked_in');
    const bad = await org.post(`/api/events/${night}/followups/send`, { attendeeId: 'nope' });
    expect(bad.status).toBe(400);

    const previewOnly = await startServer(kind, { database: sut.database });
    try {
      const o = await anOrganiser(previewOnly);
      const list = await o.get(`/api/events/${night}/followups`);
      expect(list.body.mailer).toBe('preview');
      const send = await o.post(`/api/events/${night}/followups/send`, {});
      expect(send.status).toBe(409);
      expect(send.body.error.message).toContain('No SMTP_URL');
    } finally {
      await previewOnly.close();
    }
  });
});
