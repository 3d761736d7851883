import { describe, expect, expectTypeOf, it } from 'vitest';
import { clientEvents, type ClientToServerEvents } from './socket';

describe('clientEvents', () => {
  it('names every client-to-server event of the contract, once', () => {
    // Checked by the typecheck: an event added to the interface and not to the list fails here.
    expectTypeOf<Exclude<keyof ClientToServerEvents, (typeof clientEvents)[number]>>().toEqualTypeOf<never>();
    expect(new Set(clientEvents).size).toBe(clientEvents.length);
  });
});
