/**
 * The server's side of the job queue: one worker pool (child processes, bounded queue, per-job
 * timeout; see `@cnnvis/worker`), started on the first job or upload so a server nobody asks for
 * analysis forks nothing. Uploaded models are parsed there too, so their bytes never enter the
 * server's process.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorkerPool, gpuName, inputReader, type AnalyzeOutput, type AttributionOutput, type AttributionProgress, type DatasetOutput, type DatasetProgress, type PoolDatasetJob, type FilterSet, type FiltersJob, type PoolAttributionJob, type PoolJob, type WeightDiff, type WeightDiffJob, type WorkerPool } from '@cnnvis/worker/pool';
import type { LayerGraph, Provider } from '@cnnvis/protocol';
import type { Logger } from '../logger';
import type { ProviderChoice } from '../options';
import { CnnvisError } from '../errors';
import type { JobQueue } from './job-queue';
import { fromWorkerError } from './worker-errors';

export interface JobRunnerOptions {
  /** Worker processes of this server; 0: it runs no models, only reads uploads (in one process). */
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

/** `call`'s result; what it throws (a pool's WorkerError, or anything else) as a CnnvisError. */
async function asCnnvisErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw fromWorkerError(err);
  }
}

export function createJobRunner(opts: JobRunnerOptions, logger: Logger, queue?: JobQueue): JobRunner {
  let pool: WorkerPool | undefined;
  let lastUsed: Provider | null = null;
  let gpu: string | null = null;
  const notes = new Set<string>();
  const start = () => {
    pool ??= createWorkerPool({
      size: Math.max(1, opts.workers),
      timeoutMs: opts.jobTimeoutMs,
      maxQueue: opts.maxQueuedJobs,
      provider: opts.provider,
      ...(opts.maxWorkerMemoryBytes === undefined ? {} : { maxMemoryBytes: opts.maxWorkerMemoryBytes }),
      log: (line) => logger.info(`worker: ${line}`),
    });
    return pool;
  };
  /** This server's pool, for running models: with a queue they run on remote workers instead. */
  const local = () => {
    if (opts.workers === 0) throw new CnnvisError({ code: 'UNAVAILABLE', message: 'this server runs no models (--workers 0) and has no job queue for remote workers (--redis-url)' });
    return start();
  };
  return {
    async run(job, onProgress) {
      const { modelPath: _path, mapsPath, ...rest } = job;
      const out = await asCnnvisErrors(() => (queue ? queue.submit({ kind: 'run', job: { ...rest, provider: job.provider ?? opts.provider } }, onProgress, mapsPath) : local().run(job, onProgress)));
      lastUsed = out.provider;
      // A remote worker's GPU is in its own record (see job-queue.ts), not this machine's.
      if (out.provider === 'cuda' && gpu === null && queue === undefined) gpu = await gpuName();
      // Say once per reason why CUDA was not used, not on every job.
      if (out.providerNote !== undefined && !notes.has(out.providerNote)) {
        notes.add(out.providerNote);
        logger.info(`analysis runs on ${out.provider}: ${out.providerNote}`);
      }
      return out;
    },
    parse: (modelPath, modelId) => asCnnvisErrors(() => start().parse(modelPath, modelId)),
    filters: (job) => asCnnvisErrors(() => start().filters(job)),
    weightDiff: (job) => asCnnvisErrors(() => start().weightDiff(job)),
    attribute: (job, onProgress) =>
      asCnnvisErrors(async () => {
        const { modelPath: _path, ...rest } = job;
        const out = queue ? await queue.submit({ kind: 'attribute', job: { ...rest, provider: job.provider ?? opts.provider } }, onProgress) : await local().attribute(job, onProgress);
        lastUsed = out.provider;
        return out;
      }),
    dataset: (job, onProgress) =>
      asCnnvisErrors(async () => {
        const { modelPath: _path, inputs, ...rest } = job;
        // A remote worker has no access to this server's disk: spooled inputs travel in the job.
        const sent = queue && !Array.isArray(inputs) ? await inputReader(inputs).read(0, inputs.lengths.length) : inputs;
        const out = queue ? await queue.submit({ kind: 'dataset', job: { ...rest, inputs: sent, provider: job.provider ?? opts.provider } }, onProgress) : await local().dataset(job, onProgress);
        lastUsed = out.provider;
        return out;
      }),
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

/*
 * The version of ONNX Runtime the worker runs, for `GET /api/status`, and the
 * providers installed, read from the package the worker resolves, without
 * loading the native runtime into the server's process.
 */

let cached: string | undefined;

/** Where onnxruntime-node, as the worker resolves it, is installed; undefined when it cannot be found. */
function onnxRuntimeDir(): string | undefined {
  try {
    const fromWorker = createRequire(require.resolve('@cnnvis/worker/package.json'));
    return dirname(fromWorker.resolve('onnxruntime-node/package.json'));
  } catch {
    return undefined;
  }
}

/**
 * The providers installed, judged from the files on disk (the CUDA provider library next to the
 * binding), so that a status request does not have to start a worker process. Whether CUDA then
 * really runs is what `lastUsed` says.
 */
export function installedProviders(): string[] {
  const dir = onnxRuntimeDir();
  const lib = dir && join(dir, 'bin', 'napi-v6', `${process.platform}`, process.arch, 'libonnxruntime_providers_cuda.so');
  return lib && existsSync(lib) ? ['cuda', 'cpu'] : ['cpu'];
}

/**
 * @example
 * onnxRuntimeVersion(); // '1.30.0'
 */
export function onnxRuntimeVersion(): string {
  if (cached !== undefined) return cached;
  const dir = onnxRuntimeDir();
  try {
    const pkg = JSON.parse(readFileSync(join(dir ?? '', 'package.json'), 'utf8')) as { version?: unknown };
    cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    cached = 'unknown';
  }
  return cached;
}
