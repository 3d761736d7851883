import { offlineDisagrees, type CheckinListFlag, type CheckinOutcome, type CheckinStatus, type LanguageCode, type MessageKey } from '@edgewise/shared';
import type { QueuedScan } from '../../features/offline-queue/types';
import { translateIn } from '../../lib/i18n';
import { browserTimeZone, formatInZone } from '../../lib/zonedTime';

/**
 * Notes for staff at this kiosk about scans the server judged otherwise than the kiosk did
 * offline, or flagged for the organiser: small, in the staff corner, never on the guest's
 * result screen, and in the staff's language (see `staffLanguage` in the store).
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
const said = (lang: LanguageCode, status: CheckinStatus) => translateIn(lang, saidKey[status]);

/** The kiosk's own clock: staff read the time on the wall beside it. */
const clock = (iso: string) => formatInZone(iso, browserTimeZone(), { hour: '2-digit', minute: '2-digit' });

/** The server's answer to an uploaded offline scan differs from what the guest was told, or flags it. */
export const answerDisagrees = (scan: QueuedScan, outcome: CheckinOutcome) =>
  scan.offline !== undefined && (offlineDisagrees(scan.offline.status, outcome.status) || outcome.flagged);

export function noticeForAnswer(scan: QueuedScan, outcome: CheckinOutcome, lang: LanguageCode): StaffNotice {
  const who = scan.offline?.firstName ?? outcome.attendee?.name.split(' ')[0] ?? translateIn(lang, 'kiosk.staff.aGuest');
  const kiosk = scan.offline ? said(lang, scan.offline.status) : translateIn(lang, 'kiosk.staff.said.saved');
  const server = outcome.status === 'already_checked_in' && outcome.flagged ? translateIn(lang, 'kiosk.staff.said.otherDoor') : said(lang, outcome.status);
  const text = translateIn(lang, 'kiosk.staff.offlineScan', { who, time: clock(scan.scannedAt), kiosk, server });
  return { nonce: scan.nonce, text: outcome.flagged ? `${text} ${translateIn(lang, 'kiosk.staff.alerted')}` : text };
}

export function noticeForFlag(flag: CheckinListFlag, lang: LanguageCode): StaffNotice {
  const who = flag.firstName ?? translateIn(lang, 'kiosk.staff.aGuest');
  const server = flag.status === 'already_checked_in' ? translateIn(lang, 'kiosk.staff.said.otherDoor') : said(lang, flag.status);
  return { nonce: flag.nonce, text: `${translateIn(lang, 'kiosk.staff.flagged', { who, time: clock(flag.scannedAt), server })} ${translateIn(lang, 'kiosk.staff.alerted')}` };
}
