import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectSocket } from 'socket.io-client';
import { anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aSocket, dbKinds, request, startServer, type TestServer } from '../fixtures/server';

/**
 * Sends `declaredBytes` of CSV in slow chunks and answers what came back and how much had
 * been sent by then: a server that answers before reading the body answers early.
 */
function slowUpload(url: string, declaredBytes: number, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; sentBeforeAnswer: number }>((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'text/csv', 'content-length': String(declaredBytes), ...headers } });
    let sent = 0;
    let answered = false;
    const chunk = Buffer.alloc(64 * 1024, 'a,b,c\n');
    const timer = setInterval(() => {
      if (answered || sent >= declaredBytes) return;
      const piece = chunk.subarray(0, Math.min(chunk.length, declaredBytes - sent));
      sent += piece.length;
      req.write(piece);
    }, 50);
    req.on('response', (res) => {
      answered = true;
      const sentBeforeAnswer = sent;
      clearInterval(timer);
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sentBeforeAnswer });
      });
    });
    req.on('error', (err) => {
      clearInterval(timer);
      if (!answered) reject(err);
    });
  });
}

describe.each(dbKinds)('hardening (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  let eventId: string;
  let clientDist: string;

  beforeAll(async () => {
    // A stand-in for the built client: the pages get the same headers as the API.
    clientDist = mkdtempSync(path.join(tmpdir(), 'ew-dist-'));
    writeFileSync(path.join(clientDist, 'index.html'), '<!doctype html><title>Edgewise</title>');
    sut = await startServer(kind, { clientDist });
    org = await anOrganiser(sut);
    eventId = await anOpenEvent(org);
  });
  afterAll(async () => {
    await sut?.close();
    rmSync(clientDist, { recursive: true, force: true });
  });

  describe('security headers', () => {
    it.each(['/api/health', '/api/events', '/api/no-such-thing', '/me?code=secret', '/kiosk', '/dashboard/setup?token=secret', '/t/secret'])(
      'are on %s',
      async (url) => {
        const res = await request(sut.url).get(url);
        const csp = String(res.headers['content-security-policy']);
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).not.toContain('unsafe-inline');
        expect(csp).not.toContain('unsafe-eval');
        // Plain http (a LAN address): upgrading would break every request.
        expect(csp).not.toContain('upgrade-insecure-requests');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['permissions-policy']).toContain('camera=(self)');
        expect(res.headers['strict-transport-security']).toBeUndefined();
        expect(res.headers['x-powered-by']).toBeUndefined();
      },
    );

    it('add HSTS and upgrade-insecure-requests when the public URL is https', async () => {
      const secure = await startServer(kind, { database: sut.database, publicUrl: 'https://edgewise.example' });
      try {
        const res = await request(secure.url).get('/api/health');
        expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{6,}/);
        expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
        expect(String(res.headers['content-security-policy'])).toContain('wss://edgewise.example');
      } finally {
        await secure.close();
      }
    });
  });

  describe('bodies', () => {
    it('refuses a 4.9 MB CSV without credentials before reading it', async () => {
      const declared = 4_900_000;
      const res = await slowUpload(`${sut.url}/api/events/${eventId}/attendees/import`, declared);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body).error.code).toBe('unauthenticated');
      expect(res.sentBeforeAnswer).toBeLessThan(declared / 4);
    });

    it('refuses a declared length over the limit with 413 before reading it', async () => {
      const declared = 5_000_001;
      const res = await slowUpload(`${sut.url}/api/events/${eventId}/attendees/import`, declared, {
        cookie: org.cookie,
        'x-csrf-token': org.csrf,
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).error.code).toBe('payload_too_large');
      expect(res.sentBeforeAnswer).toBeLessThan(declared / 4);
    });
  });

  describe('malformed input', () => {
    it('answers a bad %-escape in the path with 400 malformed_request', async () => {
      const res = await request(sut.url).post('/api/events/%ff/pairing-codes').send({ kind: 'kiosk', name: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('malformed_request');
      const signedIn = await org.post('/api/events/%E0%A4%A/pairing-codes', { kind: 'kiosk', name: 'x' });
      expect(signedIn.status).toBe(400);
    });

    it('answers a j:{json} session cookie with 401, on HTTP and on sockets', async () => {
      const res = await request(sut.url).get('/api/events').set('cookie', 'ew_session=j:{"a":1}');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
      await expect(aSocket(sut, { cookie: 'ew_session=j:{"a":1}' })).rejects.toThrow(/unauthenticated/);
      await expect(aSocket(sut, { cookie: 'ew_session=%ff%fe; ew_session=j:[1,2]' })).rejects.toThrow();
      expect((await request(sut.url).get('/api/health')).status).toBe(200);
    });

    it('answers a junk socket token or attendee token with a refusal, not a crash', async () => {
      for (const auth of [{ token: 'j:{"a":1}' }, { attendeeToken: '%ff' }, { token: 'x'.repeat(5000) }]) {
        await expect(aSocket(sut, auth)).rejects.toThrow(/unauthenticated/);
      }
      expect((await request(sut.url).get('/api/health')).status).toBe(200);
    });
  });

  describe('socket origins', () => {
    /** A handshake as a browser on `origin` would make it, with the organiser's cookie or a device token. */
    const handshake = (origin: string, auth: { cookie?: string; token?: string }) => {
      const socket = connectSocket(sut.url, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        auth: auth.token ? { token: auth.token } : {},
        extraHeaders: { origin, ...(auth.cookie ? { cookie: auth.cookie } : {}) },
      });
      return new Promise<string>((resolve) => {
        socket.once('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.once('connect_error', (err) => {
          socket.close();
          resolve(err.message);
        });
      });
    };

    it("refuses an organiser's cookie sent from another site's page, and takes it from our own", async () => {
      expect(await handshake('https://evil.example', { cookie: org.cookie })).toBe('forbidden_origin');
      expect(await handshake('null', { cookie: org.cookie })).toBe('forbidden_origin');
      expect(await handshake(sut.url, { cookie: org.cookie })).toBe('connected');
      expect(await handshake(new URL(sut.deps.publicUrl).origin, { cookie: org.cookie })).toBe('connected');
    });

    it('lets a paired device connect from anywhere: its token, not a cookie, says who it is', async () => {
      const kiosk = await aPairedDevice(sut, org, eventId);
      expect(await handshake('https://kiosk-wrapper.example', { token: kiosk.token })).toBe('connected');
    });
  });
});
