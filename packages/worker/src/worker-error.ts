/**
 * The worker's one error type, with a closed set of codes; errors cross a process boundary as
 * `{ code, message }` and are rebuilt on the other side.
 * @module
 */
import { redactPaths } from './redact-paths';

/** Every code a {@link WorkerError} can carry. */
export const WORKER_ERROR_CODES = [
  /** The bytes are not a usable ONNX model (corrupt, truncated, no graph, …). */
  'BAD_MODEL',
  /** A valid model this runtime cannot run: IR version or opset too new, unknown op, no float tensors. */
  'UNSUPPORTED',
  /** The input does not fit the model: wrong shape, type, size, or an undecodable image. */
  'BAD_INPUT',
  /** `provider: 'cuda'` was asked for and CUDA cannot be used here. */
  'PROVIDER_UNAVAILABLE',
  /** The pool's queue is full; try again later. */
  'QUEUE_FULL',
  /** The job ran past the pool's timeout and its worker process was killed. */
  'TIMEOUT',
  /** The worker process died while running the job (native crash, killed from outside). */
  'WORKER_CRASHED',
  /** The model asked for more memory than the runtime could allocate, or its worker passed the pool's memory limit. */
  'OUT_OF_MEMORY',
  /** The pool was closed before the job could finish. */
  'CLOSED',
  /** Anything else; the message says what. */
  'INTERNAL',
] as const;

export type WorkerErrorCode = (typeof WORKER_ERROR_CODES)[number];

/**
 * An error from parsing or running a model. Its message goes to the user, so this machine's
 * paths are cut to base names, save in INTERNAL ones (which the server only logs).
 * @example
 * try { await pool.run(job); } catch (err) {
 *   if (isWorkerError(err) && err.code === 'QUEUE_FULL') retryLater();
 * }
 */
export class WorkerError extends Error {
  readonly code: WorkerErrorCode;

  constructor(code: WorkerErrorCode, message: string, options?: { cause?: unknown }) {
    super(code === 'INTERNAL' ? message : redactPaths(message), options);
    this.name = 'WorkerError';
    this.code = code;
  }
}

/**
 * A problem with the model itself, found while reading or loading it.
 * @example
 * throw new ModelError('BAD_MODEL', 'the ONNX model is truncated');
 */
export class ModelError extends WorkerError {
  declare readonly code: 'BAD_MODEL' | 'UNSUPPORTED';

  constructor(code: 'BAD_MODEL' | 'UNSUPPORTED', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ModelError';
  }
}

/** Type guard for {@link WorkerError} (and so {@link ModelError}). */
export function isWorkerError(err: unknown): err is WorkerError {
  return err instanceof WorkerError;
}

/** The plain form that crosses a process boundary. */
export interface WorkerErrorBody {
  code: WorkerErrorCode;
  message: string;
}

/** Anything thrown, as a body; unknown errors become INTERNAL and keep their message. */
export function toWorkerErrorBody(err: unknown): WorkerErrorBody {
  if (err instanceof WorkerError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

/** Rebuilds the error on the receiving side, as a ModelError where the code says so. */
export function fromWorkerErrorBody(body: WorkerErrorBody): WorkerError {
  if (body.code === 'BAD_MODEL' || body.code === 'UNSUPPORTED') return new ModelError(body.code, body.message);
  return new WorkerError(body.code, body.message);
}
