import type { Reason } from './types';

/**
 * Reasons are rendered from facts the engine has just read off the two profiles, so every
 * sentence is true of the current data. They speak to the viewer about the target.
 */

export interface NamedRef {
  id: string;
  name?: string | undefined;
}

export interface ReasonFacts {
  target: NamedRef;
  /** Tags the target offers that the viewer seeks. */
  receives: string[];
  /** Tags the target seeks that the viewer offers. */
  gives: string[];
  common: string[];
  targetFirstTime: boolean;
  /** The target is a host and the viewer is at the edges. */
  targetWelcomes: boolean;
  introducer?: NamedRef | undefined;
  /** `to_you`: the target knows `via`, who offers what the viewer seeks. */
  connector?: { via: NamedRef; tags: string[]; direction: 'to_you' | 'from_you' } | undefined;
}

const MAX_TAGS_SPELLED = 3;

/** "A", "A and B", "A, B and C", "A, B, C and 2 more". */
export function joinTags(tags: readonly string[]): string {
  if (tags.length <= 1) return tags[0] ?? '';
  if (tags.length > MAX_TAGS_SPELLED) {
    return `${tags.slice(0, MAX_TAGS_SPELLED).join(', ')} and ${tags.length - MAX_TAGS_SPELLED} more`;
  }
  return `${tags.slice(0, -1).join(', ')} and ${tags[tags.length - 1]}`;
}

const nameOf = (ref: NamedRef, fallback: string) => {
  const name = ref.name?.trim();
  return name ? name : fallback;
};

export function renderReasons(f: ReasonFacts): Reason[] {
  const who = nameOf(f.target, 'This person');
  const reasons: Reason[] = [];
  if (f.receives.length > 0) {
    reasons.push({ kind: 'receives', tags: f.receives, text: `${who} offers ${joinTags(f.receives)}, which you're looking for` });
  }
  if (f.gives.length > 0) {
    reasons.push({ kind: 'gives', tags: f.gives, text: `${who} is looking for ${joinTags(f.gives)}: that's you` });
  }
  if (f.common.length > 0) {
    reasons.push({ kind: 'common', tags: f.common, text: `You both are into ${joinTags(f.common)}` });
  }
  if (f.targetWelcomes) {
    reasons.push({ kind: 'host', text: `${who} volunteers to welcome newcomers` });
  }
  if (f.targetFirstTime) {
    reasons.push({ kind: 'first_time', text: 'First time here: say hello' });
  }
  if (f.introducer) {
    reasons.push({ kind: 'introducer', by: f.introducer.id, text: `${nameOf(f.introducer, 'Someone here')} knows you both` });
  }
  if (f.connector) {
    const { via, tags, direction } = f.connector;
    const viaName = nameOf(via, 'someone here');
    const text =
      direction === 'to_you'
        ? `${who} knows ${viaName}, who offers ${joinTags(tags)}`
        : `You know ${viaName}, who offers ${joinTags(tags)}, which ${who === 'This person' ? 'this person' : who} is looking for`;
    reasons.push({ kind: 'connector', via: via.id, tags, direction, text });
  }
  if (reasons.length === 0) {
    reasons.push({ kind: 'open', text: `${who} is here now: start with a hello` });
  }
  return reasons;
}
