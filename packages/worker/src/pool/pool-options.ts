/**
 * The worker pool's options and their defaults.
 * @module
 */
import type { ProviderRequest } from '../runtime/open-session';
import { defaultMemoryLimit } from './memory-watch';

export interface WorkerPoolOptions {
  /** Child processes running jobs, one job each at a time. @default 1 */
  size: number;
  /** A job running longer is failed with TIMEOUT and its child killed. @default 120000 */
  timeoutMs: number;
  /** Jobs waiting for a free child beyond this are rejected with QUEUE_FULL. @default 16 */
  maxQueue: number;
  /**
   * A busy child whose resident memory passes this is killed (OUT_OF_MEMORY; Linux only).
   * @default half the machine's memory, or of its container's limit
   */
  maxMemoryBytes: number;
  /** Provider for jobs that do not name one. @default 'auto' */
  provider: ProviderRequest;
  /** Where the children's stderr lines and the pool's notices go. @default a `[cnnvis worker]` prefix on process.stderr */
  log: (line: string) => void;
  /** The child's entry module; tests swap in one that misbehaves on cue. @internal */
  childModule?: string;
}

export const WORKER_POOL_DEFAULTS = {
  size: 1,
  timeoutMs: 120_000,
  maxQueue: 16,
  maxMemoryBytes: defaultMemoryLimit(),
  provider: 'auto',
  log: (line: string) => process.stderr.write(`[cnnvis worker] ${line}\n`),
} satisfies Omit<WorkerPoolOptions, 'childModule'>;

/**
 * Fills in defaults and checks the numbers.
 * @example
 * resolveWorkerPoolOptions({ size: 2 }); // { size: 2, timeoutMs: 120000, maxQueue: 16, provider: 'auto', … }
 */
export function resolveWorkerPoolOptions(opts: Partial<WorkerPoolOptions> = {}): WorkerPoolOptions {
  const o: WorkerPoolOptions = { ...WORKER_POOL_DEFAULTS, ...opts };
  if (!Number.isInteger(o.size) || o.size < 1) throw new RangeError(`worker pool size must be a positive integer, got ${o.size}`);
  if (!(o.timeoutMs > 0)) throw new RangeError(`worker pool timeoutMs must be positive, got ${o.timeoutMs}`);
  if (!Number.isInteger(o.maxQueue) || o.maxQueue < 0) throw new RangeError(`worker pool maxQueue must be a non-negative integer, got ${o.maxQueue}`);
  if (!(o.maxMemoryBytes > 0)) throw new RangeError(`worker pool maxMemoryBytes must be positive, got ${o.maxMemoryBytes}`);
  return o;
}
