import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactCardBody, IntentBody, MeSnapshot } from '@edgewise/shared';
import { anIntent, anOrganiser, type Organiser } from '../fixtures/builders';
import { aKioskRoom, ask, nextChange, recorder, sync } from '../fixtures/room';
import { dbKinds, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

const designer: Partial<IntentBody> = { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'] };
const investor: Partial<IntentBody> = { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] };
const nothing: ContactCardBody = { shareEmail: false, phone: '', link: '' };

describe.each(dbKinds)('contacts that reach both people (%s)', (kind) => {
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

  async function aRoom() {
    const room = await aKioskRoom(sut, org, sockets);
    const arrive = async (name: string, intent: Partial<IntentBody>, email: string) => ({ ...(await room.arrive(name, intent, { email })), email });
    return { ...room, arrive };
  }

  const rowOf = (snapshot: MeSnapshot, personId: string) => {
    const s = snapshot.suggestions.find((x) => x.person.id === personId);
    if (!s) throw new Error('live matching suggested nobody');
    return s;
  };

  /** Both say yes to each other; returns each one's suggestion id for the other. */
  async function bothSayYes(a: { socket: ClientSocket; id: string }, b: { socket: ClientSocket; id: string }) {
    await sut.matching.settled();
    const ab = rowOf(await sync(a.socket), b.id).id;
    const ba = rowOf(await sync(b.socket), a.id).id;
    expect((await ask(a.socket, 'suggestion:answer', { suggestionId: ab, answer: 'yes' })).ok).toBe(true);
    expect(await ask(b.socket, 'suggestion:answer', { suggestionId: ba, answer: 'yes' })).toMatchObject({ ok: true, data: { state: 'mutual' } });
    return { ab, ba };
  }

  it('takes what to share from the intent step at the kiosk, and each of two who said yes sees what the other chose', async () => {
    const room = await aRoom();
    const ana = await room.arrive('Ana Ferreira', { ...designer, share: { shareEmail: true, phone: '', link: 'https://ana.example.org' } }, 'ana.f@example.org');
    const ben = await room.arrive('Ben Okafor', { ...investor, share: { shareEmail: false, phone: '+351 912 345 678', link: '' } }, 'ben.o@example.org');
    // The choice is stored on the contact card, as chosen.
    expect((await sync(ana.socket)).contactCard).toMatchObject({ shareEmail: true, phone: '', link: 'https://ana.example.org', chosen: true });

    const { ab, ba } = await bothSayYes(ana, ben);
    expect(rowOf(await sync(ana.socket), ben.id)).toMatchObject({ id: ab, contact: { email: null, phone: '+351 912 345 678', link: null }, theyAskedMeToShare: false });
    expect(rowOf(await sync(ben.socket), ana.id)).toMatchObject({ id: ba, contact: { email: 'ana.f@example.org', phone: null, link: 'https://ana.example.org' } });
  });

  it('leaves the contact card as it is when the intent step carries no choice, and never lets an organiser choose for a guest', async () => {
    const room = await aRoom();
    const ana = await room.arrive('Ana Lima', designer, 'ana.l@example.org');
    expect((await sync(ana.socket)).contactCard).toMatchObject({ ...nothing, chosen: false });
    expect((await ask(ana.socket, 'contact:update', { shareEmail: true, phone: '', link: '' })).ok).toBe(true);
    expect((await ask(ana.socket, 'intent:update', anIntent(designer))).ok).toBe(true);
    expect((await sync(ana.socket)).contactCard).toMatchObject({ shareEmail: true, chosen: true });

    const res = await org.put(`/api/events/${room.eventId}/attendees/${ana.id}/intent`, anIntent({ ...designer, share: { shareEmail: false, phone: '+1 555 0100', link: '' } }));
    expect(res.status).toBe(403);
    expect((await sync(ana.socket)).contactCard).toMatchObject({ shareEmail: true, phone: '' });
  });

  it('lets one who got nothing ask once; the other sees the ask and shares with one tap; nothing passes before that tap', async () => {
    const room = await aRoom();
    const ana = await room.arrive('Ana Costa', { ...designer, share: { shareEmail: true, phone: '', link: '' } }, 'ana.c@example.org');
    const ben = await room.arrive('Ben Adeyemi', { ...investor, share: nothing }, 'ben.a@example.org');
    const { ab, ba } = await bothSayYes(ana, ben);
    expect(rowOf(await sync(ana.socket), ben.id)).toMatchObject({ contact: { email: null, phone: null, link: null }, askedThemToShare: false });

    // Ana asks: Ben's card says so at once, and carries nothing of Ben's to Ana.
    const toBen = nextChange(ben.socket, (p) => p.suggestions.some((s) => s.id === ba && s.theyAskedMeToShare));
    const asked = await ask(ana.socket, 'contact:ask', { suggestionId: ab });
    expect(asked).toMatchObject({ ok: true, data: { askedThemToShare: true, contact: { email: null, phone: null, link: null } } });
    expect((await toBen).suggestions.find((s) => s.id === ba)).toMatchObject({ theyAskedMeToShare: true, askedThemToShare: false });

    // Once per pair: asking again tells Ben nothing new.
    const heardByBen = recorder(ben.socket);
    expect(await ask(ana.socket, 'contact:ask', { suggestionId: ab })).toMatchObject({ ok: true, data: { askedThemToShare: true } });
    await sync(ben.socket);
    expect(heardByBen.filter((e) => e.event === 'suggestions:changed')).toEqual([]);
    expect(JSON.stringify(await sync(ana.socket))).not.toContain('ben.a@example.org');

    // Ben's one tap: his email, and Ana's card shows it.
    const toAna = nextChange(ana.socket, (p) => p.suggestions.some((s) => s.id === ab && s.contact?.email === 'ben.a@example.org'));
    expect((await ask(ben.socket, 'contact:update', { shareEmail: true, phone: '', link: '' })).ok).toBe(true);
    expect((await toAna).suggestions.find((s) => s.id === ab)?.contact).toEqual({ email: 'ben.a@example.org', phone: null, link: null });
  });

  it('refuses an ask outside a pair that both said yes to, and about anyone not in your list', async () => {
    const room = await aRoom();
    const ana = await room.arrive('Ana Reis', designer, 'ana.r@example.org');
    const ben = await room.arrive('Ben Cole', investor, 'ben.c@example.org');
    await sut.matching.settled();
    const ab = rowOf(await sync(ana.socket), ben.id).id;
    const ba = rowOf(await sync(ben.socket), ana.id).id;
    expect(await ask(ana.socket, 'contact:ask', { suggestionId: ab })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // Ben's row is Ben's: Ana cannot ask through it.
    expect(await ask(ana.socket, 'contact:ask', { suggestionId: ba })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await ask(ana.socket, 'contact:ask', { suggestionId: 'not-an-id' })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(rowOf(await sync(ben.socket), ana.id)).toMatchObject({ theyAskedMeToShare: false });
  });

  it("brings a share chosen later at the kiosk to the other person's phone at once, without a sync", async () => {
    const room = await aRoom();
    const ana = await room.arrive('Ana Kiosk', designer, 'ana.k@example.org');
    const ben = await room.arrive('Ben Phone', investor, 'ben.p@example.org');
    await bothSayYes(ana, ben);
    expect(rowOf(await sync(ben.socket), ana.id).contact).toMatchObject({ email: null, phone: null, link: null });

    // Ana is back at the kiosk (she scans her ticket again) and ticks her email this time: Ben's open page hears it.
    await room.scanAgain(ana);
    const onBen = nextChange(ben.socket, (p) => p.suggestions.some((s) => s.person.id === ana.id && s.contact?.email === 'ana.k@example.org'));
    await room.stateIntent(ana, { ...designer, share: { shareEmail: true, phone: '', link: '' } });
    const pushed = await onBen;
    expect(pushed.suggestions.find((s) => s.person.id === ana.id)?.contact).toMatchObject({ email: 'ana.k@example.org', phone: null, link: null });
  });
});
