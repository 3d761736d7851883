import { z } from 'zod';
import { Id, text } from './common';
import { KioskEvent } from './events';

export const DeviceKind = z.enum(['kiosk', 'screen']);
export type DeviceKind = z.infer<typeof DeviceKind>;

/** What a kiosk's scans record: entries, exits, or either (a big in/out toggle on the kiosk). */
export const KioskMode = z.enum(['entry', 'exit', 'both']);
export type KioskMode = z.infer<typeof KioskMode>;

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
  /** A kiosk's mode from the start (entry when not given); a screen's is ignored. */
  mode: KioskMode.optional(),
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
  /** A kiosk's mode: entry, exit or both (screens: always entry, unused). */
  mode: KioskMode,
});
export type Device = z.infer<typeof Device>;

/** The dashboard changes a kiosk: staffed or not, its mode; at least one of the two. */
export const DevicePatchBody = z
  .object({ staffed: z.boolean().optional(), mode: KioskMode.optional() })
  .refine((b) => b.staffed !== undefined || b.mode !== undefined, { message: 'send staffed, mode or both', path: ['staffed'] });
export type DevicePatchBody = z.infer<typeof DevicePatchBody>;

export const PairResult = z.object({ token: z.string(), device: Device, event: KioskEvent });
export type PairResult = z.infer<typeof PairResult>;

export const DeviceParams = z.object({ eventId: Id, deviceId: Id });
