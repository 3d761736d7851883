/**
 * English: the base language. Every other file in this folder has exactly these keys (the
 * typecheck and shared/src/i18n/catalogue.test.ts fail otherwise) and the same placeholders.
 * Messages are ICU MessageFormat: `{name}`, `{count, plural, one {# guest} other {# guests}}`,
 * `{kind, select, a {…} other {…}}`. Dates and times come in already formatted (Intl, in the
 * event's time zone). Sections follow where the words are shown.
 */
const en = {
  /** Words used on several surfaces. */
  common: {
    language: 'Language',
    close: 'Close',
    cancel: 'Cancel',
    save: 'Save',
    people: '{count, plural, one {# person} other {# people}}',
    loading: 'Loading…',
  },
  /** The kiosk: welcome, scan, search, walk-in, confirm, intent, suggestions, pairing. */
  kiosk: {
    chooseLanguage: 'Choose your language',
  },
  /** The intent form and chips, shared by the kiosk and /me. */
  intent: {},
  /** The attendee's phone: /me and the ticket page. */
  me: {},
  /** The big screen. */
  screen: {},
  /** The organisers' dashboard, by tab. */
  dashboard: {},
  /** What the server writes: error messages by reason code, check-in answers. */
  server: {},
  /** Why two people should meet. */
  reasons: {},
  /** Mails: tickets, invitations, sign-in links, follow-ups. */
  mail: {},
  /** Column headers of exports and of the import template. */
  csv: {},
  /** The template vocabularies (topics and interests) of the event templates. */
  templates: {},
};

export default en;
