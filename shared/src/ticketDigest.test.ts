import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ticketDigester } from './ticketDigest';

const eventId = '7f9c2ba4-e88f-4a1b-9d33-6a1c1b6f0a11';
const secret = 'kq3HqI7n0tCkKx1m2Yw9bA-RzQ';
const expected = createHmac('sha256', `edgewise-checkin-list:${eventId}`).update(secret).digest('base64url');

describe('ticket digests', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('are the HMAC the server lists, with WebCrypto', async () => {
    expect(await (await ticketDigester(eventId))(secret)).toBe(expected);
  });

  it('are the same HMAC without WebCrypto, as on a kiosk served over plain http', async () => {
    vi.stubGlobal('crypto', {});
    expect(await (await ticketDigester(eventId))(secret)).toBe(expected);
  });
});
