import { createRequire } from 'node:module';
import { eq } from 'drizzle-orm';
import jsQR from 'jsqr';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, phoneLinks, tickets, type Database } from '@edgewise/db';
import { parseTicketText, type InvitationList, type InvitationPreview, type InvitationsChanged, type MeSession } from '@edgewise/shared';
import type { Mailer } from '../../api/src/deps';
import { smtpMailer } from '../../api/src/features/followup/mailer';
import { aGuest, anOpenEvent, anOrganiser, type Organiser } from '../fixtures/builders';
import { aRecordingMailer, codeInMail } from '../fixtures/credentials';
import { aDatabase, aSocket, dbKinds, request, startServer, type TestServer } from '../fixtures/server';
import { anSmtpServer, type SmtpServer } from '../fixtures/smtp';
import { waitFor } from '../fixtures/wait';

// pngjs (qrcode's own PNG codec) ships no types; this is the one call the test makes.
const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };

const FROM = 'Edgewise <edgewise@edgewise.test>';
/** Each mail makes a QR PNG and opens an SMTP connection: slow on a busy CI machine. */
const LONG = 120_000;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const recipient = (m: ParsedMail) => (Array.isArray(m.to) ? '' : (m.to?.value[0]?.address ?? ''));

/** The QR inline in a ticket mail, decoded as the kiosk's camera decodes it (jsQR). */
function qrInMail(mail: ParsedMail): string | null {
  const png = mail.attachments.find((a) => a.contentType === 'image/png');
  if (!png) return null;
  const image = PNG.sync.read(png.content);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height)?.data ?? null;
}

const signInCode = (mail: ParsedMail) => {
  const url = /https?:\/\/\S+\/me\?code=[A-Za-z0-9_-]+/.exec(mail.text ?? '')?.[0];
  return url ? new URL(url).searchParams.get('code') : null;
};

describe.each(dbKinds)('ticket mails (%s)', (kind) => {
  let smtp: SmtpServer;
  let database: Database;
  let sut: TestServer;
  let org: Organiser;
  const mailer: Mailer = { kind: 'smtp', from: FROM, send: (m) => smtpMailer(smtp.url, FROM).send(m) };
  const config = { tickMs: 50, retryBaseMs: 2_000, batch: 8 };

  beforeAll(async () => {
    smtp = await anSmtpServer();
    database = await aDatabase(kind);
    sut = await startServer(kind, { database, mailer, invitations: config });
    org = await anOrganiser(sut);
  }, LONG);
  afterAll(async () => {
    await sut?.close();
    await database?.close();
    await smtp?.close();
  });

  it('sends each of 200 guests exactly one mail with their own QR, sign-in link and .ics, through a restart, a second click and a rejected recipient', async () => {
    const eventId = await anOpenEvent(org, { name: 'Harbour Night', venue: 'Pier 4' });
    const csv = ['name,email', ...Array.from({ length: 200 }, (_, i) => `Guest ${String(i).padStart(3, '0')},guest-${String(i).padStart(3, '0')}@example.org`)].join('\n');
    const imported = await org.agent.post(`/api/events/${eventId}/attendees/import`).set('x-csrf-token', org.csrf).set('content-type', 'text/csv').send(Buffer.from(csv));
    expect(imported.status).toBe(201);
    const owner = new Map((await database.db.select().from(tickets).where(eq(tickets.eventId, eventId))).map((t) => [t.secret, t.attendeeId]));
    const list = async (server: TestServer, who = org) => {
      const res = await request(server.url).get(`/api/events/${eventId}/invitations`).set('cookie', who.cookie);
      expect(res.status).toBe(200);
      return res.body as InvitationList;
    };
    const before = await list(sut);
    expect(before.entries).toHaveLength(200);
    expect(before.entries.every((e) => e.state === 'not_sent')).toBe(true);

    smtp.state.delayMs = 15;
    smtp.state.rejectRecipient.set('guest-007@example.org', 1);
    smtp.state.rejectRecipient.set('guest-150@example.org', 1);
    const socket = await aSocket(sut, { cookie: org.cookie });
    const progress: InvitationsChanged[] = [];
    socket.on('invitations:changed', (p) => progress.push(p));
    await socket.emitWithAck('event:subscribe', { eventId });

    // "Send to everyone", and the double click.
    const [first, second] = await Promise.all([org.post(`/api/events/${eventId}/invitations`, {}), org.post(`/api/events/${eventId}/invitations`, {})]);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect((first.body as { queued: number }).queued + (second.body as { queued: number }).queued).toBe(200);

    // A refused recipient is reported with the server's reason, and a retry is set.
    await waitFor('a quarter of the mails', () => smtp.received.length >= 50, LONG);
    const refused = (await list(sut)).entries.find((e) => e.email === 'guest-007@example.org');
    expect(refused).toMatchObject({ state: 'failed', attempts: 1 });
    expect(refused?.lastError).toMatch(/550.*Mailbox unavailable/);
    expect(Date.parse(refused?.nextAttemptAt ?? '')).toBe(sut.clock() + config.retryBaseMs);

    // A restart mid-send: this node stops (finishing the mails it holds), another takes over.
    socket.close();
    await sut.close();
    const sentByFirst = smtp.received.length;
    expect(sentByFirst).toBeLessThan(200);
    expect(progress.some((p) => p.run && p.run.done > 0 && p.run.done < p.run.total)).toBe(true);

    sut = await startServer(kind, { database, mailer, invitations: config });
    // Another click queues only the failed mail again (nothing queued, on its way or sent).
    const again = await request(sut.url).post(`/api/events/${eventId}/invitations`).set('cookie', org.cookie).set('x-csrf-token', org.csrf).send({});
    expect(again.body).toEqual({ queued: 1 });
    await waitFor('199 mails', () => smtp.received.length >= 199, LONG);
    await sut.followups.settled();

    // Left alone, a failure is retried after its backoff.
    const failed = await waitFor('the second refusal on the list', async () => (await list(sut)).entries.find((e) => e.email === 'guest-150@example.org' && e.state === 'failed'), LONG);
    expect(failed.lastError).toMatch(/550.*Mailbox unavailable/);
    sut.clock.advance(config.retryBaseMs);
    await waitFor('the retried mail', () => smtp.received.length >= 200, LONG);
    await pause(300);
    await sut.followups.settled();

    // Exactly one mail each, each carrying that guest's own live ticket.
    expect(smtp.received).toHaveLength(200);
    const byRecipient = new Map<string, ParsedMail[]>();
    for (const m of smtp.received) byRecipient.set(recipient(m), [...(byRecipient.get(recipient(m)) ?? []), m]);
    expect(byRecipient.size).toBe(200);
    const guests = new Map((await list(sut)).entries.map((e) => [e.email ?? '', e]));
    for (const [to, mails] of byRecipient) {
      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      const qr = qrInMail(mail);
      expect(qr, `QR in the mail to ${to}`).not.toBeNull();
      const secret = parseTicketText(qr ?? '');
      expect(owner.get(secret ?? '')).toBe(guests.get(to)?.attendeeId);
      expect(mail.text).toContain(qr);
      // Inline, by Content-ID: mailparser resolves the HTML's cid: reference to the part itself.
      const png = mail.attachments.find((a) => a.contentType === 'image/png');
      expect(png).toMatchObject({ cid: 'ticket-qr@edgewise', contentDisposition: 'inline' });
      expect(mail.html).toContain('<img src="data:image/png;base64,');
      expect(mail.html).not.toMatch(/src="https?:/);
      const ics = mail.attachments.find((a) => a.filename === 'event.ics');
      expect(ics?.content.toString()).toMatch(/SUMMARY:Harbour Night[\s\S]*LOCATION:Pier 4/);
      // The calendar entry (shared and synced more widely than a mailbox) carries no ticket.
      expect(ics?.content.toString()).not.toContain(secret ?? 'no secret');
      expect(signInCode(mail)).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    }
    const final = await list(sut);
    expect(final.counts).toEqual({ queued: 0, sending: 0, sent: 200, failed: 0 });
    expect(final.run).toBeNull();
    expect(final.entries.find((e) => e.email === 'guest-150@example.org')).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
    expect(final.entries.find((e) => e.email === 'guest-007@example.org')).toMatchObject({ state: 'sent', lastError: null });

    // The sign-in link opens that guest's own page, once.
    const ana = byRecipient.get('guest-042@example.org')![0]!;
    const session = await request(sut.url).post('/api/me/session').send({ code: signInCode(ana) });
    expect(session.status).toBe(201);
    expect((session.body as MeSession).snapshot.me.name).toBe('Guest 042');
    expect((await request(sut.url).post('/api/me/session').send({ code: signInCode(ana) })).status).toBe(404);

    // A second click now, or "not yet sent", sends nothing.
    const late = await request(sut.url).post(`/api/events/${eventId}/invitations`).set('cookie', org.cookie).set('x-csrf-token', org.csrf).send({ onlyUnsent: true });
    expect(late.body).toEqual({ queued: 0 });
    await pause(300);
    expect(smtp.received).toHaveLength(200);

    const audit = await database.db.select().from(auditLog).where(eq(auditLog.action, 'invitations.send'));
    expect(audit.filter((a) => a.eventId === eventId).map((a) => (a.details as { queued: number }).queued).sort((a, b) => a - b)).toEqual([0, 0, 1, 200]);
  }, 300_000);
});

describe.each(dbKinds)('ticket mails without SMTP_URL, and a reissued ticket (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  beforeAll(async () => {
    sut = await startServer(kind);
    org = await anOrganiser(sut);
  });
  afterAll(async () => {
    await sut?.close();
  });

  it('says mails cannot be sent, previews each one without minting a link, and offers a spreadsheet-safe mail-merge file', async () => {
    const eventId = await anOpenEvent(org, { name: 'Quiet Night' });
    const ana = await aGuest(org, eventId, { name: '+Ana Plus', email: 'ana@example.org' });
    const bo = await aGuest(org, eventId, { name: 'Bo Nomail', email: null });

    const refused = await org.post(`/api/events/${eventId}/invitations`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('mail_not_configured');

    const list = (await org.get(`/api/events/${eventId}/invitations`)).body as InvitationList;
    expect(list.mail).toBe(false);
    expect(list.entries.map((e) => [e.name, e.state, e.unsendableReason])).toEqual([
      ['+Ana Plus', 'not_sent', null],
      ['Bo Nomail', 'unsendable', 'no_email'],
    ]);

    const links = async () => (await sut.database.db.select().from(phoneLinks)).length;
    const before = await links();
    const preview = await org.get(`/api/events/${eventId}/invitations/${ana.id}/preview`);
    expect(preview.status).toBe(200);
    const body = preview.body as InvitationPreview;
    expect(body).toMatchObject({ to: 'ana@example.org', subject: 'Your ticket for Quiet Night' });
    expect(body.text).toContain(`/t/${ana.secret}`);
    expect(body.text).toContain('(your own sign-in link: made when the mail is sent)');
    expect(body.text).not.toMatch(/\/me\?code=/);
    expect(body.attachments.map((a) => a.filename)).toEqual(['ticket-qr.png', 'event.ics']);
    expect(await links()).toBe(before);

    const merge = await org.get(`/api/events/${eventId}/invitations/mail-merge.csv`);
    expect(merge.status).toBe(200);
    expect(merge.headers['content-type']).toMatch(/^text\/csv/);
    const lines = merge.text.slice(1).trimEnd().split('\r\n');
    expect(merge.text.startsWith('\uFEFF"Name","Email","Ticket link","Sign-in link","Sign-in link expires"\r\n')).toBe(true);
    // Bo has no email: only Ana is in the file, her name disarmed as the exports do.
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^"'\\+Ana Plus","ana@example.org","[^"]+/t/${ana.secret}","[^"]+/me\\?code=[A-Za-z0-9_-]+","`));
    const code = new URL(/"(http[^"]+\/me\?code=[^"]+)"/.exec(lines[1] ?? '')?.[1] ?? 'http://x').searchParams.get('code');
    expect((await request(sut.url).post('/api/me/session').send({ code })).status).toBe(201);
    const audit = await sut.database.db.select().from(auditLog).where(eq(auditLog.action, 'invitations.mail_merge'));
    expect(audit.map((a) => [a.eventId, a.details])).toEqual([[eventId, { guests: 1 }]]);
    expect(bo.secret).toBeTruthy();
  });
});

describe.each(dbKinds)('ticket mails for one guest (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  const recording = aRecordingMailer();
  beforeAll(async () => {
    sut = await startServer(kind, { mailer: recording.mailer, invitations: { tickMs: 50 } });
    org = await anOrganiser(sut);
  });
  afterAll(async () => {
    await sut?.close();
  });

  it('sends one guest their ticket, not twice on a quick second click, and the new ticket after a reissue', async () => {
    const eventId = await anOpenEvent(org);
    const ana = await aGuest(org, eventId, { name: 'Ana Sousa', email: 'ana@example.org' });
    expect((await org.post(`/api/events/${eventId}/invitations`, { attendeeIds: [ana.id] })).body).toEqual({ queued: 1 });
    const [first] = await recording.mailTo('ana@example.org');
    expect(first?.text).toContain(`/t/${ana.secret}`);
    await sut.followups.settled();
    expect((await org.post(`/api/events/${eventId}/invitations`, { attendeeIds: [ana.id] })).body).toEqual({ queued: 0 });

    const reissued = await org.post(`/api/events/${eventId}/attendees/${ana.id}/ticket/reissue`, {});
    expect(reissued.status).toBe(201);
    const entry = ((await org.get(`/api/events/${eventId}/invitations`)).body as InvitationList).entries[0];
    expect(entry).toMatchObject({ state: 'sent', ticketChanged: true });
    // The old mail's sign-in link ended with the old ticket.
    expect((await request(sut.url).post('/api/me/session').send({ code: codeInMail(first!) })).status).toBe(404);

    expect((await org.post(`/api/events/${eventId}/invitations`, { onlyUnsent: true })).body).toEqual({ queued: 1 });
    const mails = await recording.mailTo('ana@example.org', 2);
    expect(mails).toHaveLength(2);
    expect(mails[1]?.text).toContain(`/t/${(reissued.body as { secret: string }).secret}`);
    expect((await request(sut.url).post('/api/me/session').send({ code: codeInMail(mails[1]!) })).status).toBe(201);

    for (const bad of [{ attendeeIds: [] }, { attendeeIds: ['nope'] }, { onlyUnsent: 'yes' }, { everyone: true }]) {
      const res = await org.post(`/api/events/${eventId}/invitations`, bad);
      expect(res.status).toBe(400);
    }

    // Once the event is over, no tickets and no fresh sign-in links go out.
    sut.clock.advance(24 * 3_600_000);
    const over = await org.post(`/api/events/${eventId}/invitations`, {});
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('event_closed');
    expect((await org.get(`/api/events/${eventId}/invitations/mail-merge.csv`)).status).toBe(409);
  });
});

describe.each(dbKinds)('ticket mails from two nodes at once (%s)', (kind) => {
  let database: Database;
  let nodes: TestServer[] = [];
  const recording = aRecordingMailer();
  beforeAll(async () => {
    database = await aDatabase(kind);
    // Both nodes look for due mails every 20 ms, a few at a time: their claims interleave.
    nodes = [
      await startServer(kind, { database, mailer: recording.mailer, invitations: { tickMs: 20, batch: 4 } }),
      await startServer(kind, { database, mailer: recording.mailer, invitations: { tickMs: 20, batch: 4 } }),
    ];
  }, LONG);
  afterAll(async () => {
    for (const n of nodes) await n.close();
    await database?.close();
  });

  it('sends each mail once when two nodes and two clicks race', async () => {
    const [a, b] = nodes as [TestServer, TestServer];
    const org = await anOrganiser(a);
    const eventId = await anOpenEvent(org);
    const csv = ['name,email', ...Array.from({ length: 30 }, (_, i) => `Guest ${i},g${i}@example.org`)].join('\n');
    expect((await org.agent.post(`/api/events/${eventId}/attendees/import`).set('x-csrf-token', org.csrf).set('content-type', 'text/csv').send(Buffer.from(csv))).status).toBe(201);
    const click = (node: TestServer) => request(node.url).post(`/api/events/${eventId}/invitations`).set('cookie', org.cookie).set('x-csrf-token', org.csrf).send({});
    const answers = await Promise.all([click(a), click(b)]);
    expect(answers.map((r) => r.status)).toEqual([202, 202]);
    expect(answers.reduce((n, r) => n + (r.body as { queued: number }).queued, 0)).toBe(30);
    await waitFor('30 mails', () => recording.mails.length >= 30, LONG);
    await pause(300);
    await Promise.all(nodes.map((n) => n.followups.settled()));
    expect(recording.mails).toHaveLength(30);
    expect(new Set(recording.mails.map((m) => m.to)).size).toBe(30);
  });
});
