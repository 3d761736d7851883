import { attendeeExportColumns, baseLanguage, suggestionExportColumns, type LanguageCode } from '@edgewise/shared';
import { translator } from './index';

/**
 * Export column headers in the organiser's dashboard language. English keeps the names
 * `shared` lists (what importers and the tests know); the keys follow the same order.
 */
const attendeeKeys = [
  'name', 'email', 'company', 'role', 'firstTime', 'host', 'firstCheckIn', 'lastCheckOut', 'present', 'lookingFor', 'offering', 'interests', 'askMeAbout', 'ticketLink',
] as const satisfies { length: (typeof attendeeExportColumns)['length'] };
const suggestionKeys = [
  'personA', 'personB', 'state', 'score', 'reasonsA', 'reasonsB', 'aAnswered', 'aAnsweredAt', 'bAnswered', 'bAnsweredAt', 'suggestedAt', 'mutualAt', 'metAt', 'introducedBy', 'introductionMessage', 'introducedAt',
] as const satisfies { length: (typeof suggestionExportColumns)['length'] };

export function attendeeHeaders(language: LanguageCode): readonly string[] {
  if (language === baseLanguage) return attendeeExportColumns;
  const t = translator(language);
  return attendeeKeys.map((k) => t(`csv.attendees.${k}`));
}

export function suggestionHeaders(language: LanguageCode): readonly string[] {
  if (language === baseLanguage) return suggestionExportColumns;
  const t = translator(language);
  return suggestionKeys.map((k) => t(`csv.suggestions.${k}`));
}
