import type { IntroducerRole } from '@edgewise/shared';

/** A host's introduction keeps the host's id; an organiser's keeps theirs (either may be gone since). */
export const roleOf = (row: { byOrganiserId: string | null; byAttendeeId: string | null }): IntroducerRole =>
  row.byAttendeeId !== null && row.byOrganiserId === null ? 'host' : 'organiser';

/** "Introduced by Maya (organiser): You both build climate tools". */
export function introductionText(byName: string, role: IntroducerRole, message: string): string {
  const head = `Introduced by ${byName} (${role})`;
  return message ? `${head}: ${message}` : head;
}
