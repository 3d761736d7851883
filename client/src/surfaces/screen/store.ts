import { reactive } from 'vue';
import type { Device, KioskEvent, ScreenSnapshot } from '@edgewise/shared';
import { ApiError } from '../../lib/api';
import { translate } from '../../lib/i18n';
import { sendCommand } from '../../lib/command';
import { connectSocket, type AppSocket } from '../../lib/socket';
import { fetchDevice, pairDevice } from './api';

/**
 * A paired big screen: its token, and the latest snapshot of what to show. The server only
 * ever sends people who agreed to be shown, and never contact details; the screen shows
 * what it is given and nothing else.
 */

export const STORAGE_KEY = 'edgewise.screen';

export interface ScreenPairing {
  token: string;
  device: Device;
  event: KioskEvent;
}

export type Connection = 'connecting' | 'online' | 'offline';

function loadPairing(): ScreenPairing | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const p = JSON.parse(raw) as Partial<ScreenPairing> | null;
    return typeof p?.token === 'string' && p.event?.id && p.device?.id ? (p as ScreenPairing) : null;
  } catch {
    return null;
  }
}

export const display = reactive({
  pairing: typeof localStorage === 'undefined' ? null : loadPairing(),
  snapshot: null as ScreenSnapshot | null,
  connection: 'connecting' as Connection,
});

let socket: AppSocket | null = null;
let heartbeat: ReturnType<typeof setInterval> | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;

function savePairing(p: ScreenPairing | null) {
  display.pairing = p;
  if (p) localStorage.setItem(STORAGE_KEY, JSON.stringify(p));
  else localStorage.removeItem(STORAGE_KEY);
}

function apply(s: ScreenSnapshot) {
  const current = display.snapshot;
  if (s.eventId !== display.pairing?.event.id) return;
  if (current && current.eventId === s.eventId && s.version < current.version) return;
  display.snapshot = s;
}

export class NotAScreenCode extends Error {}

export async function pairWith(code: string) {
  const result = await pairDevice(code);
  if (result.device.kind !== 'screen') throw new NotAScreenCode(translate('screen.pairing.kioskCode'));
  display.snapshot = null;
  savePairing({ token: result.token, device: result.device, event: result.event });
  startScreen();
}

export function forgetPairing() {
  disconnect();
  display.snapshot = null;
  savePairing(null);
}

/** Checks the pairing still holds; an unpaired screen goes back to asking for a code. */
async function refreshDevice(): Promise<boolean> {
  const p = display.pairing;
  if (!p) return false;
  try {
    const { device, event } = await fetchDevice(p.token);
    if (display.pairing?.token === p.token) savePairing({ token: p.token, device, event });
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      forgetPairing();
      return false;
    }
    return true;
  }
}

async function sync() {
  const s = socket;
  if (!s?.connected) return;
  try {
    apply(await sendCommand(s, 'screen:sync', {}));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.code === 'device_unpaired' || err.code === 'unauthenticated')) await refreshDevice();
  }
}

/** The socket was refused or dropped on purpose: unpaired means back to pairing, anything else means try again. */
async function recover() {
  const s = socket;
  if (!(await refreshDevice()) || socket !== s) return;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = setTimeout(() => {
    retryTimer = null;
    if (socket === s && !s?.connected) s?.connect();
  }, 3000);
}

function connect() {
  disconnect();
  const token = display.pairing?.token;
  if (!token) return;
  display.connection = 'connecting';
  const s = connectSocket({ token });
  socket = s;
  s.on('connect', () => {
    display.connection = 'online';
    void sync();
  });
  s.on('screen:changed', apply);
  s.on('disconnect', (reason) => {
    display.connection = 'offline';
    if (reason === 'io server disconnect') void recover();
  });
  s.on('connect_error', () => {
    display.connection = 'offline';
    if (!s.active) void recover();
    else void refreshDevice();
  });
}

function disconnect() {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  socket?.removeAllListeners();
  socket?.disconnect();
  socket = null;
}

export function startScreen() {
  if (!display.pairing) return;
  void refreshDevice();
  connect();
  heartbeat ??= setInterval(() => void refreshDevice(), 60_000);
}

export function stopScreen() {
  disconnect();
  if (heartbeat) clearInterval(heartbeat);
  heartbeat = null;
}
