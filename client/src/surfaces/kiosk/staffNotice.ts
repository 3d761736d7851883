import { offlineDisagrees, type CheckinListFlag, type CheckinOutcome, type CheckinStatus } from '@edgewise/shared';
import type { QueuedScan } from '../../features/offline-queue/types';

/**
 * Notes for staff at this kiosk about scans the server judged otherwise than the kiosk did
 * offline, or flagged for the organiser: small, in the staff corner, never on the guest's
 * result screen.
 */
export interface StaffNotice {
  nonce: string;
  text: string;
}

const said: Record<CheckinStatus, string> = {
  ok: 'checked in',
  already_checked_in: 'already checked in',
  not_checked_in: 'not checked in',
  unknown_token: 'unknown ticket',
  revoked: 'replaced ticket',
  wrong_event: 'ticket for another event',
  event_closed: 'check-in closed',
  event_not_open: 'check-in not open',
  confirmation_required: 'needs confirming',
  confirmation_failed: 'not confirmed',
};

const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The server's answer to an uploaded offline scan differs from what the guest was told, or flags it. */
export const answerDisagrees = (scan: QueuedScan, outcome: CheckinOutcome) =>
  scan.offline !== undefined && (offlineDisagrees(scan.offline.status, outcome.status) || outcome.flagged);

export function noticeForAnswer(scan: QueuedScan, outcome: CheckinOutcome): StaffNotice {
  const who = scan.offline?.firstName ?? outcome.attendee?.name.split(' ')[0] ?? 'A guest';
  const kiosk = scan.offline ? said[scan.offline.status] : 'saved';
  const server = outcome.status === 'already_checked_in' && outcome.flagged ? 'already checked in at another door' : said[outcome.status];
  const alerted = outcome.flagged ? ' The organiser has been alerted.' : '';
  return { nonce: scan.nonce, text: `${who}, scanned at ${clock(scan.scannedAt)} while offline: this kiosk said "${kiosk}", the server says "${server}".${alerted}` };
}

export function noticeForFlag(flag: CheckinListFlag): StaffNotice {
  const who = flag.firstName ?? 'A guest';
  const server = flag.status === 'already_checked_in' ? 'already checked in at another door' : said[flag.status];
  return { nonce: flag.nonce, text: `${who}, scanned here at ${clock(flag.scannedAt)}: the server says "${server}". The organiser has been alerted.` };
}
