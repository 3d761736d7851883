import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api';
import { drainQueue, failureVerdict, memoryScanStore, serverUnavailable } from './drain';
import type { QueuedScan } from './types';

let n = 0;
function aQueuedScan(overrides: Partial<QueuedScan> = {}): QueuedScan {
  n++;
  return {
    nonce: `nonce-${n.toString().padStart(4, '0')}`,
    eventId: '00000000-0000-4000-8000-000000000001',
    token: `secret-${n}-aaaaaaaaaaaaaaaaaaaaaa`,
    type: 'entry',
    scannedAt: `2026-11-25T18:${String(n % 60).padStart(2, '0')}:00.000Z`,
    method: 'qr_keyboard',
    queuedAt: '2026-11-25T18:00:00.000Z',
    ...overrides,
  };
}

const offline = () => new ApiError(0, 'network', 'The server cannot be reached.');

describe('drainQueue', () => {
  it('sends scans oldest first with their original nonce and scan time, then empties the queue', async () => {
    const store = memoryScanStore();
    const late = aQueuedScan({ scannedAt: '2026-11-25T18:30:00.000Z' });
    const early = aQueuedScan({ scannedAt: '2026-11-25T18:05:00.000Z' });
    await store.put(late);
    await store.put(early);
    const sent: QueuedScan[] = [];

    const report = await drainQueue(store, async (scan) => sent.push(scan));

    expect(sent.map((s) => [s.nonce, s.scannedAt])).toEqual([
      [early.nonce, early.scannedAt],
      [late.nonce, late.scannedAt],
    ]);
    expect(report.sent).toBe(2);
    expect(await store.count()).toBe(0);
  });

  it('stops at the first network failure and keeps that scan and the ones after it', async () => {
    const store = memoryScanStore();
    const [a, b, c] = [aQueuedScan(), aQueuedScan(), aQueuedScan()];
    for (const s of [a, b, c]) await store.put(s);
    const tried: string[] = [];

    const report = await drainQueue(store, async (scan) => {
      tried.push(scan.nonce);
      if (scan.nonce === b.nonce) throw offline();
    });

    expect(tried).toEqual([a.nonce, b.nonce]);
    expect(report.stoppedBy).toBeInstanceOf(ApiError);
    expect((await store.oldestFirst()).map((s) => s.nonce)).toEqual([b.nonce, c.nonce]);
  });

  it('drops a scan the server refused as a bad request and goes on with the rest', async () => {
    const store = memoryScanStore();
    const [bad, good] = [aQueuedScan(), aQueuedScan()];
    await store.put(bad);
    await store.put(good);

    const report = await drainQueue(store, async (scan) => {
      if (scan.nonce === bad.nonce) throw new ApiError(400, 'validation_failed', 'Invalid');
    });

    expect(report.dropped.map((s) => s.nonce)).toEqual([bad.nonce]);
    expect(report.sent).toBe(1);
    expect(await store.count()).toBe(0);
  });

  it('keeps everything when the server is unwell or the device must pair again', async () => {
    for (const err of [new ApiError(500, 'internal', 'boom'), new ApiError(429, 'rate_limited', 'slow down'), new ApiError(401, 'device_unpaired', 'pair again'), new Error('odd')]) {
      const store = memoryScanStore();
      await store.put(aQueuedScan());
      await drainQueue(store, async () => {
        throw err;
      });
      expect(await store.count()).toBe(1);
    }
  });
});

describe('failureVerdict', () => {
  it('keeps scans that failed to reach the server and drops requests the server refused', () => {
    expect(failureVerdict(offline())).toBe('keep');
    expect(failureVerdict(new ApiError(503, 'network', 'gateway'))).toBe('keep');
    expect(failureVerdict(new ApiError(403, 'wrong_event', 'other event'))).toBe('drop');
    expect(failureVerdict(new ApiError(404, 'not_found', 'gone'))).toBe('drop');
  });
});

describe('memoryScanStore', () => {
  it('keeps one scan per nonce', async () => {
    const sut = memoryScanStore();
    const scan = aQueuedScan();
    await sut.put(scan);
    await sut.put({ ...scan });
    expect(await sut.count()).toBe(1);
  });
});

describe('drainQueue answers', () => {
  it('hands each server answer on once its scan has left the queue', async () => {
    const store = memoryScanStore();
    const [a, b] = [aQueuedScan(), aQueuedScan()];
    await store.put(a);
    await store.put(b);
    const seen: [string, string, number][] = [];

    await drainQueue(
      store,
      async (scan) => `answer for ${scan.nonce}`,
      async (scan, answer) => {
        seen.push([scan.nonce, answer, await store.count()]);
      },
    );

    expect(seen).toEqual([
      [a.nonce, `answer for ${a.nonce}`, 1],
      [b.nonce, `answer for ${b.nonce}`, 0],
    ]);
  });
});

describe('a server whose database is away', () => {
  const unavailable = () => new ApiError(503, 'database_unavailable', 'The database cannot be reached right now.');

  it('counts as offline: the kiosk decides by its offline rules and keeps the scan for later', () => {
    expect(serverUnavailable(unavailable())).toBe(true);
    expect(serverUnavailable(offline())).toBe(true);
    expect(serverUnavailable(new ApiError(500, 'internal', 'Something went wrong.'))).toBe(false);
    expect(failureVerdict(unavailable())).toBe('keep');
  });

  it('stops the round with the scan still queued, to be sent again with its nonce', async () => {
    const store = memoryScanStore();
    const scan = aQueuedScan();
    await store.put(scan);
    const report = await drainQueue(store, async () => {
      throw unavailable();
    });
    expect(report.sent).toBe(0);
    expect(serverUnavailable(report.stoppedBy)).toBe(true);
    expect((await store.oldestFirst()).map((s) => s.nonce)).toEqual([scan.nonce]);
  });
});
