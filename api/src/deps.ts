import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '@edgewise/db';
import type { Cluster } from './cluster';
import type { EngineHost } from './features/suggestions/host';

/** Everything the app takes from outside, so tests pass real parts or small fakes. */
export interface AppDeps {
  database: Database;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** URL-safe random string carrying `bytes` random bytes. */
  randomToken: (bytes: number) => string;
  /** The public base URL used in QR links (no trailing slash). */
  publicUrl: string;
  log: (line: Record<string, unknown>) => void;
  /** One-time token that lets the first organiser create their account. */
  setupToken?: string | undefined;
  /** Where the built client lives; when set, the app serves it. */
  clientDist?: string | undefined;
  /** Limits, overridable so tests can reach them quickly. */
  limits?: Partial<Limits>;
  /** Live matching's timing, overridable for tests and benchmarks. */
  matching?: Partial<MatchingConfig>;
  /** Where live matching's engines run: the worker thread unless a test hands in another. */
  matchingHost?: EngineHost;
  /** Sends the follow-up mails; absent: a mailer that only previews (nothing is ever sent). */
  mailer?: Mailer | undefined;
  /** The follow-up scheduler's timing, overridable for tests. */
  followup?: Partial<FollowupConfig>;
  /** The ticket-mail sender's timing, overridable for tests. */
  invitations?: Partial<InvitationConfig>;
  /** Express's `trust proxy`: whose X-Forwarded-For to believe (default: nobody's). */
  trustProxy?: string | undefined;
  /** Set when several nodes share one Postgres (DATABASE_URL): emits reach every node's sockets. */
  cluster?: Cluster | undefined;
}

/** One mail as the follow-up makes it. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `cid` makes an attachment inline: the HTML shows it as `<img src="cid:…">` (the ticket's QR). */
  attachments: { filename: string; content: string | Buffer; contentType: string; cid?: string }[];
}

export interface Mailer {
  /** `preview`: no SMTP_URL, so mails are only previewed and never sent. */
  kind: 'smtp' | 'preview';
  /** The From header, e.g. `Edgewise <edgewise@example.org>`. */
  from: string;
  send(message: MailMessage): Promise<{ messageId: string }>;
  close?(): void;
}

export const previewMailer = (from = 'Edgewise <edgewise@localhost>'): Mailer => ({
  kind: 'preview',
  from,
  send: () => Promise.reject(new Error('No SMTP_URL is set: follow-ups are previewed, not sent.')),
});

export interface FollowupConfig {
  /** How often the scheduler looks for follow-ups that are due. */
  tickMs: number;
  /** First pause after a failed send; each later one is four times longer. */
  retryBaseMs: number;
  /** Sends tried before a follow-up stays failed until the organiser sends it again. */
  maxAttempts: number;
  /** A claim older than this (a node died mid-send) is taken over and tried again. */
  sendingTimeoutMs: number;
  /** Events whose follow-up time passed longer ago than this are left alone (no surprise mail years later). */
  lateWindowMs: number;
  /** Mails on their way at once. */
  concurrency: number;
}

export interface InvitationConfig {
  /** How often each node looks for ticket mails that are due (queued, or failed and due a retry). */
  tickMs: number;
  /** First pause after a failed send; each later one is four times longer. */
  retryBaseMs: number;
  /** Sends tried before a ticket mail stays failed until the organiser sends it again. */
  maxAttempts: number;
  /** A claim older than this (a node died mid-send) is taken over and tried again. */
  sendingTimeoutMs: number;
  /** Mails on their way at once, per node. */
  concurrency: number;
  /** Mails claimed at a time: what a node that dies mid-send leaves waiting for its lease. */
  batch: number;
}

export interface MatchingConfig {
  /** How often each open event's lists get a global pass. */
  globalPassMs: number;
  /** How long a change waits for others to join its batch. */
  batchDelayMs: number;
  /** First pause before a failed batch is retried (it doubles while failures last). */
  retryMs: number;
}

export interface Limits {
  /** Login attempts on one account, from anywhere. */
  loginPerWindow: number;
  /** Login attempts from one address, on any accounts (a venue's NAT holds a team). */
  loginPerAddressPerWindow: number;
  pairPerWindow: number;
  searchPerWindow: number;
  windowMs: number;
  jsonBodyBytes: number;
  csvBodyBytes: number;
  sessionDays: number;
}

export const defaultLimits: Limits = {
  loginPerWindow: 10,
  loginPerAddressPerWindow: 30,
  pairPerWindow: 20,
  searchPerWindow: 60,
  windowMs: 15 * 60_000,
  jsonBodyBytes: 100_000,
  csvBodyBytes: 5_000_000,
  sessionDays: 14,
};

export const cryptoRandomToken = (bytes: number) => randomBytes(bytes).toString('base64url');

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const jsonLog = (line: Record<string, unknown>) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);
};
