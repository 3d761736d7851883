import type { StoredReason } from '@edgewise/db';
import type { TopicLookup } from '@edgewise/shared';
import { renderReasons, type ReasonFacts } from '../../matching/reasons';

export interface Asker {
  id: string;
  name: string;
  firstTime: boolean;
}

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const stringOr = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The reasons for the other direction of a pair, made from the asker's own suggestion so
 * that someone who was not (yet) suggested the asker still learns why they might meet.
 * Reasons speak to the viewer about the target, so each is turned around: what the target
 * offered the asker becomes what the asker is looking for, a connector's direction flips,
 * and facts about the old target (first time, host) are dropped, being about the viewer now.
 * `names` gives the names of introducers and connectors the reasons refer to.
 */
export function mirrorReasons(askerReasons: readonly StoredReason[], asker: Asker, names: ReadonlyMap<string, string>, topics?: TopicLookup): StoredReason[] {
  const facts: ReasonFacts = {
    target: { id: asker.id, name: asker.name },
    receives: [],
    gives: [],
    common: [],
    targetFirstTime: asker.firstTime,
    targetWelcomes: false,
    topics,
  };
  for (const r of askerReasons) {
    if (r.kind === 'receives') facts.gives.push(...stringList(r.tags));
    else if (r.kind === 'gives') facts.receives.push(...stringList(r.tags));
    else if (r.kind === 'common') facts.common.push(...stringList(r.tags));
    else if (r.kind === 'introducer') {
      const by = stringOr(r.by);
      if (by && by !== asker.id) facts.introducer = { id: by, name: names.get(by) };
    } else if (r.kind === 'connector') {
      const via = stringOr(r.via);
      const direction = r.direction === 'to_you' ? 'from_you' : r.direction === 'from_you' ? 'to_you' : null;
      if (via && direction) facts.connector = { via: { id: via, name: names.get(via) }, tags: stringList(r.tags), direction };
    }
  }
  const turned = renderReasons(facts).filter((r) => r.kind !== 'open') as StoredReason[];
  return [{ kind: 'wants_to_meet', text: `${asker.name} would like to meet you` }, ...turned];
}

/** Ids of the people (introducers, connectors) these reasons name. */
export function peopleNamedIn(reasons: readonly StoredReason[]): string[] {
  const ids = new Set<string>();
  for (const r of reasons) {
    const id = stringOr(r.by) ?? stringOr(r.via);
    if (id) ids.add(id);
  }
  return [...ids];
}
