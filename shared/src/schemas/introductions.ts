import { z } from 'zod';
import { Id, text } from './common';
import { IntroducerRole, PublicProfile, ReasonView } from './matching';

/** At most this many characters of message go with an introduction: a line, not a letter. */
export const INTRODUCTION_MESSAGE_MAX = 200;

/** Introduce two attendees of the event to each other (organisers over HTTP, hosts over their socket). */
export const CreateIntroductionBody = z
  .object({
    aId: Id,
    bId: Id,
    message: text(INTRODUCTION_MESSAGE_MAX).default(''),
  })
  .refine((b) => b.aId !== b.bId, { path: ['bId'], message: 'must be someone other than the first person' });
export type CreateIntroductionBody = z.input<typeof CreateIntroductionBody>;

const IntroducedPerson = z.object({ id: Id, name: z.string(), company: z.string() });

export const Introduction = z.object({
  id: Id,
  eventId: Id,
  a: IntroducedPerson,
  b: IntroducedPerson,
  by: z.object({ role: IntroducerRole, name: z.string() }),
  message: z.string(),
  createdAt: z.string(),
});
export type Introduction = z.infer<typeof Introduction>;

/** A person someone at the edges could be introduced to, best first. */
export const EdgeCandidate = z.object({
  person: PublicProfile,
  /** Pair score in points, as matching scores pairs. */
  score: z.number(),
  /** Short, for the organiser: what each can give the other, what they share. */
  reasons: z.array(ReasonView),
});
export type EdgeCandidate = z.infer<typeof EdgeCandidate>;

/** Someone at the edges now: a first-timer, or present a while without a yes from or to anyone. */
export const EdgePerson = z.object({
  person: PublicProfile,
  arrivedAt: z.string(),
  /** When they reached the edges: a first-timer at once, anyone else after the event's edge minutes. */
  since: z.string(),
  /** Mutual or met pairs they already have (a first-timer stays at the edges with some). */
  connections: z.number().int(),
  candidates: z.array(EdgeCandidate),
});
export type EdgePerson = z.infer<typeof EdgePerson>;

export const EdgesList = z.object({
  eventId: Id,
  at: z.string(),
  edgeMinutes: z.number().int(),
  present: z.number().int(),
  /** Everyone at the edges now; `people` holds the longest waiting of them, capped. */
  total: z.number().int(),
  people: z.array(EdgePerson),
  /** Present hosts, for "introduce to any host". */
  hosts: z.array(PublicProfile),
});
export type EdgesList = z.infer<typeof EdgesList>;

/** What a host's phone shows: people at the edges nearest to the host's own intent, no contact details. */
export const HostEdges = z.object({
  people: z.array(z.object({ person: PublicProfile, since: z.string() })),
});
export type HostEdges = z.infer<typeof HostEdges>;
