import { createHash } from 'node:crypto';
import type { Sql } from 'postgres';
import type { Namespace } from 'socket.io';
import {
  ClusterAdapterWithHeartbeat,
  MessageType,
  type ClusterAdapterOptions,
  type ClusterMessage,
  type ClusterResponse,
  type Offset,
  type ServerId,
} from 'socket.io-adapter';
import { z } from 'zod';
import { decode, encode } from './codec';

export interface PgAdapterOptions extends ClusterAdapterOptions {
  /** Channels are `<prefix>#<namespace>`; nodes of one deployment share it. */
  channelPrefix?: string;
  /**
   * Encoded messages longer than this go through `socket_io_attachments`: a NOTIFY payload
   * must stay under 8,000 bytes, and the envelope needs a little room.
   */
  payloadThreshold?: number;
  /** How often old attachments are deleted, and how old they must be. */
  cleanupIntervalMs?: number;
  log?: (line: Record<string, unknown>) => void;
}

const defaults = { channelPrefix: 'socket.io', payloadThreshold: 7_500, cleanupIntervalMs: 30_000 };

// What another node may send. Checked before socket.io sees it: the adapter's handlers
// trust their input, and a throw in one of their promise chains would end the process.
const RoomOpts = z.object({
  rooms: z.array(z.string()),
  except: z.array(z.string()),
  flags: z.record(z.string(), z.unknown()).catch({}),
});
const Base = { uid: z.string().min(1).max(64), nsp: z.string().max(256) };
const Packet = z.looseObject({ type: z.number().int(), nsp: z.string().optional(), data: z.array(z.unknown()).optional() });
const RequestId = z.string().min(1).max(64);
const ClusterPayload = z.discriminatedUnion('type', [
  z.object({ ...Base, type: z.literal([MessageType.INITIAL_HEARTBEAT, MessageType.HEARTBEAT, MessageType.ADAPTER_CLOSE]) }),
  z.object({ ...Base, type: z.literal(MessageType.BROADCAST), data: z.object({ opts: RoomOpts, packet: Packet, requestId: RequestId.optional() }) }),
  z.object({
    ...Base,
    type: z.literal([MessageType.SOCKETS_JOIN, MessageType.SOCKETS_LEAVE]),
    data: z.object({ opts: RoomOpts, rooms: z.array(z.string()) }),
  }),
  z.object({ ...Base, type: z.literal(MessageType.DISCONNECT_SOCKETS), data: z.object({ opts: RoomOpts, close: z.boolean().optional() }) }),
  z.object({ ...Base, type: z.literal(MessageType.FETCH_SOCKETS), data: z.object({ opts: RoomOpts, requestId: RequestId }) }),
  z.object({
    ...Base,
    type: z.literal(MessageType.SERVER_SIDE_EMIT),
    data: z.object({ requestId: RequestId.optional(), packet: z.tuple([z.string()], z.unknown()) }),
  }),
  z.object({
    ...Base,
    type: z.literal(MessageType.FETCH_SOCKETS_RESPONSE),
    data: z.object({
      requestId: RequestId,
      sockets: z.array(z.looseObject({ id: z.string(), handshake: z.record(z.string(), z.unknown()), rooms: z.array(z.string()), data: z.unknown() })),
    }),
  }),
  z.object({
    ...Base,
    type: z.literal([MessageType.SERVER_SIDE_EMIT_RESPONSE, MessageType.BROADCAST_ACK]),
    data: z.object({ requestId: RequestId, packet: z.unknown() }),
  }),
  z.object({ ...Base, type: z.literal(MessageType.BROADCAST_CLIENT_COUNT), data: z.object({ requestId: RequestId, clientCount: z.number().int().min(0) }) }),
]);

/** `u`: the sender; `to`: the one node a response is for; `m`: the message, or `a`: the attachment holding it. */
const Envelope = z.object({
  u: z.string().min(1).max(64),
  to: z.string().min(1).max(64).optional(),
  m: z.unknown().optional(),
  a: z.string().regex(/^\d{1,19}$/).optional(),
});

/** Postgres truncates identifiers past 63 bytes; a long namespace gets a hashed channel name instead. */
export function channelFor(prefix: string, nsp: string): string {
  const name = `${prefix}#${nsp}`;
  return Buffer.byteLength(name) <= 63 ? name : `${prefix}#${createHash('sha256').update(nsp).digest('hex').slice(0, 32)}`;
}

/**
 * A socket.io adapter carrying emits, room changes, fetchSockets and serverSideEmit between
 * API nodes through Postgres LISTEN/NOTIFY, on the stack's own driver. `sql` should be a
 * client with one connection (`max: 1`): NOTIFYs then leave in the order they were made,
 * and each node delivers them in the order they arrive. postgres.js keeps LISTEN on its own
 * dedicated connection and listens again after a reconnect; what was sent meanwhile is
 * lost, which the realtime design allows (every push is a snapshot or an id; clients
 * refetch on reconnect).
 */
export function createPgAdapter(sql: Sql, options: PgAdapterOptions = {}) {
  // socket.io calls it with `new`: an arrow function would not do.
  return function makeAdapter(nsp: Namespace): PgAdapter {
    return new PgAdapter(nsp, sql, options);
  };
}

export class PgAdapter extends ClusterAdapterWithHeartbeat {
  readonly channel: string;
  private readonly sql: Sql;
  private readonly threshold: number;
  private readonly log: (line: Record<string, unknown>) => void;
  private readonly sweeper: NodeJS.Timeout;
  private unlisten: Promise<(() => Promise<void>) | null> | null = null;
  /** Arrivals are delivered one after another, even when one waits for its attachment. */
  private delivering: Promise<void> = Promise.resolve();
  /** The last publish on its way, so `close` can wait for the goodbye. */
  private sending: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(nsp: Namespace, sql: Sql, options: PgAdapterOptions) {
    super(nsp, options);
    const o = { ...defaults, ...options };
    this.sql = sql;
    this.channel = channelFor(o.channelPrefix, String(nsp.name));
    this.threshold = o.payloadThreshold;
    this.log = options.log ?? (() => {});
    this.sweeper = setInterval(() => {
      this.sql`delete from socket_io_attachments where created_at < now() - ${`${o.cleanupIntervalMs} milliseconds`}::interval`.catch((err: unknown) =>
        this.log({ level: 'warn', msg: 'cluster: could not delete old attachments', err: String(err) }),
      );
    }, o.cleanupIntervalMs);
    this.sweeper.unref();
  }

  /** Resolves once this node hears the channel (or gave up trying): emits from other nodes reach it from then on. */
  get ready(): Promise<void> {
    return (this.unlisten ?? Promise.resolve()).then(() => undefined);
  }

  override async init(): Promise<void> {
    this.unlisten = this.sql
      .listen(this.channel, (payload) => this.onPayload(payload))
      .then(
        (listening) => listening.unlisten,
        (err: unknown) => {
          this.log({ level: 'error', msg: 'cluster: could not listen for other nodes', channel: this.channel, err: String(err) });
          return null;
        },
      );
    await this.unlisten;
    // Announces this node; the others answer, so each knows how many to wait for.
    super.init();
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    super.close();
    clearInterval(this.sweeper);
    await this.sending.catch(() => {});
    const unlisten = await this.unlisten;
    await unlisten?.().catch(() => {});
  }

  protected override doPublish(message: ClusterMessage): Promise<Offset> {
    return this.send(message).then(() => '');
  }

  protected override doPublishResponse(requesterUid: ServerId, response: ClusterResponse): Promise<void> {
    return this.send(response, requesterUid);
  }

  private send(message: ClusterMessage | ClusterResponse, to?: string): Promise<void> {
    const body = encode(message);
    const head = `{"u":${JSON.stringify(this.uid)}${to ? `,"to":${JSON.stringify(to)}` : ''}`;
    let sent: Promise<unknown>;
    if (Buffer.byteLength(body) <= this.threshold) {
      sent = this.sql.notify(this.channel, `${head},"m":${body}}`);
    } else {
      // One statement: the row and its NOTIFY leave in order with the small messages.
      const prefix = `${head},"a":"`;
      sent = this.sql`
        with stored as (insert into socket_io_attachments (payload) values (${body}) returning id)
        select pg_notify(${this.channel}, ${prefix} || stored.id::text || '"}') from stored`;
    }
    this.sending = sent;
    return sent.then(() => undefined);
  }

  /** A NOTIFY from any node (this one included); nothing in it can throw past here. */
  private onPayload(payload: string) {
    const envelope = Envelope.safeParse(decode(payload));
    if (!envelope.success) {
      this.log({ level: 'warn', msg: 'cluster: ignored a malformed message', channel: this.channel, bytes: payload.length });
      return;
    }
    const { u, to, m, a } = envelope.data;
    if (u === this.uid || (to !== undefined && to !== this.uid)) return;
    const message = a !== undefined ? this.fetchAttachment(a) : Promise.resolve(m);
    this.delivering = this.delivering
      .then(() => message)
      .then((value) => this.deliver(value))
      .catch((err: unknown) => this.log({ level: 'warn', msg: 'cluster: could not deliver a message', channel: this.channel, err: String(err) }));
  }

  private async fetchAttachment(id: string): Promise<unknown> {
    const [row] = await this.sql<{ payload: string }[]>`select payload from socket_io_attachments where id = ${id}`;
    if (!row) throw new Error(`attachment ${id} is gone`);
    return decode(row.payload);
  }

  private deliver(value: unknown) {
    if (this.closed) return;
    const parsed = ClusterPayload.safeParse(value);
    if (!parsed.success) {
      this.log({ level: 'warn', msg: 'cluster: ignored a malformed message', channel: this.channel, issue: parsed.error.issues[0]?.message });
      return;
    }
    // The adapter routes responses to `onResponse` itself, and counts their sender as alive.
    this.onMessage(parsed.data as unknown as ClusterMessage);
  }
}
