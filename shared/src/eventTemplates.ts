import type { EventTemplate, Topic } from './schemas/topics';

/** A template as written here, in English; the server adds the translations from the message files. */
type TemplateSource = Omit<EventTemplate, 'interestTranslations'>;

/**
 * Vocabularies an organiser starts an event from and then edits. Each topic's "looking for"
 * label is a noun phrase, its "offering" label what the person offering it would say; a
 * topic that reads the same both ways has one label.
 */

const t = (id: string, seekLabel: string, offerLabel: string = seekLabel): Topic => ({ id, seekLabel, offerLabel });

export const eventTemplates: readonly TemplateSource[] = [
  {
    id: 'startup-night',
    name: 'Startup and investor night',
    topics: [
      t('investment', 'Investment', 'I invest'),
      t('jobs', 'A job', "I'm hiring"),
      t('co-founder', 'A co-founder'),
      t('mentor', 'A mentor', 'I mentor founders'),
      t('beta-testers', 'Beta testers', "I'll test your product"),
      t('customers', 'First customers', 'I could be a customer'),
      t('advisors', 'Advisors', 'I advise startups'),
      t('intros', 'Introductions to investors', 'I can introduce you to investors'),
      t('early-access', 'Early access to new products', "I'll give you early access"),
      t('design', 'Design help', 'I design'),
      t('engineering', 'Engineering help', 'I build software'),
    ],
    interests: ['AI', 'Climate', 'Fintech', 'Health', 'SaaS', 'Marketplaces', 'Hardware', 'Consumer apps', 'Deep tech', 'Impact'],
  },
  {
    id: 'academic-conference',
    name: 'Academic conference',
    topics: [
      t('collaborators', 'Collaborators'),
      t('co-authors', 'Co-authors'),
      t('phd', 'A PhD position', 'I supervise PhD students'),
      t('postdoc', 'A postdoc position', "I'm hiring postdocs"),
      t('feedback', 'Feedback on my work', "I'll read your draft"),
      t('datasets', 'Datasets', 'I share data'),
      t('funding', 'Research funding', 'I fund research'),
      t('industry', 'Industry partners', 'I work in industry'),
      t('speakers', 'Seminar speakers', 'I give talks'),
      t('mentor', 'A mentor', 'I mentor early-career researchers'),
    ],
    interests: ['Machine learning', 'Climate science', 'Public health', 'Neuroscience', 'Economics', 'Open science', 'Statistics', 'Policy', 'Education', 'Ethics'],
  },
  {
    id: 'tech-meetup',
    name: 'Tech meetup',
    topics: [
      t('jobs', 'A job', "I'm hiring"),
      t('mentor', 'A mentor', 'I mentor'),
      t('code-review', 'Code review', "I'll review your code"),
      t('contributors', 'Open-source contributors', 'I contribute to open source'),
      t('speakers', 'Speakers', 'I give talks'),
      t('beta-testers', 'Beta testers', "I'll test your product"),
      t('freelancer', 'A freelancer', 'I freelance'),
      t('career-advice', 'Career advice', 'I give career advice'),
      t('collaborators', 'Collaborators'),
      t('co-founder', 'A co-founder'),
    ],
    interests: ['JavaScript', 'Python', 'Rust', 'AI', 'DevOps', 'Security', 'Data', 'Mobile', 'Open source', 'Web performance'],
  },
  {
    id: 'career-fair',
    name: 'Career fair',
    topics: [
      t('jobs', 'A job', "I'm hiring"),
      t('internships', 'An internship', 'I offer internships'),
      t('graduate-roles', 'A graduate role', 'I hire graduates'),
      t('apprenticeships', 'An apprenticeship', 'I offer apprenticeships'),
      t('referrals', 'A referral', 'I can refer you'),
      t('cv-feedback', 'CV feedback', "I'll review your CV"),
      t('interview-practice', 'Interview practice', "I'll run a mock interview"),
      t('mentor', 'A mentor', 'I mentor'),
      t('career-change', 'Advice on changing careers', 'I changed careers'),
      t('peers', 'People in my field'),
    ],
    interests: ['Software', 'Finance', 'Healthcare', 'Design', 'Marketing', 'Engineering', 'Education', 'Public sector', 'Consulting', 'Research'],
  },
  {
    id: 'community-gathering',
    name: 'Community or nonprofit gathering',
    topics: [
      t('volunteers', 'Volunteers', 'I volunteer'),
      t('donors', 'Donors', 'I donate'),
      t('partners', 'Partner organisations'),
      t('pro-bono', 'Pro bono help', 'I give pro bono help'),
      t('board', 'Board members', "I'd join a board"),
      t('venue', 'A venue', 'I have a space to lend'),
      t('grant-writing', 'Grant-writing help', 'I write grants'),
      t('local-contacts', 'Local contacts', 'I know the area'),
      t('mentor', 'A mentor', 'I mentor'),
      t('collaborators', 'Collaborators'),
    ],
    interests: ['Housing', 'Food', 'Climate', 'Education', 'Arts', 'Youth', 'Health', 'Refugees', 'Elderly care', 'Local democracy'],
  },
];

export const eventTemplate = (id: string) => eventTemplates.find((x) => x.id === id);

/**
 * The vocabulary of an event created without a template: a general evening's, its ids the
 * tags events had before topics had two sides.
 */
export const defaultTopics: readonly Topic[] = [
  t('investors', 'Investors', 'I invest'),
  t('hiring', 'A job', "I'm hiring"),
  t('co-founder', 'A co-founder'),
  t('mentoring', 'A mentor', 'I mentor'),
  t('design', 'Design help', 'I design'),
  t('engineering', 'Engineering help', 'I build software'),
  t('product', 'Product feedback', "I'll give product feedback"),
  t('sales', 'Customers', 'I could be a customer'),
  t('marketing', 'Marketing help', 'I do marketing'),
  t('advice', 'Advice', 'I give advice'),
];

/** The interests of an event created without a template. */
export const defaultInterests: readonly string[] = ['AI', 'Climate', 'Health', 'Fintech', 'Open source', 'Education', 'Data', 'Security', 'Community', 'Hardware'];
