import { inSentence, isOneLabel, topicLookup, type Topic, type TopicLookup } from '@edgewise/shared';
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
  /** Topics (ids) the target offers that the viewer seeks. */
  receives: string[];
  /** Topics (ids) the target seeks that the viewer offers. */
  gives: string[];
  /** Interests both share (labels). */
  common: string[];
  targetFirstTime: boolean;
  /** The target is a host and the viewer is at the edges. */
  targetWelcomes: boolean;
  introducer?: NamedRef | undefined;
  /** `to_you`: the target knows `via`, who offers what the viewer seeks (topic ids). */
  connector?: { via: NamedRef; tags: string[]; direction: 'to_you' | 'from_you' } | undefined;
  /** The viewer said nothing about what they look for or offer. */
  viewerWithoutIntent?: boolean | undefined;
  /** The role both have, as the target's guest-list entry spells it (told to a viewer without intent). */
  sameRole?: string | undefined;
  /** The event's topics by id; without it an id reads as its own one-label topic. */
  topics?: TopicLookup | undefined;
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

const quoted = (label: string) => `“${label}”`;
const seekList = (topics: readonly Topic[]) => joinTags(topics.map((t) => inSentence(t.seekLabel)));

/**
 * The giver's side of topics someone else is looking for, in sentences that use each side
 * where it fits: a two-label topic is quoted in the giver's own words ("says “I invest”"),
 * the seeker's side names what they look for ("you're looking for investment"); a one-label
 * topic reads the same both ways ("offers what you're looking for: a co-founder").
 * `giver` is the subject ("Ana", "Ana knows Xia, who"); `seeker` is "you" or a name.
 */
export function offeringSentence(giver: string, seeker: string, topics: readonly Topic[]): string {
  const seekerIs = seeker === 'you' ? 'you’re' : `${seeker} is`;
  const twoLabel = topics.filter((t) => !isOneLabel(t));
  const oneLabel = topics.filter(isOneLabel);
  if (twoLabel.length === 0) return `${giver} offers what ${seekerIs} looking for: ${seekList(oneLabel)}`;
  const says = `says ${joinTags(twoLabel.map((t) => quoted(t.offerLabel)))}`;
  const offers = oneLabel.length ? ` and offers ${seekList(oneLabel)}` : '';
  return `${giver} ${says}${offers}: ${seekerIs} looking for ${seekList(topics)}`;
}

/** What the target looks for that the viewer offers, the viewer's side in their own words. */
function seekingSentence(seeker: string, topics: readonly Topic[]): string {
  const twoLabel = topics.filter((t) => !isOneLabel(t));
  const oneLabel = topics.filter(isOneLabel);
  if (twoLabel.length === 0) return `${seeker} is looking for ${seekList(oneLabel)}, which you can offer`;
  const canOffer = oneLabel.length ? ` and can offer ${seekList(oneLabel)}` : '';
  return `${seeker} is looking for ${seekList(topics)}: you said ${joinTags(twoLabel.map((t) => quoted(t.offerLabel)))}${canOffer}`;
}

const noTopics = topicLookup([]);

/** The target's role when both have the same one (case and spaces aside). */
export function sameRole(viewer: string | undefined, target: string | undefined): string | undefined {
  const norm = (r: string | undefined) => r?.trim().replace(/\s+/g, ' ').toLocaleLowerCase() ?? '';
  return norm(viewer) !== '' && norm(viewer) === norm(target) ? target!.trim().replace(/\s+/g, ' ') : undefined;
}

export function renderReasons(f: ReasonFacts): Reason[] {
  const who = nameOf(f.target, 'This person');
  const whoInside = who === 'This person' ? 'this person' : who;
  const topic = f.topics ?? noTopics;
  const reasons: Reason[] = [];
  if (f.receives.length > 0) {
    reasons.push({ kind: 'receives', tags: f.receives, text: offeringSentence(who, 'you', f.receives.map(topic)) });
  }
  if (f.gives.length > 0) {
    reasons.push({ kind: 'gives', tags: f.gives, text: seekingSentence(who, f.gives.map(topic)) });
  }
  if (f.common.length > 0) {
    reasons.push({ kind: 'common', tags: f.common, text: `You’re both into ${joinTags(f.common)}` });
  }
  if (f.targetWelcomes) {
    reasons.push({ kind: 'host', text: `${who} volunteers to welcome newcomers` });
  }
  if (f.targetFirstTime) {
    reasons.push({ kind: 'first_time', text: 'First time here: say hello' });
  }
  if (f.sameRole) {
    reasons.push({ kind: 'role', text: `Same role as you: ${f.sameRole}` });
  }
  if (f.introducer) {
    reasons.push({ kind: 'introducer', by: f.introducer.id, text: `${nameOf(f.introducer, 'Someone here')} knows you both` });
  }
  if (f.connector) {
    const { via, tags, direction } = f.connector;
    const viaName = nameOf(via, 'someone here');
    const text =
      direction === 'to_you'
        ? offeringSentence(`${who} knows ${viaName}, who`, 'you', tags.map(topic))
        : offeringSentence(`You know ${viaName}, who`, whoInside, tags.map(topic));
    reasons.push({ kind: 'connector', via: via.id, tags, direction, text });
  }
  if (reasons.length === 0) {
    reasons.push({
      kind: 'open',
      text: f.viewerWithoutIntent
        ? `${who} is here now: start with a hello. Say what you’re looking for and we’ll find closer matches`
        : `${who} is here now: start with a hello`,
    });
  }
  return reasons;
}
