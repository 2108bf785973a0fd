/** The `cnnvis-worker` command: flags (or environment variables) to a remote worker. @module */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_JOB_QUEUE } from './queue-job';
import { startRemoteWorker, type RemoteWorkerOptions } from './remote-worker';

const FLAGS = {
  server: { env: 'CNNVIS_SERVER', help: 'the cnnvis server to fetch models from and send results to, e.g. https://cnnvis.example.org (required)' },
  'redis-url': { env: 'CNNVIS_REDIS_URL', help: "the server's Redis, e.g. redis://redis:6379 (required)" },
  token: { env: 'CNNVIS_TOKEN', help: "the server's --token" },
  provider: { env: 'CNNVIS_PROVIDER', help: 'cuda (the GPU where ONNX Runtime can use it, else the CPU) or cpu (default cuda)' },
  processes: { env: 'CNNVIS_WORKER_PROCESSES', help: 'jobs run side by side, each in its own process (default 1)' },
  'cache-dir': { env: 'CNNVIS_CACHE_DIR', help: 'where fetched models are kept (default ~/.cnnvis/worker-models)' },
  'job-queue': { env: 'CNNVIS_JOB_QUEUE', help: `the queue's name, as the server's --job-queue (default ${DEFAULT_JOB_QUEUE})` },
  'job-timeout': { env: 'CNNVIS_JOB_TIMEOUT', help: 'stop a job after this many seconds (default 300)' },
  'stalled-timeout': { env: 'CNNVIS_STALLED_TIMEOUT', help: 'seconds a worker may go silent before its job goes to another worker (default 30)' },
} as const;

class UsageError extends Error {}

function usage(): string {
  const lines = Object.entries(FLAGS).map(([flag, f]) => `  --${flag.padEnd(16)} ${f.help} [${f.env}]`);
  return `Usage: cnnvis-worker --server URL --redis-url URL [options]\n\nRuns cnnvis analysis jobs from the server's queue.\n\n${lines.join('\n')}\n`;
}

function seconds(text: string, from: string): number {
  const n = Number(text);
  if (!(n >= 1)) throw new UsageError(`${from} must be a number of seconds, at least 1 (got "${text}")`);
  return n * 1000;
}

/** Options from argv and env; throws UsageError naming a bad or missing one. */
export function parseWorkerCli(argv: string[], env: NodeJS.ProcessEnv): RemoteWorkerOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: { ...Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: 'string' as const }])), help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values['help'] === true) return 'help';
  const pick = (flag: keyof typeof FLAGS) => {
    const v = values[flag];
    return typeof v === 'string' ? v : env[FLAGS[flag].env] || undefined;
  };
  const server = pick('server');
  const redisUrl = pick('redis-url');
  if (server === undefined || !/^https?:\/\//.test(server)) throw new UsageError(`--server must be the server's http(s) URL (got ${server ?? 'nothing'})`);
  if (redisUrl === undefined || !/^rediss?:\/\//.test(redisUrl)) throw new UsageError(`--redis-url must be a redis:// URL (got ${redisUrl ?? 'nothing'})`);
  const provider = pick('provider') ?? 'cuda';
  if (provider !== 'cuda' && provider !== 'cpu') throw new UsageError(`--provider must be cuda or cpu (got "${provider}")`);
  const processes = Number(pick('processes') ?? '1');
  if (!Number.isInteger(processes) || processes < 1 || processes > 64) throw new UsageError(`--processes must be an integer from 1 to 64 (got "${pick('processes')}")`);
  return {
    server: { url: server, token: pick('token') },
    redisUrl,
    queue: pick('job-queue') ?? DEFAULT_JOB_QUEUE,
    provider,
    processes,
    cacheDir: pick('cache-dir') ?? join(homedir(), '.cnnvis', 'worker-models'),
    jobTimeoutMs: seconds(pick('job-timeout') ?? '300', '--job-timeout'),
    stalledMs: seconds(pick('stalled-timeout') ?? '30', '--stalled-timeout'),
    log: (line) => process.stderr.write(`[cnnvis-worker] ${line}\n`),
  };
}

export async function main(argv: string[]): Promise<void> {
  let opts;
  try {
    opts = parseWorkerCli(argv, process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`cnnvis-worker: ${err.message}\nRun cnnvis-worker --help for the options.\n`);
    process.exit(2);
  }
  if (opts === 'help') return void process.stdout.write(usage());
  const worker = await startRemoteWorker(opts);
  process.stderr.write(`cnnvis-worker ${worker.id} taking jobs from queue '${opts.queue}' for ${opts.server.url} (provider ${opts.provider})\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(`cnnvis-worker: ${signal} received, finishing the running jobs\n`);
    void worker.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
