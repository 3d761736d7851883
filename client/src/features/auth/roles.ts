import type { OrganiserRole } from '@edgewise/shared';
import { session } from './session';

const rank: Record<OrganiserRole, number> = { door: 0, organiser: 1, owner: 2 };

/**
 * Whether the logged-in member's role reaches `least`, as the API's routes decide: the
 * dashboard hides what the server would refuse. Reactive through the session.
 */
export function hasRole(least: OrganiserRole): boolean {
  const role = session.organiser?.role;
  return role !== undefined && rank[role] >= rank[least];
}

/** How a role is named to people. */
export const roleLabels: Record<OrganiserRole, string> = { owner: 'Owner', organiser: 'Organiser', door: 'Door staff' };

/** What each role may do, in a sentence, for the invite form and the Team page. */
export const roleHints: Record<OrganiserRole, string> = {
  owner: 'Everything, on every event, including the team and the audit log.',
  organiser: 'Runs the events you give them: guests, matching, introductions, exports and follow-ups.',
  door: 'Check-in at the door on the events you give them: guest search, walk-ins and kiosks. No exports, follow-ups or contact details.',
};

/** The same, said to the person invited. */
export const roleHintsForYou: Record<OrganiserRole, string> = {
  owner: 'You will see every event and can change the team and read the audit log.',
  organiser: 'You will run the events you are given: guests, matching, introductions, exports and follow-ups.',
  door: 'You will check guests in at the door of the events you are given: guest search, walk-ins and kiosks.',
};
