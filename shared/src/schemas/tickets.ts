import { z } from 'zod';

/** A ticket secret: 24 base64url characters (144 random bits). */
export const TicketSecret = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'is not a ticket');

export const TicketInfo = z.object({
  attendeeId: z.uuid(),
  secret: z.string(),
  url: z.string(),
  issuedAt: z.string(),
});
export type TicketInfo = z.infer<typeof TicketInfo>;

export const QrFormatQuery = z.object({ format: z.enum(['png', 'svg']).default('svg') });

/** `attendeeId` prints one badge (a walk-in, a replacement) instead of the whole list. */
export const BadgesQuery = z.object({ attendeeId: z.uuid().optional() });
