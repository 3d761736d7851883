import type { Device, DeviceKind, KioskMode, PairingCode } from '@edgewise/shared';
import { organiserRequest } from '../auth/session';

const base = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`;

export const createPairingCode = (eventId: string, kind: DeviceKind, name: string) =>
  organiserRequest<PairingCode>('POST', `${base(eventId)}/pairing-codes`, { kind, name });
export const listDevices = (eventId: string) => organiserRequest<Device[]>('GET', `${base(eventId)}/devices`);
export const unpairDevice = (eventId: string, deviceId: string) =>
  organiserRequest<void>('DELETE', `${base(eventId)}/devices/${encodeURIComponent(deviceId)}`);
/** A staffed kiosk checks guests in by name without asking them to confirm. */
export const setStaffed = (eventId: string, deviceId: string, staffed: boolean) =>
  organiserRequest<Device>('PATCH', `${base(eventId)}/devices/${encodeURIComponent(deviceId)}`, { staffed });
/** What a kiosk's scans record: entries, exits, or either (a big In/Out toggle on the kiosk). */
export const setMode = (eventId: string, deviceId: string, mode: KioskMode) =>
  organiserRequest<Device>('PATCH', `${base(eventId)}/devices/${encodeURIComponent(deviceId)}`, { mode });
