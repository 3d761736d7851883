import { baseLanguage, firstName, type CheckinOutcome, type LanguageCode } from '@edgewise/shared';
import { translator } from './index';

/**
 * A check-in answer's `message` in the reader's language, from its reason and the guest's
 * first name (English keeps the sentence the check-in wrote: the same words).
 */
export function outcomeIn<T extends Pick<CheckinOutcome, 'reason' | 'message' | 'attendee'>>(outcome: T, language: LanguageCode): T {
  if (language === baseLanguage) return outcome;
  const name = outcome.attendee ? firstName(outcome.attendee.name) : '';
  return { ...outcome, message: translator(language)(`server.checkin.${outcome.reason}`, { named: name ? 'yes' : 'no', name }) };
}
