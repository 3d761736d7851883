import { describe, expect, it } from 'vitest';
import type { CheckinOutcome } from '@edgewise/shared';
import type { QueuedScan } from '../../features/offline-queue/types';
import { i18n, loadLanguage } from '../../lib/i18n';
import { answerDisagrees, noticeForAnswer, noticeForFlag } from './staffNotice';

const scan: QueuedScan = {
  nonce: 'nonce-0001',
  eventId: '00000000-0000-4000-8000-000000000001',
  token: 'secret',
  type: 'entry',
  scannedAt: '2026-11-25T18:42:00.000Z',
  method: 'qr_keyboard',
  queuedAt: '2026-11-25T18:42:00.000Z',
  offline: { status: 'ok', reason: 'first_entry', firstName: 'Dee' },
};
const answer = (o: Partial<CheckinOutcome>): CheckinOutcome => ({
  status: 'ok',
  reason: 'first_entry',
  message: '',
  checkinId: '00000000-0000-4000-8000-0000000000c1',
  nonce: scan.nonce,
  type: 'entry',
  scannedAt: scan.scannedAt,
  receivedAt: scan.scannedAt,
  replayed: false,
  flagged: false,
  attendee: null,
  ...o,
});

describe('staff notices', () => {
  it('speaks up only where the server differs from what the kiosk said offline, or flags the scan', () => {
    expect(answerDisagrees(scan, answer({}))).toBe(false);
    expect(answerDisagrees(scan, answer({ status: 'revoked', reason: 'revoked' }))).toBe(true);
    expect(answerDisagrees(scan, answer({ flagged: true }))).toBe(true);
    // Refused offline as unknown, refused by the server as another event's: nothing changed at the door.
    expect(answerDisagrees({ ...scan, offline: { status: 'unknown_token', reason: 'unknown_token', firstName: null } }, answer({ status: 'wrong_event', reason: 'wrong_event' }))).toBe(false);
    // A scan made online never had an offline answer to disagree with.
    expect(answerDisagrees({ ...scan, offline: undefined }, answer({ status: 'revoked' }))).toBe(false);
  });

  it('names the guest, both answers and whether the organiser was alerted', () => {
    const { text } = noticeForAnswer(scan, answer({ status: 'already_checked_in', reason: 'already_present', flagged: true }), 'en');
    expect(text).toMatch(/^Dee, scanned at .+ while offline: this kiosk said “checked in”, the server says “already checked in at another door”\. The organiser has been alerted\.$/);
    expect(noticeForAnswer(scan, answer({ status: 'revoked', reason: 'revoked' }), 'en').text).not.toMatch(/alerted/);
    expect(noticeForFlag({ nonce: 'n', checkinId: scan.nonce, status: 'already_checked_in', reason: 'already_present', firstName: null, scannedAt: scan.scannedAt }, 'en').text).toMatch(/^A guest, scanned here at/);
  });

  it('speaks the staff’s language while the guest in front of the kiosk reads another', async () => {
    await Promise.all([loadLanguage('de'), loadLanguage('ja')]);
    i18n.global.locale.value = 'ja';
    try {
      const { text } = noticeForAnswer(scan, answer({ status: 'revoked', reason: 'revoked', flagged: true }), 'de');
      expect(text).toMatch(/^Dee, offline gescannt um .+: Dieser Kiosk sagte „.+“, der Server sagt „.+“\. Das Orga-Team wurde benachrichtigt\.$/);
    } finally {
      i18n.global.locale.value = 'en';
    }
  });
});
