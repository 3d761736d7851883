import { z } from 'zod';
import { Id, text } from './common';
import { KioskEvent } from './events';

export const DeviceKind = z.enum(['kiosk', 'screen']);
export type DeviceKind = z.infer<typeof DeviceKind>;

export const CreatePairingBody = z.object({
  kind: DeviceKind,
  name: text(60).pipe(z.string().min(1)),
});
export type CreatePairingBody = z.infer<typeof CreatePairingBody>;

export const PairingCode = z.object({
  code: z.string(),
  kind: DeviceKind,
  name: z.string(),
  expiresAt: z.string(),
});
export type PairingCode = z.infer<typeof PairingCode>;

/** Short codes avoid letters people confuse (0/O, 1/I/L). */
export const pairingAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const PairBody = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .transform((s) => s.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/, 'is not a pairing code')),
});
export type PairBody = z.infer<typeof PairBody>;

export const Device = z.object({
  id: Id,
  eventId: Id,
  kind: DeviceKind,
  name: z.string(),
  pairedAt: z.string(),
  lastSeenAt: z.string().nullable(),
  /** Someone of the team stands by this kiosk: name search needs no confirmation from the guest. */
  staffed: z.boolean(),
});
export type Device = z.infer<typeof Device>;

export const PairResult = z.object({ token: z.string(), device: Device, event: KioskEvent });
export type PairResult = z.infer<typeof PairResult>;

export const DeviceParams = z.object({ eventId: Id, deviceId: Id });
