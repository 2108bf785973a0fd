/**
 * What the server and its remote workers exchange through the BullMQ queue: the job, the result
 * posted back over HTTP, why a job failed, and each worker's record in Redis.
 * @module
 */
import type { RemoteWorkerStatus } from '@cnnvis/protocol';
import type { AnalyzeJob, AnalyzeOutput } from '../analyze/analyze-types';
import type { AttributionJob, AttributionOutput } from '../attribution/attribution-types';
import type { DatasetJob, DatasetOutput } from '../dataset/dataset-types';
import { fromWorkerErrorBody, type WorkerError, type WorkerErrorBody } from '../worker-error';
import { fromTypedJson, toTypedJson } from './typed-json';

/** The queue's name when none is given (`--job-queue`). */
export const DEFAULT_JOB_QUEUE = 'cnnvis-jobs';

/** A job as the worker runs it: the pool's job without the server's paths (the worker has its own). */
export type QueueJob =
  | { kind: 'run'; job: Omit<AnalyzeJob, 'modelPath' | 'mapsPath'> }
  | { kind: 'attribute'; job: Omit<AttributionJob, 'modelPath'> }
  | { kind: 'dataset'; job: Omit<DatasetJob, 'modelPath'> };

/** What a job's worker posts back; a run's maps (and the statistics after them) go first, as a file of their own. */
export type QueueResult = { kind: 'run'; output: AnalyzeOutput } | { kind: 'attribute'; output: AttributionOutput } | { kind: 'dataset'; output: DatasetOutput };

/**
 * A BullMQ job's data: `body` is the {@link QueueJob} as typed JSON; `mapsPath` is where the
 * server writes a run's maps (the worker never reads it).
 */
export interface QueueJobData {
  kind: QueueJob['kind'];
  modelId: string;
  body: string;
  mapsPath?: string;
}

/** @example queueJobData({ kind: 'run', job }, mapsPath) */
export function queueJobData(q: QueueJob, mapsPath?: string): QueueJobData {
  return { kind: q.kind, modelId: q.job.modelId, body: toTypedJson(q), ...(mapsPath === undefined ? {} : { mapsPath }) };
}

/** The job in a BullMQ job's data. */
export const readQueueJob = (data: QueueJobData): QueueJob => fromTypedJson<QueueJob>(data.body);

/** The Redis keys beside BullMQ's own: a job's posted result until its server takes it, and the workers' records. */
export const queueKeys = (queue: string) => ({
  result: (jobId: string) => `cnnvis:${queue}:result:${jobId}`,
  workers: `cnnvis:${queue}:workers`,
});

/** How often a worker renews its record; one not renewed for three times this is gone. */
export const WORKER_HEARTBEAT_MS = 5000;

/** A worker's record in Redis: its status, and when it last wrote it. */
export type WorkerRecord = RemoteWorkerStatus & { seenAt: number };

/** Prefix of a failed job's reason that carries a worker error: BullMQ keeps only a message. */
const ERROR_PREFIX = 'cnnvis-error:';

/** A worker error as a BullMQ failure message. */
export const toFailedReason = (body: WorkerErrorBody): string => ERROR_PREFIX + JSON.stringify(body);

/** The worker error a failed job's reason carries, or undefined for BullMQ's own reasons. */
export function fromFailedReason(reason: string): WorkerError | undefined {
  if (!reason.startsWith(ERROR_PREFIX)) return undefined;
  try {
    return fromWorkerErrorBody(JSON.parse(reason.slice(ERROR_PREFIX.length)) as WorkerErrorBody);
  } catch {
    return undefined;
  }
}
