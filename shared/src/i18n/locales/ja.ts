/** Japanese. Same keys and placeholders as en.ts. */
import type { Messages } from '../messages';

const ja: Messages = {
  /** Words used on several surfaces. */
  common: {
    language: '言語',
    close: '閉じる',
    cancel: 'キャンセル',
    save: '保存',
    people: '{count, plural, other {#人}}',
    loading: '読み込み中…',
  },
  /** The kiosk: welcome, scan, search, walk-in, confirm, intent, suggestions, pairing. */
  kiosk: {
    chooseLanguage: '言語を選んでください',
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

export default ja;
