/**
 * The server's side of the job queue to remote workers (`--redis-url`): a run, an attribution or
 * dataset statistics becomes a BullMQ job; a `cnnvis-worker` takes it, posts the result over HTTP
 * (see createJobRouter: a run's maps to the run's file, the rest into Redis for whichever server
 * waits), and completes it. The waiting server hears of progress and the end through QueueEvents,
 * so any server of a cluster may take the result; a job whose worker dies is retried once.
 * @module
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Router } from 'express';
import { Redis } from 'ioredis';
import type { RuntimeStatus } from '@cnnvis/protocol';
import { fromFailedReason, fromTypedJson, queueJobData, queueKeys, WORKER_HEARTBEAT_MS, type QueueJob, type QueueJobData, type QueueResult, type WorkerRecord } from '@cnnvis/worker/pool';
import { badField, CnnvisError } from '../errors';
import { readTextBody } from '../http/read-body';
import { fromWorkerError } from './worker-errors';

export interface JobQueueOptions {
  redisUrl: string;
  /** The BullMQ queue's name (the workers' `--job-queue`). */
  queue: string;
  /** The workers' own job timeout; a job not over within twice this (a retry included) fails with TIMEOUT here. */
  jobTimeoutMs: number;
  /** Jobs waiting for a worker beyond which a new one is refused (UNAVAILABLE). */
  maxQueuedJobs: number;
  /** Largest maps file a worker may post (PAYLOAD_TOO_LARGE beyond): the server's `--max-model-size`. */
  maxMapsBytes: number;
}

/** A job's outcome, by kind. */
type Outputs = { [K in QueueResult['kind']]: Extract<QueueResult, { kind: K }>['output'] };

export interface JobQueue {
  /** Queue a job and resolve with its worker's output; rejects with a CnnvisError. */
  submit<K extends QueueJob['kind']>(q: Extract<QueueJob, { kind: K }>, onProgress: ((p: never) => void) | undefined, mapsPath?: string): Promise<Outputs[K]>;
  /** A run's maps file, posted by its worker: written to the path its server named. */
  receiveMaps(jobId: string, body: Readable): Promise<void>;
  /** A job's result, posted by its worker as typed JSON: kept in Redis for its server. */
  receiveResult(jobId: string, text: string): Promise<void>;
  /** Workers that renewed their record lately, and the jobs no worker has taken yet. */
  status(): Promise<NonNullable<RuntimeStatus['queue']>>;
  close(): Promise<void>;
}

interface Waiting {
  kind: QueueJob['kind'];
  resolve(out: unknown): void;
  reject(err: Error): void;
  onProgress: ((p: unknown) => void) | undefined;
}

/** A result waits this long in Redis for its server. */
const RESULT_TTL_S = 3600;

export function createJobQueue(opts: JobQueueOptions): JobQueue {
  const keys = queueKeys(opts.queue);
  let closing = false;
  // Reconnect until closed (BullMQ copies these options to its own connections: its close waits for Redis, so this is how they stop).
  const retryStrategy = (times: number) => (closing ? null : Math.min(times * 200, 2000));
  // No offline queue: while Redis is away a command fails at once (the job with UNAVAILABLE), never waits unseen.
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: false, retryStrategy });
  const unreachable = (err?: Error) => new CnnvisError({ code: 'UNAVAILABLE', message: `the job queue's Redis is unreachable${err ? `: ${err.message}` : ''}` });
  const queue = new Queue<QueueJobData>(opts.queue, { connection: redis });
  // Its own connection (it blocks reading the events stream), held here so close can cut it.
  const eventsRedis = new Redis(opts.redisUrl, { maxRetriesPerRequest: null, retryStrategy });
  const events = new QueueEvents(opts.queue, { connection: eventsRedis });
  const waiting = new Map<string, Waiting>();
  // Without a listener an error event would throw; a lost connection is retried by ioredis.
  queue.on('error', () => undefined);
  redis.on('error', () => undefined);
  eventsRedis.on('error', () => undefined);
  events.on('error', () => undefined);

  events.on('progress', ({ jobId, data }) => waiting.get(jobId)?.onProgress?.(data));
  events.on('completed', ({ jobId }) => {
    const w = waiting.get(jobId);
    if (w === undefined) return;
    void redis.getdel(keys.result(jobId)).then(
      (text) => {
        if (text === null) return w.reject(new CnnvisError({ code: 'INTERNAL', message: `the worker finished job ${jobId} but its result never reached a server` }));
        const result = fromTypedJson<QueueResult>(text);
        if (result.kind !== w.kind) return w.reject(new CnnvisError({ code: 'INTERNAL', message: `job ${jobId} was a ${w.kind} but its worker sent a ${result.kind} result` }));
        w.resolve(result.output);
      },
      (err: Error) => w.reject(new CnnvisError({ code: 'UNAVAILABLE', message: `the job queue's Redis failed: ${err.message}` })),
    );
  });
  events.on('failed', ({ jobId, failedReason }) => {
    const w = waiting.get(jobId);
    if (w === undefined) return;
    const err = fromFailedReason(failedReason);
    // BullMQ's own reason: the job stalled again after its retry (its second worker died, or lost Redis, too).
    const stalled = `its worker stopped before finishing it (the cnnvis-worker process died or lost Redis), twice: it was retried once (${failedReason})`;
    w.reject(err !== undefined ? fromWorkerError(err) : new CnnvisError({ code: 'UNAVAILABLE', message: `job ${jobId} failed: ${stalled}` }));
  });

  async function workers(): Promise<WorkerRecord[]> {
    const records = Object.values(await redis.hgetall(keys.workers)).map((text) => JSON.parse(text) as WorkerRecord);
    const gone = records.filter((r) => r.seenAt < Date.now() - 3 * WORKER_HEARTBEAT_MS);
    if (gone.length > 0) await redis.hdel(keys.workers, ...gone.map((r) => r.id));
    return records.filter((r) => !gone.includes(r));
  }

  /** The queued job, if it is one a worker is running now (the only kind whose result is taken). */
  async function activeJob(jobId: string): Promise<Job<QueueJobData>> {
    const job = await Job.fromId<QueueJobData>(queue, jobId);
    if (job === undefined || (await job.getState()) !== 'active') throw CnnvisError.notFound(`no job ${jobId} is running`);
    return job;
  }

  const ready = Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  ready.catch(() => undefined); // a Redis never reached: each job says so (submit)
  return {
    async submit(q, onProgress, mapsPath) {
      if (redis.status !== 'ready') throw unreachable();
      await ready.catch((err: Error) => {
        throw unreachable(err);
      });
      const [queued, live] = await Promise.all([queue.getWaitingCount(), workers()]).catch((err: Error) => {
        throw unreachable(err);
      });
      if (live.length === 0) {
        throw new CnnvisError({ code: 'UNAVAILABLE', message: `no cnnvis-worker is connected to the job queue '${opts.queue}'; start one (npx cnnvis-worker --server URL --redis-url URL)` });
      }
      if (queued >= opts.maxQueuedJobs) throw new CnnvisError({ code: 'UNAVAILABLE', message: `the analysis queue is full (${opts.maxQueuedJobs} jobs waiting); try again later` });
      const jobId = randomUUID();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          finish();
          reject(new CnnvisError({ code: 'TIMEOUT', message: `no worker finished the job within ${(2 * opts.jobTimeoutMs) / 1000} s` }));
          void queue.remove(jobId).catch(() => undefined);
        }, 2 * opts.jobTimeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiting.delete(jobId);
        };
        waiting.set(jobId, {
          kind: q.kind,
          resolve: (out) => (finish(), resolve(out as never)),
          reject: (err) => (finish(), reject(err)),
          onProgress: onProgress as ((p: unknown) => void) | undefined,
        });
        // A job runs once: a retry is for a dead worker only (BullMQ's stalled check), not for a job that failed.
        queue.add(q.kind, queueJobData(q, mapsPath), { jobId, attempts: 1, removeOnComplete: true, removeOnFail: { age: RESULT_TTL_S } }).catch((err: Error) => {
          finish();
          reject(new CnnvisError({ code: 'UNAVAILABLE', message: `cannot queue the job: ${err.message}` }));
        });
      });
    },
    async receiveMaps(jobId, body) {
      const { mapsPath } = (await activeJob(jobId)).data;
      if (mapsPath === undefined) throw badField('jobId', `job ${jobId} makes no maps`);
      // Written beside, then renamed: a file cut off mid-body never stands as the run's.
      const part = `${mapsPath}.${randomBytes(4).toString('hex')}.part`;
      try {
        let size = 0;
        const bounded = async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > opts.maxMapsBytes) throw new CnnvisError({ code: 'PAYLOAD_TOO_LARGE', message: `the maps file is larger than ${opts.maxMapsBytes} bytes (see --max-model-size)` });
            yield chunk;
          }
        };
        await pipeline(body, bounded, createWriteStream(part));
        renameSync(part, mapsPath);
      } finally {
        rmSync(part, { force: true });
      }
    },
    async receiveResult(jobId, text) {
      await activeJob(jobId);
      await redis.set(keys.result(jobId), text, 'EX', RESULT_TTL_S);
    },
    async status() {
      try {
        if (redis.status !== 'ready') throw unreachable();
        const [queued, live] = await Promise.all([queue.getWaitingCount(), workers()]);
        return { waiting: queued, workers: live.map(({ seenAt: _seen, ...w }) => w) };
      } catch (err) {
        // The status page stays up to say so.
        return { waiting: 0, workers: [], error: (err instanceof CnnvisError ? err : unreachable(err as Error)).message };
      }
    },
    async close() {
      closing = true;
      for (const w of waiting.values()) w.reject(new CnnvisError({ code: 'UNAVAILABLE', message: 'the server is closing' }));
      // BullMQ's close waits for Redis: without it, the connections are only cut (their errors still go to the listeners above).
      if (redis.status === 'ready') await Promise.race([Promise.allSettled([events.close(), queue.close()]), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      eventsRedis.disconnect();
      redis.disconnect();
    },
  };
}

/**
 * `/api/jobs`: where a remote worker posts a job's results (`PUT /:jobId/maps`, a run's maps file
 * as raw bytes; `PUT /:jobId/result`, the output as typed JSON) for the server that waits.
 */
export function createJobRouter(queue: JobQueue, maxResultBytes: number): Router {
  const r = Router({ caseSensitive: true });
  r.put('/:jobId/maps', async (req, res) => {
    await queue.receiveMaps(req.params['jobId'] ?? '', req);
    res.status(204).end();
  });
  r.put('/:jobId/result', async (req, res) => {
    await queue.receiveResult(req.params['jobId'] ?? '', await readTextBody(req, maxResultBytes));
    res.status(204).end();
  });
  return r;
}
