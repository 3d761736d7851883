import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@edgewise/db';
import { dbKinds, request, startServer, type TestServer } from '../fixtures/server';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../fixtures/postgres';

describe.each(dbKinds)('health on %s', (kind) => {
  let sut: TestServer;
  beforeAll(async () => {
    sut = await startServer(kind);
  });
  afterAll(async () => {
    await sut.close();
  });

  it('says the process is live and the node ready (database answers, migrations applied)', async () => {
    await request(sut.url).get('/api/health/live').expect(200, { ok: true });
    await request(sut.url).get('/api/health/ready').expect(200, { ok: true, db: kind });
  });
});

/**
 * A TCP proxy in front of Postgres that the test can cut and restore: the database going
 * away and coming back, as the API sees it, without stopping a server other suites share.
 */
function aCuttableProxy(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = createConnection(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  return {
    listen,
    url: () => Object.assign(new URL(target), { host: `127.0.0.1:${port}` }).toString(),
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server?.close(() => resolve());
      }),
  };
}

const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)('when the Postgres database goes away and comes back', () => {
  let throwaway: ThrowawayDatabase;
  let proxy: ReturnType<typeof aCuttableProxy>;
  let database: Database;
  let sut: TestServer;

  beforeAll(async () => {
    throwaway = await createThrowawayDatabase(adminUrl!, 'ew_health');
    proxy = aCuttableProxy(new URL(throwaway.url));
    await proxy.listen();
    database = await openDatabase({ databaseUrl: proxy.url(), poolSize: 4 });
    await database.migrate();
    sut = await startServer('postgres', { database });
  });
  afterAll(async () => {
    await sut.close();
    await database.close();
    await proxy.cut();
    await throwaway.drop();
  });

  it('answers 503 database_unavailable with Retry-After within two seconds, fails readiness, and serves again within a second of its return', async () => {
    // A request that needs the database: a kiosk token is looked up.
    const kioskCall = () => request(sut.url).get('/api/device').set('authorization', 'Bearer not-a-real-token-but-long-enough-0000');
    await kioskCall().expect(401);

    await proxy.cut();
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      const res = await kioskCall();
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('database_unavailable');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    const ready = await request(sut.url).get('/api/health/ready');
    expect(ready.status).toBe(503);
    await request(sut.url).get('/api/health/live').expect(200);

    await proxy.listen();
    const back = Date.now();
    let status = 0;
    while (Date.now() - back < 3000 && status !== 401) {
      status = (await kioskCall()).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(401);
    expect(Date.now() - back).toBeLessThan(1000);
    await request(sut.url).get('/api/health/ready').expect(200);
  });
});
