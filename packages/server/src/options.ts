/**
 * Server options: the full form with `@default`s, and the one place they are
 * resolved. Code inside the server only sees {@link ResolvedServerOptions}.
 * @module
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export type LogLevel = 'silent' | 'info' | 'debug';

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
};

/** Fill in defaults once, at the boundary. */
export function resolveServerOptions(opts: Partial<ServerOptions> = {}): ResolvedServerOptions {
  const defined = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  return { ...SERVER_DEFAULTS, ...defined };
}
