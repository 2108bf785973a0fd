/**
 * `createServer(options)`: the factory tests, embedders and the command line
 * all use. It resolves options once, opens the store and listens.
 * @module
 */
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { capConnectionsPerAddress } from './access/connection-cap';
import { exposureProblem } from './access/exposure';
import { createApp } from './app';
import { createLogger } from './logger';
import { resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from './options';
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

/**
 * Start a cnnvis server.
 * @example
 * const server = await createServer({ port: 0, dataDir: ':memory:' });
 * console.log(server.url);
 * await server.close();
 */
export async function createServer(options: Partial<ServerOptions> = {}, store?: WindowStore & AnalysisStore): Promise<CnnvisServer> {
  const opts = resolveServerOptions(options);
  const exposed = exposureProblem(opts);
  if (exposed !== undefined) throw new Error(exposed);
  const logger = createLogger(opts.logLevel);
  const db = store ?? new SqliteStore(opts.dataDir, opts);
  const httpServer = createHttpServer({ headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1000 });
  capConnectionsPerAddress(httpServer, opts.maxConnectionsPerAddress);
  const { io, visdom, dispose } = createApp(httpServer, { store: db, logger }, opts);
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(opts.port, opts.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await dispose();
    db.close();
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
          void dispose().finally(() => {
            db.close();
            resolve();
          });
        });
        httpServer.closeAllConnections();
      });
      return closing;
    },
  };
}
