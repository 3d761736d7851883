import { offlineDisagrees, type CheckinListFlag, type CheckinOutcome, type CheckinStatus, type LanguageCode, type MessageKey, type MessageValues } from '@edgewise/shared';
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
/** Messages in the staff's language, whatever the guest in front of the kiosk reads. */
const sayIn = (lang: LanguageCode) => (key: MessageKey, values?: MessageValues) => translateIn(lang, key, values);

/** The kiosk's own clock: staff read the time on the wall beside it. */
const clock = (iso: string) => formatInZone(iso, browserTimeZone(), { hour: '2-digit', minute: '2-digit' });

/** The server's answer to an uploaded offline scan differs from what the guest was told, or flags it. */
export const answerDisagrees = (scan: QueuedScan, outcome: CheckinOutcome) =>
  scan.offline !== undefined && (offlineDisagrees(scan.offline.status, outcome.status) || outcome.flagged);

export function noticeForAnswer(scan: QueuedScan, outcome: CheckinOutcome, lang: LanguageCode): StaffNotice {
  const say = sayIn(lang);
  const who = scan.offline?.firstName ?? outcome.attendee?.name.split(' ')[0] ?? say('kiosk.staff.aGuest');
  const kiosk = say(scan.offline ? saidKey[scan.offline.status] : 'kiosk.staff.said.saved');
  const server = say(outcome.status === 'already_checked_in' && outcome.flagged ? 'kiosk.staff.said.otherDoor' : saidKey[outcome.status]);
  const text = say('kiosk.staff.offlineScan', { who, time: clock(scan.scannedAt), kiosk, server });
  return { nonce: scan.nonce, text: outcome.flagged ? `${text} ${say('kiosk.staff.alerted')}` : text };
}

export function noticeForFlag(flag: CheckinListFlag, lang: LanguageCode): StaffNotice {
  const say = sayIn(lang);
  const who = flag.firstName ?? say('kiosk.staff.aGuest');
  const server = say(flag.status === 'already_checked_in' ? 'kiosk.staff.said.otherDoor' : saidKey[flag.status]);
  return { nonce: flag.nonce, text: `${say('kiosk.staff.flagged', { who, time: clock(flag.scannedAt), server })} ${say('kiosk.staff.alerted')}` };
}
