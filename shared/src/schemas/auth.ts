import { z } from 'zod';
import { Email, Id, Name } from './common';
import { LanguageCode } from '../i18n/languages';

export const Password = z.string().min(10, 'must be at least 10 characters').max(200);

export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(200) });
export type LoginBody = z.infer<typeof LoginBody>;

export const SetupBody = z.object({
  token: z.string().min(10).max(200),
  email: Email,
  name: Name,
  password: Password,
});
export type SetupBody = z.infer<typeof SetupBody>;

/**
 * A member's role in the organisation: owner (everything, the team included), organiser
 * (the events they are given), door (check-in, guest search, walk-ins and devices of their events).
 */
export const OrganiserRole = z.enum(['owner', 'organiser', 'door']);
export type OrganiserRole = z.infer<typeof OrganiserRole>;

export const Organiser = z.object({ id: Id, email: z.string(), name: z.string(), role: OrganiserRole });
export type Organiser = z.infer<typeof Organiser>;

/** What the dashboard learns about its own session. `csrfToken` goes in `x-csrf-token` on writes. */
export const SessionInfo = z.object({
  organiser: Organiser,
  csrfToken: z.string(),
  /** The dashboard's language for this organiser (`PUT /api/auth/language`). */
  language: LanguageCode,
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** `PUT /api/auth/language`: the dashboard's language for this organiser, any supported one. */
export const OrganiserLanguageBody = z.object({ language: LanguageCode });
export type OrganiserLanguageBody = z.infer<typeof OrganiserLanguageBody>;

export const SetupStatus = z.object({ needsSetup: z.boolean() });
export type SetupStatus = z.infer<typeof SetupStatus>;

/** An owner adding a colleague's account directly (the dashboard invites by link instead). */
export const CreateOrganiserBody = SetupBody.omit({ token: true }).extend({
  role: OrganiserRole.default('organiser'),
  /** The events an organiser or door-staff member works on (owners see every event). */
  eventIds: z.array(Id).max(500).default([]),
});
export type CreateOrganiserBody = z.infer<typeof CreateOrganiserBody>;
