import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckinOutcome, Event, LanguagesResponse, MeSnapshot, SessionInfo, WalkInResult } from '@edgewise/shared';
import { aGuest, anEvent, anIntent, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { suggestions } from '@edgewise/db';
import { aSignedInToken } from '../fixtures/credentials';
import { dbKinds, request, startServer, type TestServer } from '../fixtures/server';

describe.each(dbKinds)('languages (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;

  beforeAll(async () => {
    sut = await startServer(kind, { limits: { pairPerWindow: 1000 } });
    org = await anOrganiser(sut);
  });
  afterAll(async () => {
    await sut?.close();
  });

  const now = () => new Date(sut.clock()).toISOString();
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const errorCode = (res: { body: unknown }) => (res.body as { error?: { code?: string } }).error?.code;

  it('lists the supported languages by their own names, to anyone', async () => {
    const res = await request(sut.url).get('/api/languages');
    expect(res.status).toBe(200);
    expect((res.body as LanguagesResponse).languages).toEqual([
      { code: 'en', name: 'English', dir: 'ltr' },
      { code: 'de', name: 'Deutsch', dir: 'ltr' },
      { code: 'fr', name: 'Français', dir: 'ltr' },
      { code: 'es', name: 'Español', dir: 'ltr' },
      { code: 'ja', name: '日本語', dir: 'ltr' },
    ]);
  });

  describe('an event', () => {
    it('speaks English unless told otherwise', async () => {
      const res = await org.post('/api/events', anEvent());
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ languages: ['en'], defaultLanguage: 'en' });
    });

    it('takes its languages and default when created, and changes them in its edit', async () => {
      const made = await org.post('/api/events', anEvent({ languages: ['de', 'en', 'ja'], defaultLanguage: 'de' }));
      expect(made.status).toBe(201);
      const id = (made.body as Event).id;
      expect(made.body).toMatchObject({ languages: ['de', 'en', 'ja'], defaultLanguage: 'de' });

      const edited = await org.patch(`/api/events/${id}`, { languages: ['fr', 'es'], defaultLanguage: 'es' });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ languages: ['fr', 'es'], defaultLanguage: 'es' });
      const onlyDefault = await org.patch(`/api/events/${id}`, { defaultLanguage: 'fr' });
      expect(onlyDefault.body).toMatchObject({ languages: ['fr', 'es'], defaultLanguage: 'fr' });
      expect((await org.get(`/api/events/${id}`)).body).toMatchObject({ languages: ['fr', 'es'], defaultLanguage: 'fr' });
    });

    it('takes the only language it is given as its default', async () => {
      const res = await org.post('/api/events', anEvent({ languages: ['ja'] }));
      expect(res.body).toMatchObject({ languages: ['ja'], defaultLanguage: 'ja' });
    });

    it('refuses a default outside its languages, an unknown, repeated or empty list, changing nothing', async () => {
      const id = await anOpenEvent(org, { languages: ['en', 'de'], defaultLanguage: 'en' });
      const outside = await org.patch(`/api/events/${id}`, { defaultLanguage: 'ja' });
      expect(outside.status).toBe(400);
      expect(errorCode(outside)).toBe('language_not_offered');
      // Dropping the default without naming another leaves the event without one.
      const dropped = await org.patch(`/api/events/${id}`, { languages: ['de'] });
      expect(dropped.status).toBe(400);
      expect(errorCode(dropped)).toBe('language_not_offered');
      const created = await org.post('/api/events', anEvent({ languages: ['en'], defaultLanguage: 'fr' }));
      expect(created.status).toBe(400);
      expect(errorCode(created)).toBe('language_not_offered');
      for (const languages of [[], ['en', 'en'], ['xx'], 'en']) {
        const res = await org.patch(`/api/events/${id}`, { languages });
        expect(res.status).toBe(400);
        expect(errorCode(res)).toBe('validation_failed');
      }
      expect((await org.get(`/api/events/${id}`)).body).toMatchObject({ languages: ['en', 'de'], defaultLanguage: 'en' });
    });

    it('starts from a template vocabulary in every supported language, templates named in the asker’s', async () => {
      const templates = await org.get('/api/event-templates').set('accept-language', 'ja');
      expect(templates.body[0]).toMatchObject({ id: 'startup-night', name: 'スタートアップ・投資家ナイト' });
      const made = await org.post('/api/events', anEvent({ template: 'startup-night', languages: ['en', 'de', 'ja'] }));
      const { topics, interestTranslations } = (made.body as Event).settings;
      expect(topics.find((t) => t.id === 'investment')).toEqual({
        id: 'investment',
        seekLabel: 'Investment',
        offerLabel: 'I invest',
        translations: {
          de: { seekLabel: 'Investment', offerLabel: 'Ich investiere' },
          fr: { seekLabel: 'Un investissement', offerLabel: 'J’investis' },
          es: { seekLabel: 'Inversión', offerLabel: 'Invierto' },
          ja: { seekLabel: '出資', offerLabel: '出資しています' },
        },
      });
      expect(interestTranslations.Climate).toEqual({ de: 'Klima', fr: 'Climat', es: 'Clima', ja: '気候' });
      // Without a template: the general evening's vocabulary, translated too.
      const plain = await org.post('/api/events', anEvent());
      expect((plain.body as Event).settings.topics.every((t) => t.translations?.ja)).toBe(true);
    });

    it('keeps topic and interest labels per language in its settings', async () => {
      const id = await anOpenEvent(org, { languages: ['en', 'ja'] });
      const topics = [{ id: 'investors', seekLabel: 'Investors', offerLabel: 'I invest', translations: { ja: { seekLabel: '投資家', offerLabel: '投資しています' } } }];
      const interestTranslations = { Climate: { ja: '気候' } };
      const res = await org.patch(`/api/events/${id}`, { settings: { topics, interestTags: ['Climate'], interestTranslations } });
      expect(res.status).toBe(200);
      expect((res.body as Event).settings).toMatchObject({ topics, interestTranslations });
      const bad = await org.patch(`/api/events/${id}`, { settings: { topics: [{ ...topics[0], translations: { xx: { seekLabel: 'a', offerLabel: 'b' } } }] } });
      expect(bad.status).toBe(400);
    });

    it('tells its kiosk and its screen its languages and default', async () => {
      const id = await anOpenEvent(org, { languages: ['en', 'ja'], defaultLanguage: 'ja' });
      for (const deviceKind of ['kiosk', 'screen'] as const) {
        const device = await aPairedDevice(sut, org, id, deviceKind);
        const res = await request(sut.url).get('/api/device').set(bearer(device.token));
        expect(res.status).toBe(200);
        expect((res.body as { event: Event }).event).toMatchObject({ languages: ['en', 'ja'], defaultLanguage: 'ja' });
      }
    });
  });

  describe('a guest', () => {
    let eventId: string;
    let kiosk: { token: string };
    beforeAll(async () => {
      eventId = await anOpenEvent(org, { languages: ['en', 'de', 'ja'], defaultLanguage: 'en', settings: { walkInsAllowed: true } });
      kiosk = await aPairedDevice(sut, org, eventId);
    });
    const me = async (token: string) => (await request(sut.url).get('/api/me').set(bearer(token))).body as MeSnapshot;
    const checkIn = async (secret: string) => {
      const res = await request(sut.url)
        .post(`/api/events/${eventId}/checkins`)
        .set(bearer(kiosk.token))
        .send({ token: secret, type: 'entry', nonce: aNonce(), scannedAt: now() });
      expect((res.body as CheckinOutcome).status).toBe('ok');
    };

    it('reads the event default until choosing, then chooses on /me among the event languages only', async () => {
      const guest = await aGuest(org, eventId);
      const token = await aSignedInToken(sut, guest.id);
      const before = await me(token);
      expect(before.me.language).toBeNull();
      expect(before.event).toMatchObject({ languages: ['en', 'de', 'ja'], defaultLanguage: 'en' });

      const chosen = await request(sut.url).put('/api/me/language').set(bearer(token)).send({ language: 'ja' });
      expect(chosen.status).toBe(200);
      expect(chosen.body).toEqual({ language: 'ja' });
      expect((await me(token)).me.language).toBe('ja');

      const notOffered = await request(sut.url).put('/api/me/language').set(bearer(token)).send({ language: 'fr' });
      expect(notOffered.status).toBe(400);
      expect(errorCode(notOffered)).toBe('language_not_offered');
      const unknown = await request(sut.url).put('/api/me/language').set(bearer(token)).send({ language: 'klingon' });
      expect(unknown.status).toBe(400);
      expect((await me(token)).me.language).toBe('ja');
    });

    it('chooses at the kiosk with the intent', async () => {
      const guest = await aGuest(org, eventId);
      await checkIn(guest.secret);
      const path = `/api/events/${eventId}/attendees/${guest.id}/intent`;
      const refused = await request(sut.url).put(path).set(bearer(kiosk.token)).send(anIntent({ language: 'es' }));
      expect(refused.status).toBe(400);
      expect(errorCode(refused)).toBe('language_not_offered');
      const res = await request(sut.url).put(path).set(bearer(kiosk.token)).send(anIntent({ language: 'de' }));
      expect(res.status).toBe(200);
      expect((await me(await aSignedInToken(sut, guest.id))).me.language).toBe('de');
      // An intent without a language leaves the choice as it was.
      await request(sut.url).put(path).set(bearer(kiosk.token)).send(anIntent());
      expect((await me(await aSignedInToken(sut, guest.id))).me.language).toBe('de');
    });

    it('chooses at the kiosk as a walk-in', async () => {
      const walkIn = (body: object) =>
        request(sut.url).post(`/api/events/${eventId}/walkins`).set(bearer(kiosk.token)).send({ name: 'Kenji Walk', nonce: aNonce(), scannedAt: now(), ...body });
      const refused = await walkIn({ language: 'fr' });
      expect(refused.status).toBe(400);
      expect(errorCode(refused)).toBe('language_not_offered');
      const res = await walkIn({ language: 'ja' });
      expect(res.status).toBe(201);
      expect((await me(await aSignedInToken(sut, (res.body as WalkInResult).attendee.id))).me.language).toBe('ja');
    });
  });

  describe('answers in the asker’s language', () => {
    it('words a check-in in the kiosk’s language among the event’s, else in the event default', async () => {
      const eventId = await anOpenEvent(org, { languages: ['en', 'de'], defaultLanguage: 'de' });
      const kiosk = await aPairedDevice(sut, org, eventId);
      const scan = async (acceptLanguage: string | null) => {
        const guest = await aGuest(org, eventId, { name: 'Jonas Weber' });
        const req = request(sut.url).post(`/api/events/${eventId}/checkins`).set(bearer(kiosk.token));
        if (acceptLanguage) void req.set('accept-language', acceptLanguage);
        return (await req.send({ token: guest.secret, type: 'entry', nonce: aNonce(), scannedAt: now() })).body as CheckinOutcome;
      };
      expect((await scan('de-DE,de;q=0.9')).message).toBe('Willkommen, Jonas! Du bist eingecheckt.');
      expect((await scan('en')).message).toBe("Welcome, Jonas! You're checked in.");
      // French is not among the event's languages: its default answers.
      expect((await scan('fr')).message).toBe('Willkommen, Jonas! Du bist eingecheckt.');
      expect((await scan(null)).message).toBe('Willkommen, Jonas! Du bist eingecheckt.');
      const refused = await request(sut.url)
        .post(`/api/events/${eventId}/checkins`)
        .set(bearer(kiosk.token))
        .set('accept-language', 'de')
        .send({ token: 'nope-not-a-ticket-at-all', type: 'entry', nonce: aNonce(), scannedAt: now() });
      expect((refused.body as CheckinOutcome).message).toBe('Dieses Ticket kennen wir nicht. Versuch es noch einmal, such nach deinem Namen oder frag am Empfang.');
    });

    it('words errors by their code in the language asked for, the code unchanged', async () => {
      const missing = await org.get('/api/events/00000000-0000-4000-8000-000000000000').set('accept-language', 'ja');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ error: { code: 'not_found', message: '見つかりませんでした。' } });
      const english = await org.get('/api/events/00000000-0000-4000-8000-000000000000').set('accept-language', 'en');
      expect(english.body).toMatchObject({ error: { code: 'not_found', message: 'No such event.' } });

      const eventId = await anOpenEvent(org, { languages: ['en', 'es'], defaultLanguage: 'es' });
      const guest = await aGuest(org, eventId);
      const token = await aSignedInToken(sut, guest.id);
      const notOffered = await request(sut.url).put('/api/me/language').set(bearer(token)).set('accept-language', 'de').send({ language: 'ja' });
      expect(notOffered.body).toMatchObject({ error: { code: 'language_not_offered', message: 'Este evento no está disponible en ese idioma.' } });
      const anonymous = await request(sut.url).get('/api/me').set('accept-language', 'fr-CA');
      expect(anonymous.body).toMatchObject({ error: { code: 'unauthenticated', message: 'Connexion requise ou session expirée : reconnectez-vous.' } });
    });

    it('tells what is wrong with each field in the language asked for, in English in the schema’s own words', async () => {
      const eventId = await anOpenEvent(org, { languages: ['en', 'de', 'ja'], defaultLanguage: 'en', settings: { walkInsAllowed: true } });
      const kiosk = await aPairedDevice(sut, org, eventId);
      const walkIn = (language: string) =>
        request(sut.url)
          .post(`/api/events/${eventId}/walkins`)
          .set(bearer(kiosk.token))
          .set('accept-language', language)
          .send({ name: '', email: 'not-an-address', nonce: aNonce(), scannedAt: now() });
      const byField = (res: { body: unknown }) =>
        Object.fromEntries(((res.body as { error: { details: { path: string; message: string }[] } }).error.details ?? []).map((d) => [d.path, d.message]));
      const de = await walkIn('de');
      expect(de.status).toBe(400);
      expect(byField(de)).toEqual({ name: 'Bitte ausfüllen.', email: 'Das ist keine E-Mail-Adresse.' });
      expect(byField(await walkIn('ja'))).toEqual({ name: '入力してください。', email: 'メールアドレスの形式ではありません。' });
      expect(byField(await walkIn('en'))).toMatchObject({ name: 'is required' });
    });
  });

  describe('reasons', () => {
    it('reach each guest in their language, with the event’s labels in it, and in English as matching wrote them', async () => {
      const eventId = await anOpenEvent(org, { languages: ['en', 'ja'], defaultLanguage: 'en' });
      const ana = await aGuest(org, eventId, { name: 'Ana' });
      const ben = await aGuest(org, eventId, { name: 'Ben' });
      const english = 'Ben says “I invest”: you’re looking for investors';
      await sut.database.db.insert(suggestions).values({
        eventId,
        attendeeId: ana.id,
        targetId: ben.id,
        score: 10,
        reasons: [{ kind: 'receives', tags: ['investors'], text: english }],
        createdAt: new Date(sut.clock()),
        updatedAt: new Date(sut.clock()),
      });
      const token = await aSignedInToken(sut, ana.id);
      const reasons = async (acceptLanguage?: string) => {
        const req = request(sut.url).get('/api/me').set(bearer(token));
        if (acceptLanguage) void req.set('accept-language', acceptLanguage);
        return ((await req).body as MeSnapshot).suggestions[0]?.reasons;
      };
      expect(await reasons()).toEqual([{ kind: 'receives', text: english }]);
      await request(sut.url).put('/api/me/language').set(bearer(token)).send({ language: 'ja' });
      expect(await reasons()).toEqual([{ kind: 'receives', text: 'Ben さんは、あなたが探しているものを提供できます：投資家' }]);
      expect(await reasons('en')).toEqual([{ kind: 'receives', text: english }]);
    });
  });

  describe('an organiser', () => {
    it('reads the dashboard in English until choosing another supported language, on every session', async () => {
      const session = async (o: Organiser) => (await o.get('/api/auth/session')).body as SessionInfo;
      expect((await session(org)).language).toBe('en');
      const res = await org.put('/api/auth/language', { language: 'fr' });
      expect(res.status).toBe(200);
      expect((res.body as SessionInfo).language).toBe('fr');
      expect((await session(org)).language).toBe('fr');
      const again = await anOrganiser(sut);
      expect((await session(again)).language).toBe('fr');

      const eventId = await anOpenEvent(org, { languages: ['en'] });
      const headerLine = async (file: string) => {
        const res = await org.get(`/api/events/${eventId}/exports/${file}`).buffer(true).parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        });
        return (res.body as Buffer).toString('utf8').replace(/^\uFEFF/, '').split('\r\n')[0];
      };
      // The CSV headers follow the organiser's language, not the event's.
      expect(await headerLine('attendees.csv')).toMatch(/^"Nom","E-mail","Entreprise","Fonction","Première fois"/);
      expect(await headerLine('suggestions.csv')).toMatch(/^"Personne A","Personne B","État"/);

      const bad = await org.put('/api/auth/language', { language: 'xx' });
      expect(bad.status).toBe(400);
      await org.put('/api/auth/language', { language: 'en' });
    });
  });
});
