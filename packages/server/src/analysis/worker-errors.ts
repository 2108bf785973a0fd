/**
 * The worker's errors as the server's: each worker code maps to one protocol code, once, here.
 * Only the worker's own INTERNAL (a bug, not the model) stays INTERNAL: logged, not sent out.
 * @module
 */
import type { ErrorCode } from '@cnnvis/protocol';
import { isWorkerError, type WorkerErrorCode } from '@cnnvis/worker/pool';
import { CnnvisError, toCnnvisError } from '../errors';

/** Worker error code → protocol code. */
const CODE_BY_WORKER_CODE: Readonly<Record<WorkerErrorCode, ErrorCode>> = {
  // The model or the input is at fault: fixing the request is the way out.
  BAD_MODEL: 'BAD_REQUEST',
  UNSUPPORTED: 'BAD_REQUEST',
  BAD_INPUT: 'BAD_REQUEST',
  // The model crashed its worker or needs more memory than it may have: retrying will not help.
  WORKER_CRASHED: 'UNPROCESSABLE',
  OUT_OF_MEMORY: 'UNPROCESSABLE',
  TIMEOUT: 'TIMEOUT',
  // Capacity or configuration, not the request: the same job may succeed later or elsewhere.
  QUEUE_FULL: 'UNAVAILABLE',
  CLOSED: 'UNAVAILABLE',
  PROVIDER_UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
};

/**
 * @example
 * try { await pool.run(job); } catch (err) { throw fromWorkerError(err); }
 */
export function fromWorkerError(err: unknown): CnnvisError {
  if (!isWorkerError(err) || err.code === 'INTERNAL') return toCnnvisError(err);
  return new CnnvisError({ code: CODE_BY_WORKER_CODE[err.code], message: err.message, cause: err });
}
