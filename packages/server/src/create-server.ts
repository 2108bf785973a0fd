/**
 * `createServer(options)`: the factory tests, embedders and the command line
 * all use. It resolves options once, opens the store and listens.
 * @module
 */
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { capConnectionsPerAddress } from './access/connection-cap';
import { exposureProblem } from './access/access-gate';
import { createApp } from './app';
import { createLogger } from './logger';
import { resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from './options';
import { connectRedisCluster, type RedisCluster } from './socket/redis-cluster';
import { PgStore } from './store/pg-store';
import { SqliteStore } from './store/sqlite-store';
import type { AnalysisStore } from './store/analysis-store';
import type { WindowStore } from './store/window-store';

/** A request head still incomplete after this long is dropped, freeing its connection slot. */
const HEADERS_TIMEOUT_MS = 10_000;

export interface CnnvisServer {
  /** e.g. `http://127.0.0.1:8097` */
  readonly url: string;
  readonly port: number;
  readonly options: ResolvedServerOptions;
  /** Stop accepting, close sockets, close the store. Safe to call twice. */
  close(): Promise<void>;
}

/** Why listening failed, in words a user can act on. */
function describeListenError(err: NodeJS.ErrnoException, opts: ResolvedServerOptions): Error {
  const where = `${opts.host}:${opts.port}`;
  if (err.code === 'EADDRINUSE') return new Error(`port ${opts.port} is already in use on ${opts.host} (pick another with --port)`);
  if (err.code === 'EACCES') return new Error(`no permission to listen on ${where} (ports below 1024 need privileges)`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') return new Error(`cannot bind to host '${opts.host}': no such local address`);
  return new Error(`cannot listen on ${where}: ${err.message}`);
}

/** Start a cnnvis server. */
export async function createServer(options: Partial<ServerOptions> = {}, store?: WindowStore & AnalysisStore): Promise<CnnvisServer> {
  const opts = resolveServerOptions(options);
  const exposed = exposureProblem(opts);
  if (exposed !== undefined) throw new Error(exposed);
  const logger = createLogger(opts.logLevel);
  const db = store ?? (opts.databaseUrl === undefined ? new SqliteStore(opts.dataDir, opts) : await PgStore.open(opts.databaseUrl, opts.dataDir, opts));
  let cluster: RedisCluster | undefined;
  try {
    cluster = opts.redisUrl === undefined ? undefined : await connectRedisCluster(opts.redisUrl, opts.redisPrefix, logger);
  } catch (err) {
    // The store's connections would keep the process alive after a failed start.
    if (store === undefined) await db.close();
    throw err;
  }
  const httpServer = createHttpServer({ headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1000 });
  // A client that half-closes after its request (HTTP/1.1 allows it) still wants the answer: node:http would
  // otherwise abort the request and end the connection at once, so only an answer faster than the FIN got out.
  // With this (node:http's own switch, untyped) the connection ends after the answers it owes.
  Object.assign(httpServer, { httpAllowHalfOpen: true });
  capConnectionsPerAddress(httpServer, opts.maxConnectionsPerAddress);
  const { io, visdom, dispose } = createApp(httpServer, { store: db, logger, cluster }, opts);
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(opts.port, opts.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    io.close();
    await Promise.all([dispose(), cluster?.close()]);
    await db.close();
    throw describeListenError(err as NodeJS.ErrnoException, opts);
  }
  const port = (httpServer.address() as AddressInfo).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    options: opts,
    close() {
      closing ??= new Promise<void>((resolve) => {
        visdom.close();
        io.close(() => {
          // Workers first: a job finishing now must find the store still open (it fails cleanly).
          void Promise.all([dispose(), cluster?.close()])
            .finally(() => db.close())
            .finally(resolve);
        });
        httpServer.closeAllConnections();
      });
      return closing;
    },
  };
}
