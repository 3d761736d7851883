import postgres, { type Sql } from 'postgres';
import type { Db } from '@edgewise/db';
import type { Namespace } from 'socket.io';
import type { MatchingRuntime } from '../features/suggestions/hooks';
import { clusterMatching, type ClusterMatching, type ClusterMatchingOptions } from './matching-owner';
import { createPgAdapter, type PgAdapter, type PgAdapterOptions } from './pg-adapter';

export { createPgAdapter, PgAdapter, channelFor } from './pg-adapter';
export { LeaseLost, MATCHING_CHANNEL, type ClusterMatching } from './matching-owner';

/**
 * What lets several API nodes share one Postgres: the socket.io adapter that carries emits
 * between them, and the lease that lets one of them run live matching. Made by whoever
 * starts the node (server.ts, the tests) and closed by it, after the app.
 */
export interface Cluster {
  adapter: (nsp: Namespace) => PgAdapter;
  /**
   * Live matching for this node: `start` runs only while this node holds the matching lease,
   * and its list writes call `fence` first; otherwise the hooks go to the node that does.
   * The app closes it with the server.
   */
  matching(start: (fence: (tx: Db) => Promise<void>) => MatchingRuntime, log: (line: Record<string, unknown>) => void): ClusterMatching;
  /** The NOTIFY client, for messages of the app's own between nodes. */
  bus: Sql;
  /** Resolves once every namespace made so far listens to the other nodes. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  log?: (line: Record<string, unknown>) => void;
  adapter?: Omit<PgAdapterOptions, 'log'>;
  matching?: ClusterMatchingOptions;
}

export function openCluster(databaseUrl: string, options: ClusterOptions = {}): Cluster {
  const log = options.log ?? (() => {});
  // Its own client, off the app's pool: one connection keeps this node's NOTIFYs in order,
  // and postgres.js adds the dedicated LISTEN connection beside it.
  const bus = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const make = createPgAdapter(bus, { ...options.adapter, log });
  const adapters: PgAdapter[] = [];
  return {
    bus,
    matching: (start, matchingLog) => clusterMatching({ databaseUrl, bus, start, log: matchingLog, options: options.matching }),
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
