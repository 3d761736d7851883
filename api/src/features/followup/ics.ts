import { contentLines, escapeText, utcStamp } from './text';

export interface Reminder {
  /** Globally unique and stable: sending again updates the same calendar entry. */
  uid: string;
  /** When the file was made. */
  stamp: number;
  start: number;
  durationMinutes: number;
  summary: string;
  description: string;
  /** The venue, for an event's own entry (the ticket mail's). */
  location?: string;
  /** Shown as busy time (an event you attend) rather than free (a reminder). */
  busy?: boolean;
}

/**
 * An iCalendar file (RFC 5545) holding one VEVENT with a reminder alarm at its start:
 * calendars import a VEVENT everywhere, while VTODO support is patchy. Times are UTC, so
 * no VTIMEZONE is needed.
 */
export function reminderIcs(r: Reminder): string {
  return contentLines([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Edgewise//Follow-up//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(r.uid)}`,
    `DTSTAMP:${utcStamp(r.stamp)}`,
    `DTSTART:${utcStamp(r.start)}`,
    `DTEND:${utcStamp(r.start + r.durationMinutes * 60_000)}`,
    `SUMMARY:${escapeText(r.summary)}`,
    `DESCRIPTION:${escapeText(r.description)}`,
    ...(r.location ? [`LOCATION:${escapeText(r.location)}`] : []),
    r.busy ? 'TRANSP:OPAQUE' : 'TRANSP:TRANSPARENT',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `DESCRIPTION:${escapeText(r.summary)}`,
    'TRIGGER:PT0S',
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
  ]);
}
