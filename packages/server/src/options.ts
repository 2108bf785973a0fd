/**
 * Server options: the full form with `@default`s, and the one place they are
 * resolved. Code inside the server only sees {@link ResolvedServerOptions}.
 * @module
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export type LogLevel = 'silent' | 'info' | 'debug';

/** Which ONNX Runtime execution provider runs models: `auto` tries CUDA, then falls back to CPU. */
export type ProviderChoice = 'auto' | 'cuda' | 'cpu';

export interface ServerOptions {
  /** TCP port; 0 picks a free one. @default 8097 */
  port: number;
  /** Interface to bind. @default '127.0.0.1' */
  host: string;
  /** Folder for the SQLite database, models and feature maps, or ':memory:' for a throwaway store. @default '~/.cnnvis' */
  dataDir: string;
  /** A postgres:// URL: the store is that PostgreSQL database instead of SQLite (models and maps stay in `dataDir`). @default undefined */
  databaseUrl: string | undefined;
  /** Largest request body or socket message, in bytes. @default 64 MiB */
  maxPayloadBytes: number;
  /** How much to log to stderr. @default 'info' */
  logLevel: LogLevel;
  /** Folder of the built web UI; found from `@cnnvis/web` when omitted. */
  webRoot: string | undefined;
  /** Execution provider for analysis jobs. @default 'auto' */
  provider: ProviderChoice;
  /** Largest model upload, in bytes. @default 2 GiB */
  maxModelBytes: number;
  /**
   * Model uploads received and parsed at once; one more is refused with UNAVAILABLE
   * before its body is read. Each holds a temporary file of up to `maxModelBytes`. @default 4
   */
  maxConcurrentUploads: number;
  /** A job running longer than this is stopped and fails with TIMEOUT. @default 300000 (5 min) */
  jobTimeoutMs: number;
  /**
   * Memory one worker process may use while running a model; past it the worker
   * is stopped and the job fails with UNPROCESSABLE. @default half the machine's (or container's) memory
   */
  maxWorkerMemoryBytes: number | undefined;
  /**
   * Worker processes running jobs side by side. 0: this server runs no models (uploads are
   * still read, in one process); with `redisUrl` they run on remote workers. @default 1
   */
  workers: number;
  /** Name of the job queue on Redis, shared with the workers' `--job-queue`. @default 'cnnvis-jobs' */
  jobQueue: string;
  /** Jobs waiting for a worker beyond which a new one is refused (UNAVAILABLE). @default 16 */
  maxQueuedJobs: number;
  /** Largest image, in pixels (width × height), raw or from a PNG/JPEG header; PAYLOAD_TOO_LARGE beyond. @default 100 million */
  maxImagePixels: number;
  /** Points one plot trace (or heatmap cells one heatmap) may hold; an append past it is refused with CONFLICT. @default 10 million */
  maxPointsPerTrace: number;
  /** Windows one env may hold; creating one more is refused with CONFLICT. @default 10000 */
  maxWindowsPerEnv: number;
  /** `featureMaps` runs one graph window keeps; past it the oldest run (and its maps) goes. @default 64 */
  maxRunsPerWindow: number;
  /**
   * Messages per second one socket connection (socket.io, `/vis_socket`) may send,
   * with a burst of twice that; beyond it a message is refused with TOO_MANY_REQUESTS. @default 20000
   */
  maxMessageRate: number;
  /**
   * Open connections (HTTP keep-alive, SDK, socket.io, `/vis_socket`) one address may hold;
   * one more is answered 429 and closed. @default 512
   */
  maxConnectionsPerAddress: number;
  /**
   * Bytes of live updates waiting for one slow browser beyond which it stops getting them
   * and is told to resync (`env:resync`). @default 16 MiB
   */
  maxClientBufferBytes: number;
  /**
   * Path prefix of the Visdom-compatible routes and `/vis_socket`, like Visdom's
   * `-base_url`: '' or a path such as `/visdom` (`/` means ''). @default ''
   */
  baseUrl: string;
  /**
   * Shared secret every request and socket must present (`Authorization: Bearer`,
   * the login cookie, or the Visdom client's login). `undefined`: no access control.
   */
  token: string | undefined;
  /** Allow a non-loopback host without a token. @default false */
  insecure: boolean;
  /** Serve viewers only: every write, over HTTP or sockets, is refused. @default false */
  readonly: boolean;
  /**
   * Redis (`redis://…`) that carries live updates between several servers through socket.io's Redis
   * Streams adapter, and analysis jobs to remote workers (`cnnvis-worker`) through its job queue
   * instead of this server's worker processes.
   */
  redisUrl: string | undefined;
  /** Prefix of the stream, channels and keys in Redis, so that clusters can share one. @default 'cnnvis' */
  redisPrefix: string;
}

export type ResolvedServerOptions = Readonly<ServerOptions>;

/** The defaults a user gets from a bare `npx cnnvis-server`. */
export const SERVER_DEFAULTS: Readonly<ServerOptions> = {
  port: 8097,
  host: '127.0.0.1',
  dataDir: join(homedir(), '.cnnvis'),
  databaseUrl: undefined,
  maxPayloadBytes: 64 * 1024 * 1024,
  logLevel: 'info',
  webRoot: undefined,
  provider: 'auto',
  maxModelBytes: 2 * 1024 ** 3,
  maxConcurrentUploads: 4,
  jobTimeoutMs: 300_000,
  workers: 1,
  jobQueue: 'cnnvis-jobs',
  maxWorkerMemoryBytes: undefined,
  maxQueuedJobs: 16,
  maxImagePixels: 100_000_000,
  maxPointsPerTrace: 10_000_000,
  maxWindowsPerEnv: 10_000,
  maxRunsPerWindow: 64,
  maxMessageRate: 20_000,
  maxConnectionsPerAddress: 512,
  maxClientBufferBytes: 16 * 1024 * 1024,
  baseUrl: '',
  token: undefined,
  insecure: false,
  readonly: false,
  redisUrl: undefined,
  redisPrefix: 'cnnvis',
};

/** Fill in defaults once, at the boundary. */
export function resolveServerOptions(opts: Partial<ServerOptions> = {}): ResolvedServerOptions {
  const defined = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  const resolved = { ...SERVER_DEFAULTS, ...defined };
  return { ...resolved, baseUrl: normalizeBaseUrl(resolved.baseUrl) };
}

/**
 * A base URL as Visdom keeps it: '' for none, else a leading `/` and no trailing one.
 * @example normalizeBaseUrl('visdom/') // → '/visdom'
 */
export function normalizeBaseUrl(text: string): string {
  const trimmed = text.trim().replace(/\/+$/, '');
  return trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
