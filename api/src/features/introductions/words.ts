import type { IntroducerRole } from '@edgewise/shared';

/**
 * An organiser's introduction keeps the organiser's id. A host's keeps the host's id until
 * the host deletes their data (the id is then set null and the name scrubbed), so an
 * introduction without an organiser is a host's. Organiser accounts are never deleted.
 */
export const roleOf = (row: { byOrganiserId: string | null }): IntroducerRole => (row.byOrganiserId !== null ? 'organiser' : 'host');

/** "Introduced by Maya (organiser): You both build climate tools". */
export function introductionText(byName: string, role: IntroducerRole, message: string): string {
  const head = `Introduced by ${byName} (${role})`;
  return message ? `${head}: ${message}` : head;
}
