import { z } from 'zod';
import { Id } from './schemas/common';
import type { Topic } from './schemas/topics';
import { topicLookup } from './topics';

/**
 * What the big screen shows of a person, in one place: the consent question at the kiosk and
 * on the phone is written from this list, and the screen's snapshot is built from it, so the
 * two cannot drift apart. Nothing else about a person (surname, company, role, what they
 * offer, whether it is their first time, anything to contact them by) reaches the screen.
 */
export const SCREEN_SHOWN_FIELDS = ['firstName', 'lookingFor'] as const;
export type ScreenShownField = (typeof SCREEN_SHOWN_FIELDS)[number];

/** How the consent question names each shown field, speaking to the person asked. */
const FIELD_WORDS: Record<ScreenShownField, string> = {
  firstName: 'your first name',
  lookingFor: 'what you are looking for',
};

/**
 * The words under "Show me on the big screen?": "Your first name and what you are looking
 * for. Beside someone else only once you both said yes to meeting or were introduced." The
 * second sentence is the rule the snapshot's pair queries follow (both shown, and mutual or
 * introduced).
 */
export function screenConsentHint(): string {
  const words = SCREEN_SHOWN_FIELDS.map((f) => FIELD_WORDS[f]);
  const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');
  return `${list.charAt(0).toUpperCase()}${list.slice(1)}. Beside someone else only once you both said yes to meeting or were introduced.`;
}

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
