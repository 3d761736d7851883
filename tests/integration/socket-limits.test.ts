import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_BURST } from '../../api/src/features/realtime/command-budget';
import { SOCKETS_PER_CREDENTIAL } from '../../api/src/features/realtime/socket';
import { anOrganiser, type Organiser } from '../fixtures/builders';
import { aKioskRoom, aSignedInPhone } from '../fixtures/room';
import { aSocket, dbKinds, startServer, type ClientSocket, type TestServer } from '../fixtures/server';
import { waitFor } from '../fixtures/wait';

/**
 * One credential, many sockets: every socket costs the server memory and a copy of each push
 * to its room. A phone's session token or a kiosk's token (readable on the tablet) must not
 * open them by the thousand; other people's sockets are not held up by it.
 */
describe.each(dbKinds)('sockets per credential (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    sut = await startServer(kind, { limits: { pairPerWindow: 1000 } });
    org = await anOrganiser(sut);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await sut?.close();
  });

  const open = async (auth: { attendeeToken?: string; token?: string }, n: number) => {
    const opened: ClientSocket[] = [];
    for (let i = 0; i < n; i++) opened.push(await aSocket(sut, auth));
    sockets.push(...opened);
    return opened;
  };

  it('holds an attendee session and a kiosk to a bounded number of open sockets, and frees a place when one closes', async () => {
    const room = await aKioskRoom(sut, org, sockets);
    const ana = await aSignedInPhone(sut, sockets, await room.arriveAtKiosk('Ana Costa', { seeks: ['Hiring'] }));
    const ben = await aSignedInPhone(sut, sockets, await room.arriveAtKiosk('Ben Okafor', { seeks: ['Hiring'] }));

    // Ana's phone already holds one socket; she fills her places, and the next one is refused.
    const anas = await open({ attendeeToken: ana.token }, SOCKETS_PER_CREDENTIAL - 1);
    await expect(aSocket(sut, { attendeeToken: ana.token })).rejects.toThrow('too_many_connections');
    // Ben's session is his own: it still connects.
    await open({ attendeeToken: ben.token }, 1);

    // A socket that closes gives its place back.
    anas[0]!.close();
    const again = await waitFor('a place to free up', async () => aSocket(sut, { attendeeToken: ana.token }).catch(() => undefined));
    sockets.push(again);
    expect(again.connected).toBe(true);
    // And the page still works on it.
    const ack = (await again.timeout(5000).emitWithAck('me:sync', {})) as { ok: boolean };
    expect(ack.ok).toBe(true);

    await open({ token: room.kiosk.token }, SOCKETS_PER_CREDENTIAL);
    await expect(aSocket(sut, { token: room.kiosk.token })).rejects.toThrow('too_many_connections');
  });

  it('refuses an attendee who floods commands with rate_limited, across their sockets, and lets them on after a pause', async () => {
    const room = await aKioskRoom(sut, org, sockets);
    const ana = await aSignedInPhone(sut, sockets, await room.arriveAtKiosk('Ana Costa', { seeks: ['Hiring'] }));
    const ben = await aSignedInPhone(sut, sockets, await room.arriveAtKiosk('Ben Okafor', { seeks: ['Hiring'] }));
    const [second] = await open({ attendeeToken: ana.token }, 1);
    type Answer = { ok: boolean; error?: { code: string } };
    const send = (socket: ClientSocket, i: number) => socket.timeout(10_000).emitWithAck('where-i-am:update', { text: `by table ${i}` }) as Promise<Answer>;

    // Twice the burst, half from each of her sockets: the budget is hers, not a socket's.
    const answers = await Promise.all(Array.from({ length: 2 * COMMAND_BURST }, (_, i) => send(i % 2 === 0 ? ana.socket : second!, i)));
    const refused = answers.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThanOrEqual(COMMAND_BURST - 5);
    expect(new Set(refused.map((a) => a.error?.code))).toEqual(new Set(['rate_limited']));
    // Ben is not held up by her.
    expect((await send(ben.socket, 0)).ok).toBe(true);
    // A second later she has a few commands again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await send(ana.socket, 0)).ok).toBe(true);
  });
});
