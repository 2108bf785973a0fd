/**
 * A remote worker (`cnnvis-worker`): runs jobs from the BullMQ queue in its own worker pool,
 * fetching models and posting results over the server's HTTP API. BullMQ hands the job of a
 * worker that died to another, once.
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Provider } from '@cnnvis/protocol';
import { createWorkerPool } from '../pool/worker-pool';
import { gpuName } from '../runtime/gpu-name';
import { toWorkerErrorBody } from '../worker-error';
import { createModelCache } from './model-cache';
import { queueKeys, readQueueJob, toFailedReason, WORKER_HEARTBEAT_MS, type QueueJobData, type QueueResult, type WorkerRecord } from './queue-job';
import { serverRequest, type ServerLink } from './server-link';
import { toTypedJson } from './typed-json';

export interface RemoteWorkerOptions {
  server: ServerLink;
  redisUrl: string;
  /** The BullMQ queue's name; the server's `--job-queue`. */
  queue: string;
  /** `cuda` runs on the GPU where ONNX Runtime can, else on the CPU (each result says which ran). */
  provider: 'cuda' | 'cpu';
  /** Jobs run side by side, each in its own child process. */
  processes: number;
  /** Where fetched models are kept. */
  cacheDir: string;
  /** A job running longer is stopped and fails with TIMEOUT. */
  jobTimeoutMs: number;
  /** A worker silent this long (died, or lost Redis) is taken for dead and its job goes to another. */
  stalledMs: number;
  log(line: string): void;
}

export interface RemoteWorker {
  /** `host:pid`, as `/api/status` lists it. */
  readonly id: string;
  /** Finish the running jobs, then stop. */
  close(): Promise<void>;
}

const key = (job: Job) => job.id ?? '';

/** Starts taking jobs; resolves once the queue is connected and the record written. */
export async function startRemoteWorker(opts: RemoteWorkerOptions): Promise<RemoteWorker> {
  const id = `${hostname()}:${process.pid}`;
  const keys = queueKeys(opts.queue);
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const pool = createWorkerPool({ size: opts.processes, timeoutMs: opts.jobTimeoutMs, provider: opts.provider === 'cpu' ? 'cpu' : 'auto', log: opts.log });
  const models = createModelCache(opts.server, opts.cacheDir);
  const scratch = mkdtempSync(join(tmpdir(), 'cnnvis-worker-'));
  let lastUsed: Provider | null = null;
  let gpu: string | null = null;
  /** Jobs taken, by id: waiting for their model, or running in the pool. */
  const taken = new Map<string, 'queued' | 'running'>();
  let cudaNoted = false;

  const beat = async () => {
    const available = opts.provider === 'cpu' ? ['cpu'] : pool.providers().available;
    if (available.includes('cuda')) gpu ??= await gpuName();
    const count = (state: string) => [...taken.values()].filter((s) => s === state).length;
    const r: WorkerRecord = { id, available, lastUsed, gpu, running: count('running'), queued: count('queued'), seenAt: Date.now() };
    await redis.hset(keys.workers, id, JSON.stringify(r));
  };

  async function runJob(job: Job<QueueJobData>): Promise<QueueResult> {
    const q = readQueueJob(job.data);
    const modelPath = await models.pathOf(q.job.modelId);
    const progress = (p: object) => void job.updateProgress(p).catch(() => undefined);
    const provider = opts.provider === 'cpu' ? 'cpu' : 'auto';
    taken.set(key(job), 'running');
    void beat().catch(() => undefined);
    if (q.kind === 'attribute') return { kind: 'attribute', output: await pool.attribute({ ...q.job, modelPath, provider }, progress) };
    if (q.kind === 'dataset') return { kind: 'dataset', output: await pool.dataset({ ...q.job, modelPath, provider }, progress) };
    const mapsPath = join(scratch, `${job.id ?? 'job'}.maps`);
    try {
      const output = await pool.run({ ...q.job, modelPath, mapsPath, provider }, progress);
      // The maps, with the statistics after them, go as a file of their own: the result names offsets in it.
      await serverRequest(opts.server, `/api/jobs/${job.id}/maps`, { method: 'PUT', body: readFileSync(mapsPath), headers: { 'content-type': 'application/octet-stream' } });
      return { kind: 'run', output };
    } finally {
      rmSync(mapsPath, { force: true });
    }
  }

  const worker = new Worker<QueueJobData>(
    opts.queue,
    async (job) => {
      taken.set(key(job), 'queued');
      try {
        const result = await runJob(job);
        lastUsed = result.output.provider;
        if (opts.provider === 'cuda' && lastUsed === 'cpu' && !cudaNoted) {
          cudaNoted = true;
          const why = 'providerNote' in result.output && result.output.providerNote !== undefined ? `: ${result.output.providerNote}` : '';
          opts.log(`CUDA was asked for, but the job ran on the CPU${why}`);
        }
        await serverRequest(opts.server, `/api/jobs/${job.id}/result`, { method: 'PUT', body: toTypedJson(result), headers: { 'content-type': 'application/json' } });
        return null;
      } catch (err) {
        // BullMQ keeps a message only: the code travels in it, for the server to map as it maps its own pool's.
        throw new Error(toFailedReason(toWorkerErrorBody(err)));
      } finally {
        taken.delete(key(job));
        void beat().catch(() => undefined);
      }
    },
    { connection: redis, concurrency: opts.processes, lockDuration: opts.stalledMs, stalledInterval: opts.stalledMs, maxStalledCount: 1 },
  );
  worker.on('error', (err) => opts.log(`queue: ${err.message}`));
  worker.on('failed', (job, err) => opts.log(`job ${job?.id ?? '?'} failed: ${err.message}`));
  await worker.waitUntilReady();
  await beat();
  const heartbeat = setInterval(() => void beat().catch((err: Error) => opts.log(`cannot write this worker's record to Redis: ${err.message}`)), WORKER_HEARTBEAT_MS);
  return {
    id,
    async close() {
      clearInterval(heartbeat);
      await worker.close();
      await pool.close();
      await redis.hdel(keys.workers, id).catch(() => undefined);
      redis.disconnect();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
