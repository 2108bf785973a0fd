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
  /** Folder for the SQLite database, or ':memory:' for a throwaway store. @default '~/.cnnvis' */
  dataDir: string;
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
  /** A job running longer than this is stopped and fails with TIMEOUT. @default 300000 (5 min) */
  jobTimeoutMs: number;
  /** Worker processes running jobs side by side. @default 1 */
  workers: number;
  /** Jobs waiting for a worker beyond which a new one is refused (UNAVAILABLE). @default 16 */
  maxQueuedJobs: number;
  /**
   * Path prefix of the Visdom-compatible routes and `/vis_socket`, like Visdom's
   * `-base_url`: '' or a path such as `/visdom` (`/` means ''). @default ''
   */
  baseUrl: string;
}

export type ResolvedServerOptions = Readonly<ServerOptions>;

/** The defaults a user gets from a bare `npx cnnvis-server`. */
export const SERVER_DEFAULTS: Readonly<ServerOptions> = {
  port: 8097,
  host: '127.0.0.1',
  dataDir: join(homedir(), '.cnnvis'),
  maxPayloadBytes: 64 * 1024 * 1024,
  logLevel: 'info',
  webRoot: undefined,
  provider: 'auto',
  maxModelBytes: 2 * 1024 ** 3,
  jobTimeoutMs: 300_000,
  workers: 1,
  maxQueuedJobs: 16,
  baseUrl: '',
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
