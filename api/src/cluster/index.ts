import postgres from 'postgres';
import type { Namespace } from 'socket.io';
import { createPgAdapter, type PgAdapter, type PgAdapterOptions } from './pg-adapter';

export { createPgAdapter, PgAdapter, channelFor } from './pg-adapter';

/**
 * What lets several API nodes share one Postgres: the socket.io adapter that carries emits
 * between them. Made by whoever starts the node (server.ts, the tests) and closed by it,
 * after the socket.io server.
 */
export interface Cluster {
  adapter: (nsp: Namespace) => PgAdapter;
  /** Resolves once every namespace made so far listens to the other nodes. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  log?: (line: Record<string, unknown>) => void;
  adapter?: Omit<PgAdapterOptions, 'log'>;
}

export function openCluster(databaseUrl: string, options: ClusterOptions = {}): Cluster {
  const log = options.log ?? (() => {});
  // Its own client, off the app's pool: one connection keeps this node's NOTIFYs in order,
  // and postgres.js adds the dedicated LISTEN connection beside it.
  const bus = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const make = createPgAdapter(bus, { ...options.adapter, log });
  const adapters: PgAdapter[] = [];
  return {
    // A plain function: socket.io calls it with `new`.
    adapter: function trackAdapter(nsp: Namespace) {
      const adapter = make(nsp);
      adapters.push(adapter);
      return adapter;
    },
    async ready() {
      await Promise.all(adapters.map((a) => a.ready));
    },
    async close() {
      await bus.end({ timeout: 5 });
    },
  };
}
