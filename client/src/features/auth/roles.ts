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
