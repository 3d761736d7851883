/** French. Same keys and placeholders as en.ts. */
import type { Messages } from '../messages';

const fr: Messages = {
  /** Words used on several surfaces. */
  common: {
    language: 'Langue',
    close: 'Fermer',
    cancel: 'Annuler',
    save: 'Enregistrer',
    people: '{count, plural, one {# personne} other {# personnes}}',
    loading: 'Chargement…',
  },
  /** The kiosk: welcome, scan, search, walk-in, confirm, intent, suggestions, pairing. */
  kiosk: {
    chooseLanguage: 'Choisissez votre langue',
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

export default fr;
