import { reactive } from 'vue';
import { io } from 'socket.io-client';
import type {
  Answer,
  ContactCard,
  ContactCardBody,
  CreateIntroductionBody,
  HostEdges,
  Intent,
  IntentBody,
  Introduction,
  MeSnapshot,
  MeVisibility,
  PairState,
  SuggestionView,
  WhereIAm,
  SuggestionsChanged,
  LanguageCode,
} from '@edgewise/shared';
import { baseLanguage, supportedLanguages } from '@edgewise/shared';
import { browserLanguage, eventLanguages, setLanguage, translate } from '../../lib/i18n';
import { ApiError } from '../../lib/api';
import { sendCommand } from '../../lib/command';
import type { AppSocket } from '../../lib/socket';
import { deletePhoto, endAllSessions, endSession, fetchHostEdges, fetchMe, fetchVisibility, putLanguage, putPhoto } from './api';
import { loadToken, saveToken, spentHere, startSession } from './session';

/**
 * The attendee's own page: one session token, one socket into their own room, and the
 * snapshot it shows. Every (re)connect replaces the snapshot whole, so a phone that slept
 * through ten minutes of the evening shows the truth at once.
 */

export type Phase = 'starting' | 'ready' | 'ended' | 'failed';
export type Connection = 'connecting' | 'online' | 'offline';
/** Why there is no session: it expired or was revoked, the link was spent, or the person signed out. */
export type Ending = 'expired' | 'bad_link' | 'signed_out' | 'signed_out_everywhere' | 'deleted';
export type Pending = Answer | 'met' | 'ask' | 'share' | 'spot' | 'on-my-way';

export const me = reactive({
  phase: 'starting' as Phase,
  ending: 'expired' as Ending,
  failure: '',
  token: null as string | null,
  snapshot: null as MeSnapshot | null,
  connection: 'connecting' as Connection,
  /** Answers on their way to the server, by suggestion id. */
  pending: {} as Record<string, Pending>,
  /** The last refusal for a suggestion, by suggestion id, in words. */
  errors: {} as Record<string, string>,
  visibility: null as MeVisibility | null,
  /** Why the last language switch was not kept, in words. */
  languageError: '',
});

let socket: AppSocket | null = null;
/** The version of the lists on screen; an older broadcast arriving late is ignored. */
let listsVersion = -Infinity;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let checking: Promise<void> | null = null;

export function messageOf(err: unknown, fallback = translate('me.didNotWork')): string {
  if (err instanceof ApiError) return err.offline ? err.message || translate('common.offline') : err.message;
  return fallback;
}

/** The language the server last said this person reads: a change there (the kiosk, another phone) switches the page too. */
let saidLanguage: LanguageCode | null = null;
function followLanguage(snapshot: MeSnapshot) {
  const wanted = snapshot.me.language ?? eventLanguages(snapshot.event).defaultLanguage;
  if (wanted === saidLanguage) return;
  saidLanguage = wanted;
  void setLanguage(wanted);
}

/**
 * The person picks their language: the page switches at once, the server keeps it (their
 * mails and follow-up follow it), and the snapshot comes again with reasons and labels in it.
 */
export async function chooseLanguage(code: LanguageCode) {
  const token = me.token;
  if (!token) return;
  me.languageError = '';
  saidLanguage = code;
  await setLanguage(code);
  try {
    await putLanguage(token, code);
    if (me.snapshot && me.token === token) me.snapshot.me.language = code;
    await resync();
  } catch (err) {
    if (me.token === token && isSessionGone(err)) return end('expired');
    me.languageError = messageOf(err, translate('me.languageNotSaved'));
  }
}

const isSessionGone = (err: unknown) => err instanceof ApiError && (err.status === 401 || err.code === 'unauthenticated');

function apply(snapshot: MeSnapshot) {
  followLanguage(snapshot);
  me.snapshot = snapshot;
  listsVersion = snapshot.version;
  const ids = new Set([...snapshot.suggestions, ...snapshot.connections].map((s) => s.id));
  for (const id of Object.keys(me.errors)) if (!ids.has(id)) delete me.errors[id];
}

function applyLists(p: SuggestionsChanged) {
  const snap = me.snapshot;
  if (!snap || p.attendeeId !== snap.me.id || p.version < listsVersion) return;
  listsVersion = p.version;
  snap.suggestions = p.suggestions;
  snap.connections = p.connections;
}

// How far along a pair is: an acknowledgement never takes a card back past what a broadcast already showed.
const progress: Record<PairState, number> = { proposed: 0, accepted_by_one: 1, mutual: 2, declined: 2, expired: 2, met: 3 };

function replaceSuggestion(view: SuggestionView) {
  const snap = me.snapshot;
  if (!snap) return;
  for (const list of [snap.suggestions, snap.connections]) {
    const i = list.findIndex((s) => s.id === view.id);
    const current = list[i];
    if (current && progress[view.state] >= progress[current.state]) list[i] = view;
  }
}

function end(ending: Ending) {
  disconnect();
  saveToken(null);
  me.token = null;
  me.snapshot = null;
  me.visibility = null;
  me.ending = ending;
  me.phase = 'ended';
}

// Starting --------------------------------------------------------------------

/** Opens the page: with a kiosk link code, trades it for a session; otherwise uses the stored one. */
export async function startMe(code: string | null) {
  disconnect();
  // Until the page knows whose it is, the browser's language (any Edgewise speaks).
  if (!me.snapshot) void setLanguage(browserLanguage(supportedLanguages, baseLanguage));
  me.phase = 'starting';
  me.failure = '';
  try {
    const stored = loadToken();
    if (code && stored && (await spentHere(code))) {
      // This phone's own link again: its session is open already, there is nothing to trade.
      me.token = stored;
      apply(await fetchMe(stored));
    } else if (code) {
      try {
        const session = await startSession({ code });
        me.token = session.token;
        apply(session.snapshot);
      } catch (err) {
        // A spent or expired link on a phone that already has a session: that session still works.
        if (!(err instanceof ApiError) || err.offline || err.status >= 500 || err.code === 'rate_limited' || !stored) throw err;
        me.token = stored;
        apply(await fetchMe(stored));
      }
    } else {
      if (!stored) return end('expired');
      me.token = stored;
      apply(await fetchMe(stored));
    }
  } catch (err) {
    const refused = err instanceof ApiError && !err.offline && err.status < 500 && err.code !== 'rate_limited';
    if (code && refused) return end('bad_link');
    if (isSessionGone(err)) return end('expired');
    me.failure = err instanceof ApiError && err.offline ? translate('me.unreachable') : messageOf(err, translate('me.openFailed'));
    me.phase = 'failed';
    return;
  }
  me.phase = 'ready';
  connect();
  void loadVisibility();
}

export function stopMe() {
  disconnect();
}

// Realtime --------------------------------------------------------------------

function connect() {
  disconnect();
  const token = me.token;
  if (!token) return;
  me.connection = 'connecting';
  const s: AppSocket = io({ path: '/socket.io', transports: ['websocket', 'polling'], auth: { attendeeToken: token } });
  socket = s;
  s.on('connect', () => {
    me.connection = 'online';
    void resync();
  });
  s.on('disconnect', (reason) => {
    me.connection = 'offline';
    // The server closed it on purpose (a revoked session, a restart): socket.io will not retry by itself.
    if (reason === 'io server disconnect') void checkSession();
  });
  s.on('connect_error', () => {
    me.connection = 'offline';
    // Refused at the handshake: socket.io gives up, so find out whether the session still holds.
    if (!s.active) void checkSession();
  });
  s.on('suggestions:changed', applyLists);
}

function disconnect() {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  socket?.removeAllListeners();
  socket?.disconnect();
  socket = null;
}

/** After the socket was refused or dropped: either the session ended, or try again shortly. */
function checkSession(): Promise<void> {
  checking ??= (async () => {
    const token = me.token;
    if (!token) return;
    try {
      const snapshot = await fetchMe(token);
      if (me.token !== token) return;
      apply(snapshot);
    } catch (err) {
      if (me.token !== token) return;
      if (isSessionGone(err)) return end('expired');
    }
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (me.phase === 'ready' && socket && !socket.connected) socket.connect();
    }, 3000);
  })().finally(() => {
    checking = null;
  });
  return checking;
}

/** The whole current snapshot: on every (re)connect and when the phone wakes up. */
export async function resync() {
  const s = socket;
  if (!s?.connected) return;
  try {
    const snapshot = await sendCommand(s, 'me:sync', {});
    if (socket === s) apply(snapshot);
  } catch (err) {
    if (socket !== s) return;
    if (isSessionGone(err)) return end('expired');
    await checkSession();
  }
}

function requireSocket(): AppSocket {
  if (!socket) throw new ApiError(0, 'network', translate('common.offline'));
  return socket;
}

async function command<T>(run: (s: AppSocket) => Promise<T>): Promise<T> {
  try {
    return await run(requireSocket());
  } catch (err) {
    if (isSessionGone(err)) end('expired');
    throw err;
  }
}

// Actions ---------------------------------------------------------------------

/** One command about one card at a time: marked pending, its answer replaces the card, a refusal shows on it. */
async function onCard(s: SuggestionView, pending: Pending, run: (sock: AppSocket) => Promise<SuggestionView>) {
  if (me.pending[s.id]) return;
  me.pending[s.id] = pending;
  delete me.errors[s.id];
  try {
    replaceSuggestion(await command(run));
  } catch (err) {
    me.errors[s.id] = messageOf(err);
  } finally {
    delete me.pending[s.id];
  }
}

export const answer = (s: SuggestionView, choice: Answer) =>
  onCard(s, choice, (sock) => sendCommand(sock, 'suggestion:answer', { suggestionId: s.id, answer: choice }));

export const markMet = (s: SuggestionView) => onCard(s, 'met', (sock) => sendCommand(sock, 'suggestion:met', { suggestionId: s.id }));

/** Asks the other person of a mutual pair, who shares nothing yet, to share (once per pair). */
export const askToShare = (s: SuggestionView) => onCard(s, 'ask', (sock) => sendCommand(sock, 'contact:ask', { suggestionId: s.id }));

/** The one-tap answer to "would like your contact details": shares the registered email, keeping the rest of the card. */
export async function shareEmailFor(s: SuggestionView) {
  const card = me.snapshot?.contactCard;
  if (!card || me.pending[s.id]) return;
  me.pending[s.id] = 'share';
  delete me.errors[s.id];
  try {
    await updateContact({ shareEmail: true, phone: card.phone, link: card.link });
  } catch (err) {
    me.errors[s.id] = messageOf(err);
  } finally {
    delete me.pending[s.id];
  }
}

/** Saves the private note about one person; the caller debounces typing. */
export async function saveNote(aboutId: string, text: string): Promise<string> {
  const saved = await command((sock) => sendCommand(sock, 'note:save', { aboutId, text }));
  const snap = me.snapshot;
  if (snap) for (const s of [...snap.suggestions, ...snap.connections]) if (s.person.id === saved.aboutId) s.note = saved.text;
  return saved.text;
}

export async function updateIntent(body: IntentBody): Promise<Intent> {
  const intent = await command((sock) => sendCommand(sock, 'intent:update', body));
  const snap = me.snapshot;
  if (snap) {
    snap.intent = intent;
    if (body.firstTime !== undefined) snap.me.firstTime = body.firstTime;
    if (body.share) snap.contactCard = { ...body.share, email: snap.contactCard.email, chosen: true };
  }
  void loadVisibility();
  return intent;
}

export async function updateContact(body: ContactCardBody): Promise<ContactCard> {
  const card = await command((sock) => sendCommand(sock, 'contact:update', body));
  if (me.snapshot) me.snapshot.contactCard = card;
  void loadVisibility();
  return card;
}

export async function setOptOut(optOut: boolean) {
  const res = await command((sock) => sendCommand(sock, 'matching:opt-out', { optOut }));
  if (me.snapshot) me.snapshot.me.matchingOptOut = res.optOut;
  void loadVisibility();
}

/** A host introduces two people; both their pages hear of it before the answer comes back. */
export async function introduce(body: CreateIntroductionBody): Promise<Introduction> {
  return command((sock) => sendCommand(sock, 'introduction:create', body));
}

/** Hosts: who is at the edges near them now. Null when this person is not a host (or not here). */
export async function loadHostEdges(): Promise<HostEdges | null> {
  const token = me.token;
  if (!token) return null;
  try {
    return await fetchHostEdges(token);
  } catch (err) {
    if (me.token === token && isSessionGone(err)) end('expired');
    if (err instanceof ApiError && (err.code === 'forbidden' || err.code === 'not_checked_in')) return null;
    throw err;
  }
}

export async function loadVisibility() {
  const token = me.token;
  if (!token) return;
  try {
    const visibility = await fetchVisibility(token);
    if (me.token === token) me.visibility = visibility;
  } catch (err) {
    if (me.token === token && isSessionGone(err)) end('expired');
  }
}

export async function signOut() {
  const token = me.token;
  // The server drops this phone's socket when the session ends: that is not news to act on.
  disconnect();
  try {
    if (token) await endSession(token);
  } catch {
    // Signing out of this phone does not need the server: the token is forgotten here either way.
  }
  end('signed_out');
}

/** Ends every session of this attendee (a phone lost or lent): the server drops every page's socket. */
export async function signOutEverywhere() {
  const token = me.token;
  if (!token) return end('signed_out');
  await endAllSessions(token);
  disconnect();
  end('signed_out_everywhere');
}

/** After the attendee deleted themselves: nothing of theirs stays on this phone. */
export function forgetDeleted() {
  end('deleted');
}

// Finding each other ------------------------------------------------------------------

/** Picks another of the event's spots for a pair; the other person sees it at once. */
export const pickSpot = (s: SuggestionView, meetingPointId: string) =>
  onCard(s, 'spot', (sock) => sendCommand(sock, 'meeting:pick', { suggestionId: s.id, meetingPointId }));

/** "I'm on my way": the other person's card says so at once. */
export const sayOnMyWay = (s: SuggestionView) => onCard(s, 'on-my-way', (sock) => sendCommand(sock, 'meeting:on-my-way', { suggestionId: s.id }));

/** Writes (or clears, empty) the "where I am" line the people mutual with this person see. */
export async function saveWhereIAm(text: string): Promise<WhereIAm | null> {
  const line = await command((sock) => sendCommand(sock, 'where-i-am:update', { text }));
  if (me.snapshot) me.snapshot.me.whereIAm = line;
  return line;
}

/** Adds or replaces this person's photo. */
export async function uploadPhoto(photo: Blob) {
  const token = me.token;
  if (!token) throw new ApiError(401, 'unauthenticated', translate('me.sessionEnded'));
  try {
    const saved = await putPhoto(token, photo);
    if (me.snapshot && me.token === token) me.snapshot.me.photoUrl = saved.photoUrl;
  } catch (err) {
    if (me.token === token && isSessionGone(err)) end('expired');
    throw err;
  }
}

export async function removePhoto() {
  const token = me.token;
  if (!token) return;
  try {
    await deletePhoto(token);
    if (me.snapshot && me.token === token) me.snapshot.me.photoUrl = null;
  } catch (err) {
    if (me.token === token && isSessionGone(err)) end('expired');
    throw err;
  }
}
