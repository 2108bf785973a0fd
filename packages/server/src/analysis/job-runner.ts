/**
 * The server's side of the job queue: one worker pool (child processes,
 * bounded queue, per-job timeout; see `@cnnvis/worker`), started on the first
 * job or upload so a server nobody asks for analysis forks nothing. Uploaded
 * models are parsed there too, so their bytes never enter the server's
 * process. It maps the worker's errors to the protocol's and remembers which
 * provider last ran.
 * @module
 */
import { createWorkerPool, type AnalyzeOutput, type AttributionOutput, type AttributionProgress, type DatasetOutput, type DatasetProgress, type PoolDatasetJob, type FilterSet, type FiltersJob, type PoolAttributionJob, type PoolJob, type WeightDiff, type WeightDiffJob, type WorkerPool } from '@cnnvis/worker/pool';
import type { LayerGraph, Provider } from '@cnnvis/protocol';
import type { Logger } from '../logger';
import type { ProviderChoice } from '../options';
import { gpuName } from './gpu-name';
import { installedProviders } from './runtime-version';
import { fromWorkerError } from './worker-errors';

export interface JobRunnerOptions {
  workers: number;
  jobTimeoutMs: number;
  maxQueuedJobs: number;
  provider: ProviderChoice;
  /** Memory one worker may use while running a model; `undefined`: half the machine's (the pool's default). */
  maxWorkerMemoryBytes: number | undefined;
}

/** Progress of a job inside its worker. */
export type WorkerProgress = { stage: string; fraction: number };

export interface JobRunner {
  /** Run a job; rejects with a CnnvisError (TIMEOUT, UNAVAILABLE for a full queue, …). */
  run(job: PoolJob, onProgress?: (p: WorkerProgress) => void): Promise<AnalyzeOutput>;
  /**
   * The layer graph of the model file at `modelPath`, read by a worker
   * (queued with the jobs); rejects with BAD_REQUEST naming the fault for a
   * file that is no usable model, else as `run` does.
   */
  parse(modelPath: string, modelId: string): Promise<LayerGraph>;
  /** The conv filters of the job's nodes, read from the model's weights by a worker (nothing runs); rejects as `run` does. */
  filters(job: FiltersJob): Promise<FilterSet[]>;
  /** Two models' weights compared node by node by a worker (nothing runs); rejects as `run` does. */
  weightDiff(job: WeightDiffJob): Promise<WeightDiff[]>;
  /** Run an attribution job (occlusion, Score-CAM) with the runs' queue and timeout; rejects as `run` does. */
  attribute(job: PoolAttributionJob, onProgress?: (p: AttributionProgress) => void): Promise<AttributionOutput>;
  /** Per-channel statistics over many inputs, a batch at a time, with the runs' queue and timeout; rejects as `run` does. */
  dataset(job: PoolDatasetJob, onProgress?: (p: DatasetProgress) => void): Promise<DatasetOutput>;
  /** Providers this machine offers, and the one that ran the last job. */
  providers(): { available: string[]; lastUsed: Provider | null; gpu: string | null };
  close(): Promise<void>;
}

/**
 * @example
 * const jobs = createJobRunner({ workers: 1, jobTimeoutMs: 60_000, maxQueuedJobs: 8, provider: 'auto' }, logger);
 * const out = await jobs.run(job);
 */
export function createJobRunner(opts: JobRunnerOptions, logger: Logger): JobRunner {
  let pool: WorkerPool | undefined;
  let lastUsed: Provider | null = null;
  let gpu: string | null = null;
  const notes = new Set<string>();
  const start = () => {
    pool ??= createWorkerPool({
      size: opts.workers,
      timeoutMs: opts.jobTimeoutMs,
      maxQueue: opts.maxQueuedJobs,
      provider: opts.provider,
      ...(opts.maxWorkerMemoryBytes === undefined ? {} : { maxMemoryBytes: opts.maxWorkerMemoryBytes }),
      log: (line) => logger.info(`worker: ${line}`),
    });
    return pool;
  };
  return {
    async run(job, onProgress) {
      let out: AnalyzeOutput;
      try {
        out = await start().run(job, onProgress);
      } catch (err) {
        throw fromWorkerError(err);
      }
      lastUsed = out.provider;
      if (out.provider === 'cuda' && gpu === null) gpu = await gpuName();
      // Say once per reason why CUDA was not used, not on every job.
      if (out.providerNote !== undefined && !notes.has(out.providerNote)) {
        notes.add(out.providerNote);
        logger.info(`analysis runs on ${out.provider}: ${out.providerNote}`);
      }
      return out;
    },
    async parse(modelPath, modelId) {
      try {
        return await start().parse(modelPath, modelId);
      } catch (err) {
        throw fromWorkerError(err);
      }
    },
    async filters(job) {
      try {
        return await start().filters(job);
      } catch (err) {
        throw fromWorkerError(err);
      }
    },
    async weightDiff(job) {
      try {
        return await start().weightDiff(job);
      } catch (err) {
        throw fromWorkerError(err);
      }
    },
    async attribute(job, onProgress) {
      try {
        const out = await start().attribute(job, onProgress);
        lastUsed = out.provider;
        return out;
      } catch (err) {
        throw fromWorkerError(err);
      }
    },
    async dataset(job, onProgress) {
      try {
        const out = await start().dataset(job, onProgress);
        lastUsed = out.provider;
        return out;
      } catch (err) {
        throw fromWorkerError(err);
      }
    },
    providers() {
      // Before the first job, judge from the installed files: a status probe must not fork workers.
      const available = pool ? pool.providers().available : installedProviders();
      return { available: opts.provider === 'cpu' ? ['cpu'] : available, lastUsed, gpu: lastUsed === 'cuda' ? gpu : null };
    },
    async close() {
      await pool?.close();
    },
  };
}
