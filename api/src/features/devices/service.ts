import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { devices, pairingCodes, type Db } from '@edgewise/db';
import { pairingAlphabet, type CreatePairingBody, type Device, type DevicePatchBody, type KioskEvent, type KioskMode, type PairingCode, type PairResult } from '@edgewise/shared';
import type { AppDeps } from '../../deps';
import { sha256 } from '../../deps';
import { AppError } from '../../http/errors';
import { forgetDevice } from '../../http/auth';
import { lookupsOf } from '../../http/lookups';
import { getEvent, toKioskEvent } from '../events/service';
import { expireKioskLinks } from '../me/repo';

export const PAIRING_CODE_LENGTH = 6;
export const PAIRING_CODE_TTL_MS = 10 * 60_000;

type DeviceRow = typeof devices.$inferSelect;

export const toDeviceDto = (row: DeviceRow): Device => ({
  id: row.id,
  eventId: row.eventId,
  kind: row.kind,
  name: row.name,
  pairedAt: row.pairedAt.toISOString(),
  lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
  staffed: row.staffed,
  mode: row.mode,
});

/**
 * Six characters from the pairing alphabet. Bytes at or above the largest multiple of
 * the alphabet's size are dropped rather than folded in, so every character is equally likely.
 */
export function generatePairingCode(randomToken: AppDeps['randomToken']): string {
  const size = pairingAlphabet.length;
  const ceiling = 256 - (256 % size);
  let code = '';
  while (code.length < PAIRING_CODE_LENGTH) {
    for (const byte of Buffer.from(randomToken(16), 'base64url')) {
      if (byte >= ceiling) continue;
      code += pairingAlphabet[byte % size];
      if (code.length === PAIRING_CODE_LENGTH) break;
    }
  }
  return code;
}

export interface NewPairingCode {
  eventId: string;
  kind: CreatePairingBody['kind'];
  name: string;
  createdBy: string | null;
  ttlMs?: number;
}

export async function createPairingCode(deps: AppDeps, input: NewPairingCode): Promise<PairingCode> {
  const db = deps.database.db;
  await getEvent(db, input.eventId);
  const now = deps.now();
  const expiresAt = new Date(now + (input.ttlMs ?? PAIRING_CODE_TTL_MS));
  // Codes long dead only occupy the code space.
  await db.delete(pairingCodes).where(lt(pairingCodes.expiresAt, new Date(now - 86_400_000)));
  // About 887 million codes: a clash is rare, and the primary key turns it into a retry.
  for (let attempt = 0; attempt < 5; attempt++) {
    const [row] = await db
      .insert(pairingCodes)
      .values({
        code: generatePairingCode(deps.randomToken),
        eventId: input.eventId,
        kind: input.kind,
        name: input.name,
        createdBy: input.createdBy,
        createdAt: new Date(now),
        expiresAt,
      })
      .onConflictDoNothing({ target: pairingCodes.code })
      .returning();
    if (row) return { code: row.code, kind: row.kind, name: row.name, expiresAt: row.expiresAt.toISOString() };
  }
  throw new Error('could not find a free pairing code');
}

/**
 * Spends the code and creates the device in one transaction. The conditional update is
 * the gate: of two devices racing with one code, only one gets a row back.
 */
export async function pairDevice(deps: AppDeps, code: string, mode: KioskMode = 'entry'): Promise<PairResult> {
  const now = new Date(deps.now());
  const token = deps.randomToken(32);
  return deps.database.db.transaction(async (tx) => {
    const [spent] = await tx
      .update(pairingCodes)
      .set({ usedAt: now })
      .where(and(eq(pairingCodes.code, code), isNull(pairingCodes.usedAt), gt(pairingCodes.expiresAt, now)))
      .returning();
    if (!spent) throw new AppError('pairing_code_invalid', 'This code is unknown, expired or already used: ask for a new one.');
    const [device] = await tx
      .insert(devices)
      .values({
        eventId: spent.eventId,
        kind: spent.kind,
        name: spent.name,
        tokenHash: sha256(token),
        pairedAt: now,
        lastSeenAt: now,
        mode: spent.kind === 'kiosk' ? mode : 'entry',
      })
      .returning();
    if (!device) throw new Error('device insert returned nothing');
    const event = await getEvent(tx, spent.eventId);
    return { token, device: toDeviceDto(device), event: toKioskEvent(event) };
  });
}

/** The device as stored now (its mode and staffing may have changed), and its event from the lookups. */
export async function currentDevice(deps: AppDeps, deviceId: string): Promise<{ device: Device; event: KioskEvent }> {
  const [row] = await deps.database.db.select().from(devices).where(and(eq(devices.id, deviceId), isNull(devices.unpairedAt))).limit(1);
  if (!row) throw new AppError('device_unpaired', 'This device is not paired (or was unpaired): pair it again.');
  const event = await lookupsOf(deps).event(row.eventId);
  if (!event) throw new AppError('not_found', 'No such event.');
  return { device: toDeviceDto(row), event: toKioskEvent(event) };
}

export async function listDevices(db: Db, eventId: string): Promise<Device[]> {
  await getEvent(db, eventId);
  const rows = await db
    .select()
    .from(devices)
    .where(and(eq(devices.eventId, eventId), isNull(devices.unpairedAt)))
    .orderBy(desc(devices.pairedAt), sql`${devices.name} asc`);
  return rows.map(toDeviceDto);
}

/**
 * Unpairs a device: its token stops working, and the phone links it gave that nobody opened
 * yet stop too (a lost tablet may still show one), in the same transaction.
 */
export async function unpairDevice(deps: AppDeps, eventId: string, deviceId: string): Promise<void> {
  const at = new Date(deps.now());
  await deps.database.db.transaction(async (tx) => {
    const [row] = await tx
      .update(devices)
      .set({ unpairedAt: at })
      .where(and(eq(devices.id, deviceId), eq(devices.eventId, eventId), isNull(devices.unpairedAt)))
      .returning({ id: devices.id });
    if (!row) throw new AppError('not_found', 'No such paired device for this event.');
    await expireKioskLinks(tx, deviceId, at);
  });
  await forgetDevice(deps, deviceId);
}

/**
 * Marks a kiosk as staffed (someone of the team stands by it, so name search needs no
 * confirmation from the guest) or unattended again, and sets its mode (entry, exit, both).
 */
export async function patchDevice(deps: AppDeps, eventId: string, deviceId: string, patch: DevicePatchBody): Promise<Device> {
  const [row] = await deps.database.db
    .update(devices)
    .set({ ...(patch.staffed !== undefined && { staffed: patch.staffed }), ...(patch.mode !== undefined && { mode: patch.mode }) })
    .where(and(eq(devices.id, deviceId), eq(devices.eventId, eventId), isNull(devices.unpairedAt)))
    .returning();
  if (!row) throw new AppError('not_found', 'No such paired device for this event.');
  await forgetDevice(deps, deviceId);
  return toDeviceDto(row);
}

/**
 * Stores what a kiosk reports of its offline queue; reporting is also being seen. An
 * unpaired device's report is refused (its sockets are being dropped anyway).
 */
export async function reportQueue(deps: AppDeps, deviceId: string, queueLength: number): Promise<void> {
  const [row] = await deps.database.db
    .update(devices)
    .set({ queueLength, lastSeenAt: new Date(deps.now()) })
    .where(and(eq(devices.id, deviceId), isNull(devices.unpairedAt)))
    .returning({ id: devices.id });
  if (!row) throw new AppError('device_unpaired', 'This device is not paired (or was unpaired): pair it again.');
}

/** Marks the device seen now and offline from now (its socket just went). */
export async function touchDevice(deps: AppDeps, deviceId: string): Promise<void> {
  const now = new Date(deps.now());
  await deps.database.db.update(devices).set({ lastSeenAt: now, offlineSince: now }).where(eq(devices.id, deviceId));
}

/** The device is back (a socket connected): no longer offline. */
export async function markConnected(deps: AppDeps, deviceId: string): Promise<void> {
  await deps.database.db.update(devices).set({ offlineSince: null }).where(eq(devices.id, deviceId));
}
