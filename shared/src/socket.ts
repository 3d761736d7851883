import { z } from 'zod';
import { Id } from './schemas/common';
import { CheckinStatus, CheckinType } from './schemas/checkins';
import type { ErrorCode } from './errors';

/** Broadcast to an event's organisers when the log grows; clients refetch what they show. */
export const CheckinCreated = z.object({
  eventId: Id,
  checkinId: Id,
  attendeeId: Id.nullable(),
  type: CheckinType,
  status: CheckinStatus,
  at: z.string(),
});
export type CheckinCreated = z.infer<typeof CheckinCreated>;

export const GuestListChanged = z.object({ eventId: Id, version: z.number() });
export type GuestListChanged = z.infer<typeof GuestListChanged>;

export const SubscribeEvent = z.object({ eventId: Id });
export type SubscribeEvent = z.infer<typeof SubscribeEvent>;

export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };

export interface ServerToClientEvents {
  'checkin:created': (payload: CheckinCreated) => void;
  'guestlist:changed': (payload: GuestListChanged) => void;
}

export interface ClientToServerEvents {
  'event:subscribe': (payload: SubscribeEvent, ack: (res: Ack<{ eventId: string }>) => void) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  organiserId?: string;
  deviceId?: string;
  eventId?: string;
}
