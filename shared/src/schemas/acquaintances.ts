import { z } from 'zod';
import { Id } from './common';

/** "A knows B", as the organiser knows it: people who know each other can introduce others. */
export const AcquaintanceBody = z
  .object({ attendeeId: Id, knowsId: Id })
  .refine((b) => b.attendeeId !== b.knowsId, { message: 'someone always knows themselves: pick two different people', path: ['knowsId'] });
export type AcquaintanceBody = z.infer<typeof AcquaintanceBody>;

export const AcquaintanceParams = z.object({ eventId: Id, attendeeId: Id, knowsId: Id });
export type AcquaintanceParams = z.infer<typeof AcquaintanceParams>;

export const Acquaintance = z.object({
  attendeeId: Id,
  attendeeName: z.string(),
  knowsId: Id,
  knowsName: z.string(),
  createdAt: z.string(),
});
export type Acquaintance = z.infer<typeof Acquaintance>;
