/**
 * The worker pool: jobs run in child processes, one per child at a time, behind a bounded
 * queue. A child that times out, grows past the memory limit or dies fails only its own job,
 * and a fresh child takes its place, so the server keeps serving.
 * @module
 */
import type { LayerGraph } from '@cnnvis/protocol';
import type { AnalyzeJob, AnalyzeOutput, AnalyzeProgress, FilterSet, FiltersJob, WeightDiff, WeightDiffJob } from '../analyze/analyze-types';
import type { AttributionJob, AttributionOutput, AttributionProgress } from '../attribution/attribution-types';
import type { DatasetJob, DatasetOutput, DatasetProgress } from '../dataset/dataset-types';
import type { ProviderRequest } from '../runtime/open-session';
import { fromWorkerErrorBody, WorkerError } from '../worker-error';
import type { ChildMessage, ParentMessage } from './child-messages';
import { formatMemory, MEMORY_SAMPLE_MS, residentBytes } from './memory-watch';
import { resolveWorkerPoolOptions, type WorkerPoolOptions } from './pool-options';
import { createSentGraphs, fromWire, type SentGraphs, type WireOutput } from './wire-output';
import { defaultChildModule, spawnWorkerProcess, type WorkerProcess } from './worker-process';

/** A job for the pool; without a provider it uses the pool's. */
export type PoolJob = Omit<AnalyzeJob, 'provider'> & { provider?: ProviderRequest };
/** An attribution job for the pool; without a provider it uses the pool's. */
export type PoolAttributionJob = Omit<AttributionJob, 'provider'> & { provider?: ProviderRequest };
/** A dataset-statistics job for the pool; without a provider it uses the pool's. */
export type PoolDatasetJob = Omit<DatasetJob, 'provider'> & { provider?: ProviderRequest };

export interface WorkerPool {
  /** Runs a job in a child; rejects with a WorkerError (QUEUE_FULL, TIMEOUT, OUT_OF_MEMORY, WORKER_CRASHED, CLOSED, or the job's own). */
  run(job: PoolJob, onProgress?: (p: AnalyzeProgress) => void): Promise<AnalyzeOutput>;
  /** Reads the model file into its layer graph in a child, keeping its bytes out of this one. */
  parse(modelPath: string, modelId: string): Promise<LayerGraph>;
  /** Reads the conv filters of the job's nodes from the model's weights (nothing runs). */
  filters(job: FiltersJob): Promise<FilterSet[]>;
  /** Compares two models' weights node by node in a child (nothing runs). */
  weightDiff(job: WeightDiffJob): Promise<WeightDiff[]>;
  /** Runs an attribution job (occlusion, Score-CAM) in a child. */
  attribute(job: PoolAttributionJob, onProgress?: (p: AttributionProgress) => void): Promise<AttributionOutput>;
  /** Per-channel statistics over many inputs in a child, a batch at a time. */
  dataset(job: PoolDatasetJob, onProgress?: (p: DatasetProgress) => void): Promise<DatasetOutput>;
  /** Execution providers a child could open a session with (`['cpu']` until a child has reported). */
  providers(): { available: string[] };
  /** Fails queued and running jobs with CLOSED and stops the children. */
  close(): Promise<void>;
}

type Progress = AnalyzeProgress | AttributionProgress | DatasetProgress;
/** A message to a child, without the id the pool gives it. */
type Request = {
  [T in ParentMessage['type']]: Omit<Extract<ParentMessage, { type: T }>, 'id'>;
}[ParentMessage['type']];

/** What a queued job asks of a child, and where its answer goes. */
interface Task {
  request: Request;
  onProgress: ((p: Progress) => void) | undefined;
  /** Settles the job with the child's answer; undefined for an answer of another kind. */
  answer(m: ChildMessage, slot: Slot): WorkerError | (() => void) | undefined;
}

interface Pending {
  id: number;
  task: Task;
  reject(err: WorkerError): void;
  /** The child has said something about this job, so it really ran there. */
  started: boolean;
  /** Sent to a second child after the first died before taking it. */
  resent: boolean;
}

interface Slot {
  child: WorkerProcess | null;
  /** The child said 'ready': its IPC listener is up and it can take a job. */
  ready: boolean;
  current: Pending | null;
  timer: NodeJS.Timeout | null;
  /** Samples the busy child's memory. */
  watch: NodeJS.Timeout | null;
  /** Models this child has loaded, so a job goes where its session is cached. */
  models: Set<string>;
  /** The graphs this child sent, as it keeps them (see wire-output.ts). */
  graphs: SentGraphs;
}

const modelOf = ({ request: r }: Task) => (r.type === 'parse' ? r.modelId : r.job.modelId);
/** What the child was doing with the model, for the messages of a job it did not finish. */
const runs = (task: Task) => ['run', 'attribute', 'dataset'].includes(task.request.type);
const doing = (task: Task) => (runs(task) ? 'running the model' : 'reading the model');

/**
 * Starts `size` children at once, so the first job does not wait for one.
 * @example
 * const pool = createWorkerPool({ size: 2, timeoutMs: 60_000, maxQueue: 8, provider: 'auto' });
 * const out = await pool.run(job, (p) => console.log(p.stage, p.fraction));
 * await pool.close();
 */
export function createWorkerPool(options: Partial<WorkerPoolOptions> = {}): WorkerPool {
  const opts = resolveWorkerPoolOptions(options);
  const entry = opts.childModule ?? defaultChildModule();
  const queue: Pending[] = [];
  let available = ['cpu'];
  let nextId = 1;
  let closed = false;
  /** Children that died before saying 'ready', in a row: a broken entry must not respawn forever. */
  let failedStarts = 0;
  const MAX_FAILED_STARTS = 3;

  const slots: Slot[] = Array.from({ length: opts.size }, () => ({ child: null, ready: false, current: null, timer: null, watch: null, models: new Set(), graphs: createSentGraphs() }));
  for (const slot of slots) start(slot);

  function start(slot: Slot): void {
    const child: WorkerProcess = spawnWorkerProcess(entry, {
      log: opts.log,
      onMessage: (m) => onMessage(slot, m),
      onExit: (code, signal) => {
        if (slot.child !== child) return; // a child we already replaced (timeout) or stopped
        const wasReady = slot.ready;
        forget(slot);
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = child.stderrTail().split('\n').slice(-3).join(' | ');
        const detail = tail ? ` (${tail})` : '';
        const p = slot.current;
        if (p && !p.started && !p.resent && !closed) {
          // It died before taking the job (killed while idle, the job already on its way):
          // not the job's doing, so the job goes first in line for the fresh child. Once.
          p.resent = true;
          detach(slot);
          queue.unshift(p);
          drain(); // another child may be free already
        } else {
          finish(slot, new WorkerError('WORKER_CRASHED', `the worker process ${how} while ${p ? doing(p.task) : 'running the model'}${detail}`));
        }
        if (!wasReady && ++failedStarts >= MAX_FAILED_STARTS) {
          opts.log(`worker processes keep failing to start; not restarting until the next job${detail}`);
          for (const p of queue.splice(0)) p.reject(new WorkerError('WORKER_CRASHED', `the worker process cannot start: it ${how}${detail}`));
          return;
        }
        if (!closed) start(slot);
      },
    });
    slot.child = child;
    slot.ready = false;
  }

  function onMessage(slot: Slot, m: ChildMessage): void {
    if (m.type === 'ready') {
      available = m.available;
      slot.ready = true;
      failedStarts = 0;
      drain();
      return;
    }
    const p = slot.current;
    if (!p || p.id !== m.id) return;
    p.started = true;
    const { task } = p;
    if (m.type === 'progress') {
      const { type: _type, id: _id, ...progress } = m;
      // The pool has never passed on an attribution's 'input' stage.
      const kind = task.request.type;
      if (kind !== 'attribute' || progress.stage !== 'input') task.onProgress?.(progress);
      return;
    }
    if (m.type === 'error') return finish(slot, fromWorkerErrorBody(m.error));
    const outcome = task.answer(m, slot);
    const wrong = `the worker answered a ${task.request.type} job with '${m.type}'`;
    finish(slot, outcome ?? new WorkerError('INTERNAL', wrong));
  }

  function fromWireOrError(slot: Slot, wire: WireOutput, job: PoolJob): AnalyzeOutput | WorkerError {
    try {
      // Noted before anything can fail, as the child noted it when it sent the result.
      const graph = wire.graph ?? slot.graphs.get(job.modelId);
      if (graph !== undefined) slot.graphs.set(job.modelId, graph);
      return fromWire(wire, job.mapsPath, graph);
    } catch (err) {
      return err instanceof WorkerError ? err : new WorkerError('INTERNAL', String(err));
    }
  }

  /** Drops the slot's child and what it held. */
  function forget(slot: Slot): void {
    slot.child = null;
    slot.ready = false;
    slot.models.clear();
    slot.graphs.clear();
  }

  /** Frees the slot: stops its timers and hands back its job, if any, unsettled. */
  function detach(slot: Slot): Pending | null {
    const p = slot.current;
    if (slot.timer) clearTimeout(slot.timer);
    if (slot.watch) clearInterval(slot.watch);
    slot.current = null;
    slot.timer = null;
    slot.watch = null;
    return p;
  }

  /** Settles the slot's current job, if any, and frees the slot: rejects it with an error, or `resolve`s it. */
  function finish(slot: Slot, outcome: WorkerError | (() => void)): void {
    const p = detach(slot);
    if (!p) return;
    if (outcome instanceof WorkerError) p.reject(outcome);
    else {
      // A parse keeps nothing; a run, or a filters job, leaves its model decoded in the child's cache.
      if (p.task.request.type !== 'parse') slot.models.add(modelOf(p.task));
      outcome();
    }
    drain();
  }

  /** Kills the slot's busy child (a hung native call ignores anything gentler), fails its job, starts a fresh child. */
  function abort(slot: Slot, err: WorkerError): void {
    const child = slot.child;
    forget(slot); // its exit is now expected, not a crash
    child?.kill();
    finish(slot, err);
    if (!closed) start(slot);
    drain();
  }

  function dispatch(slot: Slot, p: Pending): void {
    const { task } = p;
    const type = task.request.type;
    slot.current = p;
    slot.timer = setTimeout(() => {
      const what = type === 'run' ? 'the analysis ran' : type === 'attribute' ? 'the attribution ran' : type === 'dataset' ? 'the dataset statistics ran' : 'reading the model took';
      abort(slot, new WorkerError('TIMEOUT', `${what} longer than ${opts.timeoutMs} ms and its worker was stopped`));
    }, opts.timeoutMs);
    const pid = slot.child?.pid;
    slot.watch = setInterval(() => {
      const used = pid === undefined ? null : residentBytes(pid);
      if (used === null || used <= opts.maxMemoryBytes) return;
      const message = `the model used ${formatMemory(used)} of memory while ${runs(task) ? 'running' : 'being read'}, more than a worker may use (${formatMemory(opts.maxMemoryBytes)}), and its worker was stopped`;
      opts.log(`${pid ?? '?'}: ${message}`);
      abort(slot, new WorkerError('OUT_OF_MEMORY', message));
    }, MEMORY_SAMPLE_MS);
    slot.child?.send({ ...task.request, id: p.id });
  }

  function idleSlot(modelId: string): Slot | undefined {
    const idle = slots.filter((s) => s.child && s.ready && !s.current);
    return idle.find((s) => s.models.has(modelId)) ?? idle[0];
  }

  function drain(): void {
    while (queue.length > 0 && !closed) {
      const p = queue[0] as Pending;
      const slot = idleSlot(modelOf(p.task));
      if (!slot) return;
      queue.shift();
      dispatch(slot, p);
    }
  }

  /** Sends the task to an idle child, or queues it, or refuses it when the queue is full. */
  function submit(task: Task, reject: (err: WorkerError) => void): void {
    if (closed) return reject(new WorkerError('CLOSED', 'the worker pool is closed'));
    if (failedStarts >= MAX_FAILED_STARTS) {
      failedStarts = 0; // try again: the fault may have been passing
      for (const s of slots) if (!s.child) start(s);
    }
    const p: Pending = { id: nextId++, task, reject, started: false, resent: false };
    const slot = queue.length === 0 ? idleSlot(modelOf(task)) : undefined;
    if (slot) return dispatch(slot, p);
    // Children still starting count as free: a job waits for them in the queue, not against its size.
    const starting = slots.filter((s) => s.child && !s.ready && !s.current).length;
    if (queue.length >= opts.maxQueue + starting) {
      return reject(new WorkerError('QUEUE_FULL', `the analysis queue is full (${opts.maxQueue} jobs waiting); try again later`));
    }
    queue.push(p);
  }

  /** Queues `request`; `pick` finds the job's value in the child's answer (or undefined). */
  function request<T extends object>(
    request: Request,
    pick: (m: ChildMessage, slot: Slot) => T | WorkerError | undefined,
    onProgress?: (p: never) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const answer = (m: ChildMessage, slot: Slot): ReturnType<Task['answer']> => {
        const value = pick(m, slot);
        if (value === undefined) return undefined;
        return value instanceof WorkerError ? value : () => resolve(value);
      };
      // The child sends a job only the progress of its own kind.
      const forward = onProgress as ((p: Progress) => void) | undefined;
      submit({ request, answer, onProgress: forward }, reject);
    });
  }
  const withProvider = <J extends { provider?: ProviderRequest }>(job: J) => ({
    ...job,
    provider: job.provider ?? opts.provider,
  });

  return {
    run: (job, onProgress) =>
      request(
        { type: 'run', job: withProvider(job) },
        (m, slot) => (m.type === 'result' ? fromWireOrError(slot, m.output, job) : undefined),
        onProgress,
      ),
    parse: (modelPath, modelId) =>
      request(
        { type: 'parse', modelPath, modelId },
        (m) => (m.type === 'parsed' ? m.graph : undefined),
      ),
    filters: (job) =>
      request({ type: 'filters', job }, (m) => (m.type === 'filters' ? m.filters : undefined)),
    weightDiff: (job) =>
      request({ type: 'weightDiff', job }, (m) => (m.type === 'weightDiff' ? m.diffs : undefined)),
    attribute: (job, onProgress) =>
      request(
        { type: 'attribute', job: withProvider(job) },
        (m) => (m.type === 'attributed' ? m.output : undefined),
        onProgress,
      ),
    dataset: (job, onProgress) =>
      request(
        { type: 'dataset', job: withProvider(job) },
        (m) => (m.type === 'datasetStats' ? m.output : undefined),
        onProgress,
      ),
    providers: () => ({ available: [...available] }),
    async close() {
      if (closed) return;
      closed = true;
      for (const p of queue.splice(0)) p.reject(new WorkerError('CLOSED', 'the worker pool closed before the job started'));
      const stopping: Promise<void>[] = [];
      for (const slot of slots) {
        const child = slot.child;
        const busy = slot.current !== null;
        slot.child = null;
        finish(slot, new WorkerError('CLOSED', 'the worker pool closed while the job ran'));
        // A busy child may be stuck in native code and its job is abandoned: no grace for it.
        if (child) stopping.push(child.stop(busy ? 0 : 2000));
      }
      await Promise.all(stopping);
    },
  };
}
