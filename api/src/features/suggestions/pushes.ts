/**
 * Pushes of one event's lists to the pages of the people they changed for, beside the
 * event's batches (see runtime.ts). Each payload is a versioned snapshot read when it is
 * sent, and a page keeps the newest version it saw, so the order of pushes does not matter.
 */

/** Each push builds up to this many people's lists at a time, in two round trips. */
const PUSH_BATCH = 25;

/**
 * Lanes working through each queue: one for `soon`, which runs beside the batches, so the
 * next check-in's batch shares the machine with one push at most; two for `later`, which
 * run between them.
 */
const PROMPT_LANES = 1;
const BULK_LANES = 2;

/** People to push their list to, and the lanes working through them. */
interface PushQueue {
  ids: Set<string>;
  lanes: Set<Promise<void>>;
}

const emptyQueue = (): PushQueue => ({ ids: new Set(), lanes: new Set() });

export interface EventPushesInput {
  eventId: string;
  /** Builds these attendees' lists together and sends each to its page. */
  push(attendeeIds: readonly string[]): Promise<void>;
  /** Whether the attendee has a page open here: nobody listening, nothing to build. */
  listening(attendeeId: string): boolean;
  /** The batch under way that people wait for (a check-in, an answer): `later` pushes let it go first. */
  urgent(): Promise<void> | null;
  /** After each push, a `later` lane rests as long as the push took, times this. */
  restFactor: number;
  closed(): boolean;
  log(line: Record<string, unknown>): void;
}

/**
 * Two queues per event. `soon` holds those whose list an incremental batch changed
 * (someone arrived, left, answered): its lane starts as soon as the batch has pushed its
 * own people and gives way to nothing, so the people already in the room see a newcomer
 * within the newcomer's own round. `later` holds those whose list a global pass or a
 * rebuild changed: its lanes give way to a batch under way and to a `soon` push, and a
 * pass that moved thousands of lists does not stand in front of anyone.
 *
 * Someone queued twice is pushed once, with what is stored by then; someone queued while
 * their push is being built is queued again, and pushed again after.
 */
export class EventPushes {
  private readonly prompt = emptyQueue();
  private readonly bulk = emptyQueue();

  constructor(private readonly input: EventPushesInput) {}

  /** People whose lists an incremental batch changed: pushed at once, whatever else is queued or running. */
  soon(attendeeIds: readonly string[]): void {
    this.queue(this.prompt, attendeeIds);
  }

  /** People whose lists a global pass or a rebuild changed: pushed between batches, after `soon`'s. */
  later(attendeeIds: readonly string[]): void {
    this.queue(this.bulk, attendeeIds);
  }

  /** Pushes these people's lists now, waiting for them: the people a batch is about. */
  async now(attendeeIds: readonly string[]): Promise<void> {
    const listening = attendeeIds.filter((id) => this.input.listening(id));
    for (let i = 0; i < listening.length; i += PUSH_BATCH) await this.input.push(listening.slice(i, i + PUSH_BATCH));
  }

  /** Anyone queued, or a push under way. */
  get busy(): boolean {
    return [this.prompt, this.bulk].some((q) => q.lanes.size > 0 || q.ids.size > 0);
  }

  /** The lanes running now, to wait for. */
  lanes(): Promise<void>[] {
    return [...this.prompt.lanes, ...this.bulk.lanes];
  }

  /** Starts a lane for anyone still queued with none running (someone queued as the last lane ended). */
  resume(): void {
    for (const queue of [this.prompt, this.bulk]) if (queue.lanes.size === 0) this.queue(queue, []);
  }

  private queue(queue: PushQueue, attendeeIds: readonly string[]): void {
    const { input } = this;
    for (const id of attendeeIds) if (input.listening(id)) queue.ids.add(id);
    const bulk = queue === this.bulk;
    while (queue.lanes.size < (bulk ? BULK_LANES : PROMPT_LANES) && queue.ids.size > 0) {
      const lane = (async () => {
        while (queue.ids.size > 0) {
          // Someone waiting for their own list goes first, then those a batch has just
          // moved: the database and the machine are shared.
          if (bulk) for (let ahead = this.aheadOfBulk(); ahead; ahead = this.aheadOfBulk()) await ahead;
          const batch: string[] = [];
          for (const id of queue.ids) {
            if (batch.length === PUSH_BATCH) break;
            batch.push(id);
          }
          for (const id of batch) {
            queue.ids.delete(id);
            // Their list is stored already (they are queued after its write): this push carries it.
            this.bulk.ids.delete(id);
          }
          const started = performance.now();
          try {
            await input.push(batch);
          } catch (err) {
            input.log({ level: 'warn', msg: 'live matching could not push lists', eventId: input.eventId, attendeeIds: batch, err: String(err) });
          }
          if (bulk && queue.ids.size > 0 && !input.closed()) await new Promise((resolve) => setTimeout(resolve, (performance.now() - started) * input.restFactor));
        }
      })();
      queue.lanes.add(lane);
      void lane.finally(() => {
        queue.lanes.delete(lane);
        // Someone may have been queued between this lane's last look and now.
        if (queue.ids.size > 0 && !input.closed()) this.queue(queue, []);
      });
    }
  }

  /** What a `later` push waits for: the batch under way, else a `soon` push being built. */
  private aheadOfBulk(): Promise<void> | null {
    return this.input.urgent() ?? this.prompt.lanes.values().next().value ?? null;
  }
}
