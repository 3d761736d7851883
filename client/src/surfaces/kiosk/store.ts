import { computed, reactive, watch } from 'vue';
import {
  baseLanguage,
  parseTicketText,
  supportedLanguages,
  type CheckinList,
  type CheckinListFlag,
  type CheckinMethod,
  type CheckinOutcome,
  type Device,
  type Intent,
  type IntentBody,
  type KioskEvent,
  type KioskMode,
  type MessageKey,
  type MessageValues,
  type PhoneLink,
  type WalkInBody,
} from '@edgewise/shared';
import { ApiError, apiRequest } from '../../lib/api';
import { browserLanguage, currentLanguage, eventLanguages, loadLanguage, setLanguage, translate, translateIn } from '../../lib/i18n';
import { newNonce } from '../../lib/nonce';
import { connectSocket, type AppSocket } from '../../lib/socket';
import { createRepeatFilter } from '../../features/scanning/repeatFilter';
import type { QueuedScan } from '../../features/offline-queue/types';
import { useScanQueue } from '../../features/offline-queue/useScanQueue';
import { serverUnavailable } from '../../features/offline-queue/drain';
import { useCheckinList } from '../../features/offline-queue/useCheckinList';
import { makeKioskInstallable } from './installable';
import { scanTypeFor } from './mode';
import { answerDisagrees, noticeForAnswer, noticeForFlag, type StaffNotice } from './staffNotice';
import { createPhoneLink, fetchDevice, fetchIntent, pairDevice, postCheckin, postWalkIn, putIntent, putKioskPhoto } from './api';
import type { ResultView } from './outcome';

/**
 * The kiosk's state: which event it is paired with, what screen it shows, and the last
 * result. One reactive module for the surface; components read it and call the actions.
 */

export const STORAGE_KEY = 'edgewise.kiosk';
/** How long a result or form stays up without anyone touching the kiosk. */
export const IDLE_SECONDS = 20;
/** Long enough to read three suggestions and scan the phone QR. */
export const NEXT_SECONDS = 30;

export interface Pairing {
  token: string;
  device: Device;
  event: KioskEvent;
}

/**
 * `next`: all set; the person's top suggestions and the "continue on your phone" QR.
 * `confirm`: a name search at an unattended kiosk; the guest proves it is them.
 * `photo`: after the intent, a photo for the people they will both say yes to (or skip it).
 */
export type Screen = 'scan' | 'result' | 'intent' | 'photo' | 'search' | 'walkin' | 'next' | 'confirm';

/** A name-search check-in waiting for the guest's confirmation. */
export interface Confirming {
  attendeeId: string;
  name: string;
  /** Set after a wrong answer. */
  error: string | null;
  sending: boolean;
}

/** The phone link for the check-in this kiosk just accepted: asked for once, then kept. */
export type PhoneLinkState = { kind: 'none' } | { kind: 'loading' } | { kind: 'ready'; link: PhoneLink } | { kind: 'refused'; message: string };

/** The person the kiosk is greeting, once the server named them. */
export interface Person {
  id: string;
  name: string;
  firstTime: boolean;
  hasIntent: boolean;
}

function loadPairing(): Pairing | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const p = JSON.parse(raw) as Partial<Pairing> | null;
    return typeof p?.token === 'string' && p.event?.id && p.device?.id ? (p as Pairing) : null;
  } catch {
    return null;
  }
}

export const kiosk = reactive({
  pairing: typeof localStorage === 'undefined' ? null : loadPairing(),
  screen: 'scan' as Screen,
  result: null as ResultView | null,
  person: null as Person | null,
  /** The saved intent of `person`, when the intent screen opened with one. */
  intent: null as Intent | null,
  /** The entry or walk-in of `person` this kiosk accepted just now: only that earns a phone link. */
  acceptedCheckinId: null as string | null,
  phoneLink: { kind: 'none' } as PhoneLinkState,
  /** `person` saved their intent here just now (the thank-you is for that). */
  intentSaved: false,
  /** The camera shows a picture: the photo step is offered only then. */
  cameraOn: false,
  /** `person` added a photo here just now. */
  photoAdded: false,
  /** The intent step comes in two pages (the lists, then the questions), each fitting the screen. */
  intentPage: 1 as 1 | 2,
  confirming: null as Confirming | null,
  /** Grows on every reset so screens drop what was typed into them. */
  resets: 0,
});

export const scanQueue = useScanQueue<CheckinOutcome>({
  send: sendQueued,
  onAnswer: (scan, outcome) => {
    // After sync the server's decision stands; staff hear where it differs from the kiosk's.
    if (!answerDisagrees(scan, outcome)) return;
    addNotice(noticeForAnswer(scan, outcome, staffLanguage.value));
    void checkinList.markShown(scan.nonce);
  },
  onStopped: (err) => {
    if (err instanceof ApiError && err.status === 401 && kiosk.pairing) forgetPairing();
  },
  onDropped: (scan) => console.warn('[kiosk] the server refused a queued scan; dropped', scan.nonce),
});

/** The event's check-in list on the device, for deciding offline with the server's rules. */
export const checkinList = useCheckinList({
  fetch: (since) => {
    const p = kiosk.pairing;
    if (!p) return Promise.reject(new ApiError(401, 'device_unpaired', 'This kiosk is not paired.'));
    const query = since ? `?since=${encodeURIComponent(since)}` : '';
    return apiRequest<CheckinList>('GET', `/api/events/${p.event.id}/kiosk/checkin-list${query}`, undefined, { deviceToken: p.token, timeoutMs: 15000 });
  },
  onFlags: (flags: CheckinListFlag[]) => {
    for (const f of flags) addNotice(noticeForFlag(f, staffLanguage.value));
  },
});

/** Small notes for staff (scans the server judged otherwise), out of the guest's way. */
export const staff = reactive({ notices: [] as StaffNotice[] });

/**
 * The language of the staff corner (the scanner's field, the sync state, the notes): the
 * event's default, the one the kiosk greets guests in, whatever the guest in front of it chose.
 */
export const staffLanguage = computed(kioskLanguage);
watch(staffLanguage, (code) => void loadLanguage(code), { immediate: true });

/** `t` for the staff corner: its messages in `staffLanguage`. */
export function useStaffT() {
  return { t: (key: MessageKey, values?: MessageValues) => translateIn(staffLanguage.value, key, values) };
}

function addNotice(notice: StaffNotice) {
  if (staff.notices.some((n) => n.nonce === notice.nonce)) return;
  staff.notices = [notice, ...staff.notices].slice(0, 20);
}

export function dismissNotice(nonce: string) {
  staff.notices = staff.notices.filter((n) => n.nonce !== nonce);
}

const isNewScan = createRepeatFilter(3000);
let latestScan = 0;
let heartbeat: ReturnType<typeof setInterval> | null = null;
let socket: AppSocket | null = null;

function savePairing(p: Pairing | null) {
  kiosk.pairing = p;
  if (p) localStorage.setItem(STORAGE_KEY, JSON.stringify(p));
  else localStorage.removeItem(STORAGE_KEY);
}

/** The language a guest finds the kiosk in: the event's default (before pairing, the browser's). */
function kioskLanguage() {
  const p = kiosk.pairing;
  return p ? eventLanguages(p.event).defaultLanguage : browserLanguage(supportedLanguages, baseLanguage);
}

export function startOver() {
  // The next guest finds the kiosk in the event's language, whatever the last one chose.
  void setLanguage(kioskLanguage());
  kiosk.screen = 'scan';
  kiosk.result = null;
  kiosk.person = null;
  kiosk.intent = null;
  kiosk.acceptedCheckinId = null;
  kiosk.phoneLink = { kind: 'none' };
  kiosk.intentSaved = false;
  kiosk.photoAdded = false;
  kiosk.intentPage = 1;
  kiosk.confirming = null;
  kiosk.resets++;
}

export function show(screen: Screen) {
  kiosk.screen = screen;
}

// Pairing ------------------------------------------------------------------

export class NotAKioskCode extends Error {}

export async function pairWith(code: string, mode: KioskMode = 'entry') {
  const result = await pairDevice(code, mode);
  if (result.device.kind !== 'kiosk') throw new NotAKioskCode(translate('kiosk.pairing.screenCode'));
  savePairing({ token: result.token, device: result.device, event: result.event });
  startOver();
  void checkinList.useEvent(result.event.id).then(checkinList.refresh);
  connectRealtime();
  void scanQueue.syncNow();
}

export function forgetPairing() {
  disconnectRealtime();
  savePairing(null);
  startOver();
}

/** Checks the pairing still holds and picks up changes to the event (name, tags, status). */
export async function refreshDevice() {
  const p = kiosk.pairing;
  if (!p) return;
  try {
    const { device, event } = await fetchDevice(p.token);
    if (kiosk.pairing?.token === p.token) savePairing({ token: p.token, device, event });
    scanQueue.noteReachable(true);
  } catch (err) {
    if (!(err instanceof ApiError)) return;
    if (err.status === 401) forgetPairing();
    else if (err.offline) scanQueue.noteReachable(false);
  }
}

function connectRealtime() {
  disconnectRealtime();
  const token = kiosk.pairing?.token;
  if (!token) return;
  const s = connectSocket({ token });
  socket = s;
  // The server drops an unpaired device's socket; a (re)connect is also when to refetch.
  s.on('connect', () => {
    void refreshDevice();
    reportQueue(s);
    void checkinList.refresh();
  });
  s.on('guestlist:changed', () => void checkinList.refresh());
  // The dashboard changed this kiosk (its mode): scans from now on record what it says.
  s.on('device:updated', (device) => {
    const p = kiosk.pairing;
    if (p && device.id === p.device.id) savePairing({ ...p, device });
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') void refreshDevice();
  });
  socket.on('connect_error', () => void refreshDevice());
}

/**
 * Tells the organisers' dashboard how many scans wait in the offline queue: on every
 * (re)connect and whenever the number changes. Best effort: the next one corrects a lost one.
 */
function reportQueue(s: AppSocket | null = socket) {
  if (!s?.connected) return;
  s.timeout(5000).emit('device:status', { queueLength: scanQueue.waiting.value }, () => {});
}
watch(scanQueue.waiting, () => reportQueue());

function disconnectRealtime() {
  socket?.removeAllListeners();
  socket?.disconnect();
  socket = null;
}

export function startKiosk() {
  makeKioskInstallable();
  void setLanguage(kioskLanguage());
  scanQueue.start();
  if (kiosk.pairing) void checkinList.useEvent(kiosk.pairing.event.id).then(checkinList.refresh);
  checkinList.start();
  void refreshDevice();
  connectRealtime();
  heartbeat = setInterval(() => void refreshDevice(), 60_000);
}

export function stopKiosk() {
  scanQueue.stop();
  checkinList.stop();
  disconnectRealtime();
  if (heartbeat) clearInterval(heartbeat);
  heartbeat = null;
}

// Scanning -----------------------------------------------------------------

/** Scans are taken on the scan screen and over a result or a thank-you (the next person in line). */
export const acceptsScans = () => kiosk.pairing !== null && (kiosk.screen === 'scan' || kiosk.screen === 'result' || kiosk.screen === 'next');

/** A scan from the camera or the handheld scanner: raw text, parsed before anything is sent. */
export function scanned(raw: string, method: Extract<CheckinMethod, 'qr_camera' | 'qr_keyboard'>) {
  if (!acceptsScans() || !isNewScan(raw)) return;
  const token = parseTicketText(raw);
  if (!token) {
    latestScan++;
    showResult({ kind: 'not_a_ticket' });
    return;
  }
  void checkIn({ token }, method);
}

/** A name picked from the search; at an unattended kiosk the server asks for a confirmation first. */
export function checkInAttendee(attendeeId: string, name: string) {
  kiosk.confirming = { attendeeId, name, error: null, sending: false };
  return checkIn({ attendeeId }, 'name_search');
}

/** The guest's answer to "the first three letters of your email's domain". */
export function confirmAttendee(confirmation: string) {
  const c = kiosk.confirming;
  if (!c || c.sending) return;
  c.sending = true;
  c.error = null;
  return checkIn({ attendeeId: c.attendeeId, confirmation }, 'name_search');
}

function showResult(view: ResultView, person: Person | null = null) {
  kiosk.result = view;
  kiosk.person = person;
  kiosk.intent = null;
  kiosk.confirming = null;
  const accepted = view.kind === 'outcome' && view.outcome.status === 'ok' && view.outcome.type === 'entry' && person !== null;
  kiosk.acceptedCheckinId = accepted ? view.outcome.checkinId : null;
  kiosk.phoneLink = { kind: 'none' };
  kiosk.intentSaved = false;
  kiosk.screen = 'result';
}

/** Asks once per accepted check-in: the server hands out one link per check-in, so it is kept. */
export async function loadPhoneLink() {
  const p = kiosk.pairing;
  const person = kiosk.person;
  const checkinId = kiosk.acceptedCheckinId;
  if (!p || !person || !checkinId || kiosk.phoneLink.kind !== 'none') return;
  kiosk.phoneLink = { kind: 'loading' };
  let next: PhoneLinkState;
  try {
    next = { kind: 'ready', link: await createPhoneLink(p.token, p.event.id, person.id) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) forgetPairing();
    next = { kind: 'refused', message: err instanceof ApiError && err.code === 'phone_link_not_allowed' ? err.message : '' };
  }
  if (kiosk.acceptedCheckinId === checkinId) kiosk.phoneLink = next;
}

/** The answer to a name search needs the guest's confirmation: ask for it (again). */
function askConfirmation(outcome: CheckinOutcome): boolean {
  const c = kiosk.confirming;
  if (!c) return false;
  if (outcome.status === 'confirmation_required' || outcome.reason === 'confirmation_failed') {
    c.sending = false;
    c.error = outcome.reason === 'confirmation_failed' ? "That doesn't match the email address we have for this name. Check the spelling and try again." : null;
    kiosk.screen = 'confirm';
    return true;
  }
  return false;
}

function personOf(outcome: CheckinOutcome): Person | null {
  const a = outcome.attendee;
  if (!a || (outcome.status !== 'ok' && outcome.status !== 'already_checked_in')) return null;
  return { id: a.id, name: a.name, firstTime: a.firstTime, hasIntent: a.hasIntent };
}

async function checkIn(who: { token: string } | { attendeeId: string; confirmation?: string }, method: CheckinMethod) {
  const p = kiosk.pairing;
  if (!p) return;
  const mine = ++latestScan;
  const scan: QueuedScan = {
    nonce: newNonce(),
    eventId: p.event.id,
    ...who,
    type: scanTypeFor(p.device.mode),
    scannedAt: new Date().toISOString(),
    method,
    queuedAt: new Date().toISOString(),
  };
  // A name search keeps the guest's confirmation step: the server may ask for it (again).
  // While an answer is being checked, that step stays up and says so.
  const confirming = method === 'name_search' ? kiosk.confirming : null;
  if (!confirming?.sending) showResult({ kind: 'checking' });
  kiosk.confirming = confirming;
  try {
    const outcome = await postCheckin(p.token, scan.eventId, { ...bodyOf(scan), ...('confirmation' in who ? { confirmation: who.confirmation } : {}) });
    scanQueue.noteReachable(true);
    if (mine === latestScan && !askConfirmation(outcome)) showResult({ kind: 'outcome', outcome }, personOf(outcome));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      forgetPairing();
      return;
    }
    if (err instanceof ApiError && (err.offline || err.status >= 500) && method === 'name_search' && !p.device.staffed) {
      // Nobody here to vouch for a typed name, and no server to ask for the confirmation:
      // queued, it would check in whoever was named.
      if (mine === latestScan) showResult({ kind: 'offline_name_search' });
      return;
    }
    if (err instanceof ApiError && (err.offline || err.status >= 500)) {
      // The server may or may not have it: queued with the same nonce, it is recorded exactly once.
      // A 503 database_unavailable counts as offline: the server cannot decide until it is back.
      scanQueue.noteReachable(!serverUnavailable(err));
      try {
        // Decided here with the server's rules from the list on the device; the server's own
        // decision comes after sync, and staff hear if it differs.
        const decision = 'token' in who ? await checkinList.decide(who.token, scan.type, new Date(scan.scannedAt)).catch(() => null) : null;
        if (decision) scan.offline = { status: decision.status, reason: decision.reason, firstName: decision.attendee?.firstName ?? null };
        await scanQueue.enqueue(scan);
        if (mine === latestScan) showResult(decision ? { kind: 'offline', decision } : { kind: 'queued' });
      } catch {
        if (mine === latestScan) showResult({ kind: 'error', message: translate('kiosk.outcome.notSaved') });
      }
      return;
    }
    const message = err instanceof ApiError ? err.message : translate('kiosk.outcome.couldNotCheckIn');
    if (mine === latestScan) showResult({ kind: 'error', message });
  }
}

function bodyOf(scan: QueuedScan) {
  const who = scan.token !== undefined ? { token: scan.token } : { attendeeId: scan.attendeeId };
  return { ...who, nonce: scan.nonce, type: scan.type, scannedAt: scan.scannedAt, method: scan.method, ...(scan.offline && { offlineStatus: scan.offline.status }) };
}

/** Uploads one queued scan exactly as it was made: same nonce, same scan time; answers the server's outcome. */
async function sendQueued(scan: QueuedScan): Promise<CheckinOutcome> {
  const p = kiosk.pairing;
  if (!p) throw new ApiError(401, 'device_unpaired', 'This kiosk is not paired.');
  return postCheckin(p.token, scan.eventId, bodyOf(scan));
}

// Walk-ins and intent ------------------------------------------------------

export type WalkInForm = Omit<WalkInBody, 'nonce' | 'scannedAt'>;

/** Registers and checks in a walk-in; the caller keeps `nonce` across retries of one form. */
export async function registerWalkIn(form: WalkInForm, nonce: string, scannedAt: string) {
  const p = kiosk.pairing;
  if (!p) return;
  try {
    // The language they registered in follows them: to their page, their mails, their follow-up.
    const result = await postWalkIn(p.token, p.event.id, { ...form, nonce, scannedAt, language: currentLanguage.value });
    scanQueue.noteReachable(true);
    latestScan++;
    showResult({ kind: 'outcome', outcome: result.outcome }, personOf(result.outcome));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) forgetPairing();
    if (err instanceof ApiError && err.offline) scanQueue.noteReachable(false);
    throw err;
  }
}

export async function openIntent() {
  const p = kiosk.pairing;
  const person = kiosk.person;
  if (!p || !person) return;
  kiosk.intent = person.hasIntent ? await fetchIntent(p.token, p.event.id, person.id) : null;
  if (kiosk.person?.id !== person.id) return;
  kiosk.intentPage = 1;
  kiosk.screen = 'intent';
}

export async function saveIntent(body: IntentBody) {
  const p = kiosk.pairing;
  const person = kiosk.person;
  if (!p || !person) return;
  try {
    await putIntent(p.token, p.event.id, person.id, { ...body, language: currentLanguage.value });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) forgetPairing();
    throw err;
  }
  if (kiosk.person?.id === person.id) {
    kiosk.person.hasIntent = true;
    kiosk.intentSaved = true;
    kiosk.screen = offersPhoto() ? 'photo' : 'next';
  }
}

/**
 * The photo is offered to a guest this kiosk has just let in (the server takes it only for
 * them, and only for a few minutes), while the camera shows a picture and the server answers.
 */
export const offersPhoto = () => kiosk.acceptedCheckinId !== null && kiosk.person !== null && kiosk.cameraOn && scanQueue.online.value;

/** Stores the photo the guest chose to use; nothing leaves the kiosk before this. */
export async function savePhoto(photo: Blob) {
  const p = kiosk.pairing;
  const person = kiosk.person;
  if (!p || !person) return;
  try {
    await putKioskPhoto(p.token, p.event.id, person.id, photo);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) forgetPairing();
    throw err;
  }
  if (kiosk.person?.id === person.id) {
    kiosk.photoAdded = true;
    kiosk.screen = 'next';
  }
}

/** No photo: on to whom to meet, nothing stored. */
export function skipPhoto() {
  if (kiosk.person) kiosk.screen = 'next';
}

const wasAlreadyIn = () => kiosk.result?.kind === 'outcome' && kiosk.result.outcome.status === 'already_checked_in';

/** Someone who is in and has said what they look for (or came back to the kiosk) has suggestions to see. */
export const hasSuggestions = () => kiosk.person !== null && (kiosk.person.hasIntent || wasAlreadyIn());

export function showSuggestions() {
  if (kiosk.person) kiosk.screen = 'next';
}

/** Skipping the intent form: straight to suggestions for someone who has them, else the next person. */
export function skipIntent() {
  if (hasSuggestions()) showSuggestions();
  else startOver();
}
