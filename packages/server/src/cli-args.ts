/**
 * Reading the command line and the environment into server options. Flags
 * win over environment variables; every bad value gets a message naming it.
 * @module
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LogLevel, ProviderChoice, ServerOptions } from './options';
import { normalizeBaseUrl, SERVER_DEFAULTS } from './options';

/** Reads a flag's text (`from` names the flag or variable in messages); throws UsageError for a bad one. */
type Reader = (text: string, from: string) => unknown;

interface Flag {
  env: string;
  help: string;
  on?: true;
  option?: keyof ServerOptions;
  read?: Reader;
}

/**
 * A flag, its environment variable and its help line; `on: true` marks a switch (no value), and
 * `read` reads a value into its `option` (--host and --data-dir are read on their own). The parser
 * reads its flags from here.
 */
export const FLAGS = {
  port: { env: 'CNNVIS_PORT', option: 'port', read: intUpTo(65535), help: `TCP port to listen on (default ${SERVER_DEFAULTS.port}; 0 picks a free one)` },
  host: { env: 'CNNVIS_HOST', help: `interface to bind (default ${SERVER_DEFAULTS.host})` },
  'data-dir': { env: 'CNNVIS_DATA_DIR', help: 'folder for the SQLite store, models and feature maps (default ~/.cnnvis)' },
  'database-url': { env: 'CNNVIS_DATABASE_URL', option: 'databaseUrl', read: matching(/^postgres(ql)?:\/\//, 'a postgres:// URL'), help: 'keep the store in PostgreSQL (postgres://user@host/db) instead of SQLite; servers sharing it share --data-dir too' },
  'max-payload': { env: 'CNNVIS_MAX_PAYLOAD', option: 'maxPayloadBytes', read: parseSize, help: 'largest request or message, e.g. 64mb (default 64mb)' },
  'log-level': { env: 'CNNVIS_LOG_LEVEL', option: 'logLevel', read: oneOf(['silent', 'info', 'debug'] satisfies LogLevel[]), help: 'silent, info or debug (default info)' },
  provider: { env: 'CNNVIS_PROVIDER', option: 'provider', read: oneOf(['auto', 'cuda', 'cpu'] satisfies ProviderChoice[]), help: 'ONNX Runtime execution provider: auto (CUDA, else CPU), cuda or cpu (default auto)' },
  'max-model-size': { env: 'CNNVIS_MAX_MODEL_SIZE', option: 'maxModelBytes', read: parseSize, help: 'largest model upload, e.g. 500mb (default 2gb)' },
  'max-concurrent-uploads': { env: 'CNNVIS_MAX_CONCURRENT_UPLOADS', option: 'maxConcurrentUploads', read: parseCount, help: `model uploads received and parsed at once; more wait their turn (default ${SERVER_DEFAULTS.maxConcurrentUploads})` },
  'job-timeout': { env: 'CNNVIS_JOB_TIMEOUT', option: 'jobTimeoutMs', read: parseDuration, help: 'stop an analysis job after this long, e.g. 90s or 5m (default 5m)' },
  'base-url': { env: 'CNNVIS_BASE_URL', option: 'baseUrl', read: parseBaseUrl, help: "path prefix of the Visdom routes, like Visdom's -base_url (default none)" },
  'max-worker-memory': { env: 'CNNVIS_MAX_WORKER_MEMORY', option: 'maxWorkerMemoryBytes', read: parseSize, help: 'memory one model run may use before its worker is stopped, e.g. 8gb (default half of RAM)' },
  workers: { env: 'CNNVIS_WORKERS', option: 'workers', read: intUpTo(64), help: `worker processes running models side by side; 0 runs none here (default ${SERVER_DEFAULTS.workers})` },
  'job-queue': { env: 'CNNVIS_JOB_QUEUE', option: 'jobQueue', read: matching(/^[\w.-]{1,64}$/, "1-64 letters, digits, '.', '-' or '_'"), help: `name of the job queue on Redis, as the workers' --job-queue (default ${SERVER_DEFAULTS.jobQueue})` },
  token: { env: 'CNNVIS_TOKEN', option: 'token', read: parseToken, help: 'require this secret on every request and socket (at least 16 characters)' },
  insecure: { env: 'CNNVIS_INSECURE', on: true, help: 'allow a --host other than loopback without --token (anyone who can reach it can write)' },
  readonly: { env: 'CNNVIS_READONLY', on: true, help: 'serve viewers only: every change, over HTTP or sockets, is refused' },
  'max-queued-jobs': { env: 'CNNVIS_MAX_QUEUED_JOBS', option: 'maxQueuedJobs', read: parseCount, help: `analysis jobs waiting for a worker before new ones are refused (default ${SERVER_DEFAULTS.maxQueuedJobs})` },
  'max-image-pixels': { env: 'CNNVIS_MAX_IMAGE_PIXELS', option: 'maxImagePixels', read: parseCount, help: 'largest image in pixels, width × height (default 100000000)' },
  'max-points-per-trace': { env: 'CNNVIS_MAX_POINTS_PER_TRACE', option: 'maxPointsPerTrace', read: parseCount, help: 'points one plot trace may hold; appends past it are refused (default 10000000)' },
  'max-windows-per-env': { env: 'CNNVIS_MAX_WINDOWS_PER_ENV', option: 'maxWindowsPerEnv', read: parseCount, help: `windows one env may hold (default ${SERVER_DEFAULTS.maxWindowsPerEnv})` },
  'max-runs-per-window': { env: 'CNNVIS_MAX_RUNS_PER_WINDOW', option: 'maxRunsPerWindow', read: parseCount, help: `featureMaps runs one graph window keeps, oldest dropped first (default ${SERVER_DEFAULTS.maxRunsPerWindow})` },
  'max-message-rate': { env: 'CNNVIS_MAX_MESSAGE_RATE', option: 'maxMessageRate', read: parseCount, help: `socket messages per second per connection, bursts of twice that (default ${SERVER_DEFAULTS.maxMessageRate})` },
  'max-connections-per-address': { env: 'CNNVIS_MAX_CONNECTIONS_PER_ADDRESS', option: 'maxConnectionsPerAddress', read: parseCount, help: `open connections one client address may hold (default ${SERVER_DEFAULTS.maxConnectionsPerAddress})` },
  'max-client-buffer': { env: 'CNNVIS_MAX_CLIENT_BUFFER', option: 'maxClientBufferBytes', read: parseSize, help: 'updates queued for a slow browser before it must resync, e.g. 16mb (default 16mb)' },
  'redis-url': { env: 'CNNVIS_REDIS_URL', option: 'redisUrl', read: parseRedisUrl, help: 'redis://host:6379 shared by several servers, so a browser on any of them sees every change live; analysis jobs go through its queue to cnnvis-worker processes' },
} as const satisfies Record<string, Flag>;

export class UsageError extends Error {}

export type CliCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'serve'; options: Partial<ServerOptions> };

/** A whole number from 0 to `max`. */
function intUpTo(max: number): Reader {
  return (text, from) => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || n > max) {
      throw new UsageError(`${from} must be an integer from 0 to ${max} (got "${text}")`);
    }
    return n;
  };
}

function parseSize(text: string, from: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m?.[2] ?? 'b').toLowerCase() as 'b'];
  const bytes = m ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!Number.isFinite(bytes) || bytes < 1024) throw new UsageError(`${from} must be a size of at least 1kb, like 64mb (got "${text}")`);
  return bytes;
}

function parseDuration(text: string, from: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(text.trim());
  const unit = { ms: 1, s: 1000, m: 60_000 }[(m?.[2] ?? 's').toLowerCase() as 's'];
  const ms = m ? Math.round(Number(m[1]) * unit) : NaN;
  if (!Number.isFinite(ms) || ms < 100) throw new UsageError(`${from} must be a duration of at least 100ms, like 90s or 5m (got "${text}")`);
  return ms;
}

/** A positive whole number; `_` and `,` may group digits (10_000_000). */
function parseCount(text: string, from: string): number {
  const digits = text.trim().replace(/[_,]/g, '');
  const n = Number(digits);
  if (!/^\d+$/.test(digits) || n < 1 || !Number.isSafeInteger(n)) throw new UsageError(`${from} must be a whole number of at least 1 (got "${text}")`);
  return n;
}

function checkDataDir(dir: string, from: string): string {
  const path = resolve(dir);
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`${from}: ${path} is a file, not a folder`);
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.W_OK);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${from}: cannot use ${path} as the data folder (${(err as Error).message})`);
  }
  return path;
}

/** A value that must be one of `choices` (plain words). */
function oneOf(choices: readonly string[]): Reader {
  const listed = `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
  return matching(new RegExp(`^(${choices.join('|')})$`), listed);
}

/** A value that must match `pattern`, described as `what`. */
function matching(pattern: RegExp, what: string): Reader {
  return (text, from) => {
    if (!pattern.test(text)) throw new UsageError(`${from} must be ${what} (got "${text}")`);
    return text;
  };
}

function parseBaseUrl(text: string, from: string): string {
  if (/[\s?#]/.test(text)) throw new UsageError(`${from} must be a URL path like /visdom (got "${text}")`);
  return normalizeBaseUrl(text);
}

/** Parse argv (without node and the script) and `env` into a command. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        ...Object.fromEntries(Object.entries(FLAGS).map(([flag, f]) => [flag, { type: 'on' in f ? ('boolean' as const) : ('string' as const) }])),
        port: { type: 'string', short: 'p' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values['help']) return { kind: 'help' };
  if (values['version']) return { kind: 'version' };
  const pick = (flag: keyof typeof FLAGS) => {
    const v = values[flag];
    if (typeof v === 'string') return { text: v, from: `--${flag}` };
    const e = env[FLAGS[flag].env];
    return e === undefined || e === '' ? undefined : { text: e, from: FLAGS[flag].env };
  };
  const options: Partial<ServerOptions> = {};
  const host = pick('host');
  if (host) options.host = host.text.trim() || SERVER_DEFAULTS.host;
  const dataDir = pick('data-dir');
  options.dataDir = checkDataDir(dataDir?.text ?? SERVER_DEFAULTS.dataDir, dataDir?.from ?? 'data dir');
  for (const [flag, f] of Object.entries(FLAGS) as Array<[keyof typeof FLAGS, Flag]>) {
    const given = pick(flag);
    if (given && f.read && f.option) (options as Record<string, unknown>)[f.option] = f.read(given.text, given.from);
  }
  options.insecure = pickSwitch(values, env, 'insecure');
  options.readonly = pickSwitch(values, env, 'readonly');
  return { kind: 'serve', options };
}

function parseRedisUrl(text: string, from: string): string {
  if (!/^rediss?:\/\/[^/\s]/.test(text.trim())) throw new UsageError(`${from} must be a URL like redis://127.0.0.1:6379 (got "${text}")`);
  return text.trim();
}

/** A boolean flag, or its variable set to 1/true/yes. */
function pickSwitch(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv, flag: 'insecure' | 'readonly'): boolean {
  if (values[flag] === true) return true;
  const text = env[FLAGS[flag].env]?.trim().toLowerCase();
  if (text === undefined || text === '' || ['0', 'false', 'no'].includes(text)) return false;
  if (['1', 'true', 'yes'].includes(text)) return true;
  throw new UsageError(`${FLAGS[flag].env} must be 1 or 0 (got "${text}")`);
}

/** Short or blank tokens are guessable; refuse them rather than protect nothing. */
function parseToken(text: string, from: string): string {
  if (text.trim() !== text || text.length < 16) {
    throw new UsageError(`${from} must be at least 16 characters with no surrounding spaces (try: openssl rand -hex 24)`);
  }
  return text;
}

export function usage(): string {
  const width = Math.max(...Object.keys(FLAGS).map((f) => f.length));
  const lines = Object.entries(FLAGS).map(([flag, f]) => `  --${flag.padEnd(width)} ${f.help}\n  ${''.padEnd(width + 3)}env: ${f.env}`);
  return [
    'Usage: cnnvis-server [options]',
    '',
    'Serves the cnnvis web UI and API (Visdom-style plotting for CNNs).',
    '',
    'Options:',
    ...lines,
    `  ${'-h, --help'.padEnd(width + 2)} show this help`,
    `  ${'-v, --version'.padEnd(width + 2)} print the version`,
    '',
  ].join('\n');
}
