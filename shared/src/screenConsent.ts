import { z } from 'zod';
import { Id } from './schemas/common';
import type { Topic } from './schemas/topics';
import { topicLookup } from './topics';

/**
 * What the big screen shows of a person, in one place: the screen's snapshot is built from
 * this list, and the consent question at the kiosk and on the phone (`intent.screenHint`, in
 * every language) names exactly these fields (tests/integration/screen.test.ts checks the
 * English one against it). Nothing else about a person (surname, company, role, what they
 * offer, whether it is their first time, anything to contact them by) reaches the screen.
 */
export const SCREEN_SHOWN_FIELDS = ['firstName', 'lookingFor'] as const;
export type ScreenShownField = (typeof SCREEN_SHOWN_FIELDS)[number];

/** A person as the big screen shows them: exactly the fields listed above, plus an id to key them by. */
export const ScreenPerson = z.strictObject({
  id: Id,
  firstName: z.string(),
  lookingFor: z.array(z.string()),
});
export type ScreenPerson = z.infer<typeof ScreenPerson>;

export function firstNameOf(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}

/**
 * The one way a person becomes a `ScreenPerson`: whatever the source row holds, only the
 * listed fields leave. What they look for is told by each topic's "looking for" label.
 */
export function toScreenPerson(source: { id: string; name: string; seeks: readonly string[] | null }, topics: readonly Topic[] = []): ScreenPerson {
  const topic = topicLookup(topics);
  const fields: Record<ScreenShownField, unknown> = {
    firstName: firstNameOf(source.name),
    lookingFor: (source.seeks ?? []).map((id) => topic(id).seekLabel),
  };
  return ScreenPerson.parse({ id: source.id, ...fields });
}
