import { offlineDisagrees, type CheckinListFlag, type CheckinOutcome, type CheckinStatus } from '@edgewise/shared';
import type { QueuedScan } from '../../features/offline-queue/types';
import { translate } from '../../lib/i18n';
import { browserTimeZone, formatInZone } from '../../lib/zonedTime';
import type { MessageKey } from '@edgewise/shared';

/**
 * Notes for staff at this kiosk about scans the server judged otherwise than the kiosk did
 * offline, or flagged for the organiser: small, in the staff corner, never on the guest's
 * result screen.
 */
export interface StaffNotice {
  nonce: string;
  text: string;
}

const saidKey: Record<CheckinStatus, MessageKey> = {
  ok: 'kiosk.staff.said.ok',
  already_checked_in: 'kiosk.staff.said.alreadyCheckedIn',
  not_checked_in: 'kiosk.staff.said.notCheckedIn',
  unknown_token: 'kiosk.staff.said.unknownToken',
  revoked: 'kiosk.staff.said.revoked',
  wrong_event: 'kiosk.staff.said.wrongEvent',
  event_closed: 'kiosk.staff.said.eventClosed',
  event_not_open: 'kiosk.staff.said.eventNotOpen',
  confirmation_required: 'kiosk.staff.said.confirmationRequired',
  confirmation_failed: 'kiosk.staff.said.confirmationFailed',
};
const said = (status: CheckinStatus) => translate(saidKey[status]);

/** The kiosk's own clock: staff read the time on the wall beside it. */
const clock = (iso: string) => formatInZone(iso, browserTimeZone(), { hour: '2-digit', minute: '2-digit' });

/** The server's answer to an uploaded offline scan differs from what the guest was told, or flags it. */
export const answerDisagrees = (scan: QueuedScan, outcome: CheckinOutcome) =>
  scan.offline !== undefined && (offlineDisagrees(scan.offline.status, outcome.status) || outcome.flagged);

export function noticeForAnswer(scan: QueuedScan, outcome: CheckinOutcome): StaffNotice {
  const who = scan.offline?.firstName ?? outcome.attendee?.name.split(' ')[0] ?? translate('kiosk.staff.aGuest');
  const kiosk = scan.offline ? said(scan.offline.status) : translate('kiosk.staff.said.saved');
  const server = outcome.status === 'already_checked_in' && outcome.flagged ? translate('kiosk.staff.said.otherDoor') : said(outcome.status);
  const text = translate('kiosk.staff.offlineScan', { who, time: clock(scan.scannedAt), kiosk, server });
  return { nonce: scan.nonce, text: outcome.flagged ? `${text} ${translate('kiosk.staff.alerted')}` : text };
}

export function noticeForFlag(flag: CheckinListFlag): StaffNotice {
  const who = flag.firstName ?? translate('kiosk.staff.aGuest');
  const server = flag.status === 'already_checked_in' ? translate('kiosk.staff.said.otherDoor') : said(flag.status);
  return { nonce: flag.nonce, text: `${translate('kiosk.staff.flagged', { who, time: clock(flag.scannedAt), server })} ${translate('kiosk.staff.alerted')}` };
}
