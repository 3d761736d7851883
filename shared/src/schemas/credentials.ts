import { z } from 'zod';
import { Email, Id } from './common';

/** "Email me my link": answered 202 whether or not the address is on any guest list. */
export const SignInLinkBody = z.object({
  email: Email,
  /** Only this event's registration, when the page knows which event it is for. */
  eventId: Id.optional(),
});
export type SignInLinkBody = z.infer<typeof SignInLinkBody>;

/** What a phone without a session can use to get one. */
export const SignInOptions = z.object({
  /** False when this server cannot send mail (no SMTP_URL): then only the kiosk hands out links. */
  mail: z.boolean(),
});
export type SignInOptions = z.infer<typeof SignInOptions>;

/** The organiser marks a kiosk as staffed: its name-search check-ins need no confirmation. */
export const DeviceStaffedBody = z.object({ staffed: z.boolean() });
export type DeviceStaffedBody = z.infer<typeof DeviceStaffedBody>;
