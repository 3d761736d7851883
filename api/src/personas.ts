/**
 * People as a startup and investor night has them: each role draws what it looks for and
 * offers from the topics of the `startup-night` template, so a demo or simulated room reads
 * like a real evening (a student looks for a job and a mentor and offers to test products;
 * an investor offers investment; a founder looks for investment, hires and offers early
 * access). Pure data and a picker: no I/O, randomness passed in.
 */

export interface Persona {
  role: string;
  /** Relative share of the room. */
  weight: number;
  companies: readonly string[];
  /** Always looked for / offered, then some of the maybes. */
  seeks: { always: readonly string[]; maybe: readonly string[] };
  offers: { always: readonly string[]; maybe: readonly string[] };
  firstTimeChance: number;
  /** "Ask me about" topics someone in this role would name. */
  asks: readonly string[];
}

const studios = ['Paper Kite Design', 'Saltmarsh Studio', 'Freelance'];
const startups = ['Tidewater Energy', 'Northwind Health', 'Lumen Labs', 'Kestrel Robotics', 'Brightpath Learning', 'Halcyon Bio', 'Atlas Grid', 'Quanta Finance'];
const funds = ['Fernhill Capital', 'Mosaic Ventures', 'Independent'];
const universities = ['University of Bristol', "King's College London", 'Imperial College London'];
const companies = ['Open Harbour', 'Ridgeback Security', 'Greenline Logistics', 'Civic Data Co-op', ...startups.slice(0, 4)];

export const personas: readonly Persona[] = [
  {
    role: 'Founder',
    asks: ['Raising a seed round', 'Hiring our first designer', 'Pricing a B2B product', 'Building in public'],
    weight: 0.18,
    companies: startups,
    seeks: { always: ['investment'], maybe: ['customers', 'beta-testers', 'advisors', 'intros', 'design', 'engineering', 'co-founder'] },
    offers: { always: ['jobs'], maybe: ['early-access'] },
    firstTimeChance: 0.2,
  },
  {
    role: 'Co-founder & CTO',
    asks: ['Hiring our first engineers', 'Hardware prototyping', 'Scaling a small team'],
    weight: 0.06,
    companies: startups,
    seeks: { always: ['engineering'], maybe: ['investment', 'beta-testers', 'mentor'] },
    offers: { always: ['jobs'], maybe: ['early-access', 'mentor'] },
    firstTimeChance: 0.2,
  },
  {
    role: 'Investor',
    asks: ['What we look for in a seed deck', 'Climate investing', 'Fintech regulation'],
    weight: 0.1,
    companies: funds,
    seeks: { always: [], maybe: ['co-founder', 'early-access'] },
    offers: { always: ['investment'], maybe: ['advisors', 'intros', 'mentor'] },
    firstTimeChance: 0.1,
  },
  {
    role: 'Student',
    asks: ['Moving from academia to startups', 'My final-year project', 'Finding a first job in tech'],
    weight: 0.12,
    companies: universities,
    seeks: { always: ['jobs', 'mentor'], maybe: ['co-founder'] },
    offers: { always: ['beta-testers'], maybe: [] },
    firstTimeChance: 0.7,
  },
  {
    role: 'Software engineer',
    asks: ['Open-source maintainership', 'Remote team rituals', 'Rust in production'],
    weight: 0.14,
    companies,
    seeks: { always: [], maybe: ['jobs', 'co-founder', 'mentor', 'early-access'] },
    offers: { always: ['engineering'], maybe: ['beta-testers'] },
    firstTimeChance: 0.3,
  },
  {
    role: 'Product designer',
    asks: ['Accessibility audits', 'Design systems', 'Freelancing'],
    weight: 0.08,
    companies: studios,
    seeks: { always: [], maybe: ['jobs', 'customers', 'mentor'] },
    offers: { always: ['design'], maybe: ['beta-testers'] },
    firstTimeChance: 0.3,
  },
  {
    role: 'Head of product',
    asks: ['Pricing a B2B product', 'Running user interviews'],
    weight: 0.06,
    companies: startups,
    seeks: { always: ['beta-testers'], maybe: ['design', 'engineering'] },
    offers: { always: ['jobs'], maybe: ['mentor', 'early-access'] },
    firstTimeChance: 0.15,
  },
  {
    role: 'Engineering manager',
    asks: ['Remote team rituals', 'Hiring engineers'],
    weight: 0.05,
    companies,
    seeks: { always: ['engineering'], maybe: ['beta-testers'] },
    offers: { always: ['jobs'], maybe: ['mentor'] },
    firstTimeChance: 0.15,
  },
  {
    role: 'Sales director',
    asks: ['Selling to the public sector', 'First sales hires'],
    weight: 0.05,
    companies,
    seeks: { always: ['customers'], maybe: ['early-access'] },
    offers: { always: [], maybe: ['intros', 'advisors', 'jobs'] },
    firstTimeChance: 0.2,
  },
  {
    role: 'Researcher',
    asks: ['Tidal energy storage', 'Carbon accounting', 'Spinning out of a university'],
    weight: 0.05,
    companies: universities,
    seeks: { always: [], maybe: ['co-founder', 'investment', 'advisors'] },
    offers: { always: [], maybe: ['advisors', 'beta-testers'] },
    firstTimeChance: 0.4,
  },
  {
    role: 'Community manager',
    asks: ['Community building', 'Growing a newsletter'],
    weight: 0.05,
    companies,
    seeks: { always: [], maybe: ['beta-testers', 'early-access'] },
    offers: { always: ['intros'], maybe: ['beta-testers'] },
    firstTimeChance: 0.2,
  },
  {
    role: 'Data scientist',
    asks: ['Carbon accounting', 'Machine learning in health'],
    weight: 0.06,
    companies,
    seeks: { always: [], maybe: ['jobs', 'co-founder', 'mentor'] },
    offers: { always: ['engineering'], maybe: ['beta-testers'] },
    firstTimeChance: 0.3,
  },
];

type Random = { next: () => number; int: (n: number) => number };

/** A persona, by each one's share of the room. */
export function pickPersona(rnd: Random): Persona {
  const total = personas.reduce((sum, p) => sum + p.weight, 0);
  let x = rnd.next() * total;
  for (const p of personas) {
    if (x < p.weight) return p;
    x -= p.weight;
  }
  return personas[personas.length - 1]!;
}

function some(rnd: Random, list: readonly string[], n: number): string[] {
  const pool = [...list];
  const out: string[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(rnd.int(pool.length), 1)[0]!);
  return out;
}

/**
 * What one person of this persona looks for and offers (topic ids): the persona's own
 * topics and a few of its maybes, never a topic on both sides, at most 5 a side.
 */
export function intentOf(persona: Persona, rnd: Random): { seeks: string[]; offers: string[] } {
  const seeks = [...persona.seeks.always, ...some(rnd, persona.seeks.maybe, rnd.int(3))].slice(0, 5);
  const offers = [...persona.offers.always, ...some(rnd, persona.offers.maybe, rnd.int(2) + (persona.offers.always.length ? 0 : 1))]
    .filter((t) => !seeks.includes(t))
    .slice(0, 5);
  return { seeks, offers };
}
