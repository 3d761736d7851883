import { eq } from 'drizzle-orm';
import { attendees, events, intents, tickets } from '@edgewise/db';
import { defaultEventSettings, type Event } from '@edgewise/shared';
import { intentOf, pickPersona } from './personas';
import type { AppDeps } from './deps';
import { createEvent, toEventDto } from './features/events/service';

export const DEMO_SLUG = 'demo-night';

/** mulberry32: a tiny seeded generator, so every demo night has the same guests. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  /** `n` distinct items, in the generator's order. */
  const some = <T>(list: readonly T[], n: number): T[] => {
    const pool = [...list];
    const out: T[] = [];
    while (out.length < n && pool.length) out.push(pool.splice(int(pool.length), 1)[0] as T);
    return out;
  };
  return { next, int, pick, some, chance: (p: number) => next() < p };
}

// Names in their own script carry a Latin mailbox, as people do.
const guests: readonly (string | readonly [string, string])[] = [
  'Ana Sousa', 'Tomás Ferreira', 'Priya Raghavan', 'Oluwaseun Adeyemi', 'Chloé Martin', 'Mateusz Kowalski',
  ['李娜', 'li.na'], ['田中 さくら', 'sakura.tanaka'], ['Дмитрий Волков', 'dmitry.volkov'], ['محمد الأحمد', 'mohammed.alahmad'],
  ['Νίκος Παπαδόπουλος', 'nikos.papadopoulos'], ['김민준', 'minjun.kim'], ['שירה כהן', 'shira.cohen'], ['अर्जुन मेहता', 'arjun.mehta'],
  'Siobhán Ní Bhriain', 'Kwame Mensah', 'Ingrid Johansson', 'Lucía Hernández', 'Mehmet Yılmaz', 'Aroha Ngata',
  'Zanele Dlamini', 'Felix Wagner', 'Camille Dubois', 'Rafael Oliveira', 'Hannah Okafor', 'Jonas Lindqvist',
  'Fatima Zahra Benali', 'Nguyễn Thị Mai', 'Diego Castillo', 'Aisha Rahman', 'Liam O’Connor', 'Sofia Rossi',
  ['王伟', 'wei.wang'], ['Ольга Шевченко', 'olga.shevchenko'], ['Θεοδώρα Αντωνίου', 'theodora.antoniou'], ['يوسف حداد', 'youssef.haddad'],
  'Emeka Eze', 'Mia Schneider', 'Tariq Hussain', 'Elif Demir', 'Björn Eriksson', 'Nadia Petrova',
  'Grace Wanjiru', 'Kai Nakamura', 'Isabela Costa', 'Samuel Boateng', 'Leah Goldberg', 'Rohan Kapoor',
  'Amélie Laurent', 'Pedro Alves', 'Yasmin Farouk', 'Oskar Nowak', 'Thandiwe Khumalo', 'Ethan Brooks',
  'Marta Vidal', 'Jin-woo Park', 'Eilidh MacLeod', 'Carlos Mendoza', 'Ayesha Siddiqui', 'Noah Fischer',
];


const mailbox = (name: string, n: number) => {
  const latin = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
  return latin || `guest.${n}`;
};

export interface DemoEvent {
  event: Event;
  attendees: number;
  intents: number;
  hosts: number;
}

/**
 * An open event happening now, with a guest list that looks like a real night: varied
 * names and scripts, each guest a role (founder, investor, student...) whose company and
 * intent fit it (a student looks for a job and a mentor; an investor offers investment),
 * first-timers, a few hosts, about half with a stated intent. The startup and investor
 * night's topics.
 * Everything is written in one transaction: a failed demo leaves nothing behind.
 */
export async function createDemoEvent(deps: AppDeps, organiserId: string | null): Promise<DemoEvent> {
  const rnd = seededRandom(20_261_125);
  const now = deps.now();
  const settings = { walkInsAllowed: true, screenEnabled: true };

  return deps.database.db.transaction(async (tx) => {
    const event = await createEvent(
      tx,
      {
        name: 'Demo Night',
        slug: DEMO_SLUG,
        startsAt: new Date(now - 3_600_000).toISOString(),
        endsAt: new Date(now + 4 * 3_600_000).toISOString(),
        timeZone: 'Europe/London',
        status: 'open',
        venue: 'The Boathouse, London',
        template: 'startup-night',
        settings,
      },
      { createdBy: organiserId, now },
    );

    const cast = guests.map(() => pickPersona(rnd));
    const rows = guests.map((g, i) => {
      const [name, handle] = typeof g === 'string' ? [g, mailbox(g, i + 1)] : g;
      const persona = cast[i]!;
      const firstTime = rnd.chance(persona.firstTimeChance);
      return {
        eventId: event.id,
        name,
        email: `${handle}@example.org`,
        company: rnd.pick(persona.companies),
        role: persona.role,
        firstTime,
        // Hosts are old hands: a first-timer does not welcome other first-timers.
        host: !firstTime && rnd.chance(0.12),
        source: 'demo' as const,
        createdAt: new Date(now),
        updatedAt: new Date(now),
      };
    });
    const inserted = await tx.insert(attendees).values(rows).returning({ id: attendees.id, host: attendees.host });

    await tx.insert(tickets).values(
      inserted.map((a) => ({ attendeeId: a.id, eventId: event.id, secret: deps.randomToken(18), createdAt: new Date(now) })),
    );

    const { interestTags } = { ...defaultEventSettings, ...event.settings };
    const withIntent = inserted.map((a, i) => ({ ...a, persona: cast[i]! })).filter((a) => a.host || rnd.chance(0.45));
    if (withIntent.length) {
      await tx.insert(intents).values(
        withIntent.map((a) => {
          const { seeks, offers } = intentOf(a.persona, rnd);
          return {
            attendeeId: a.id,
            eventId: event.id,
            seeks,
            offers,
            interests: rnd.some(interestTags, 1 + rnd.int(4)),
            askMeAbout: rnd.chance(0.8) ? rnd.pick(a.persona.asks) : '',
            hostOptIn: a.host,
            showOnScreen: rnd.chance(0.7),
            updatedAt: new Date(now),
          };
        }),
      );
    }

    return { event: toEventDto(event), attendees: inserted.length, intents: withIntent.length, hosts: inserted.filter((a) => a.host).length };
  });
}

export async function findDemoEvent(deps: AppDeps): Promise<Event | null> {
  const [row] = await deps.database.db.select().from(events).where(eq(events.slug, DEMO_SLUG)).limit(1);
  return row ? toEventDto(row) : null;
}
