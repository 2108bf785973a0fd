/**
 * The SDK's one error type: server errors keep their code and message, and problems found
 * before sending get the same codes, so callers switch on `code` in one place.
 * @module
 */
import { ERROR_CODES, describeIssues } from '@cnnvis/protocol';
import type { ErrorCode, Issue } from '@cnnvis/protocol';

/** What a {@link CnnvisClientError} is built from. */
export interface CnnvisClientErrorInit {
  code: ErrorCode;
  message: string;
  /** For BAD_REQUEST: one entry per field that failed validation. */
  issues?: Issue[] | undefined;
  cause?: unknown;
}

// socket.io-client's wording for the two ways an emitWithAck fails without an answer.
const SOCKET_TIMEOUT = 'operation has timed out';
const SOCKET_CLOSED = 'socket has been disconnected';

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * An error from the cnnvis server or from the SDK itself.
 * @example
 * try {
 *   await viz.close('no-such-window');
 * } catch (err) {
 *   if (isCnnvisClientError(err) && err.code === 'NOT_FOUND') console.log('already gone');
 *   else throw err;
 * }
 */
export class CnnvisClientError extends Error {
  override readonly name = 'CnnvisClientError';
  /** One of the protocol's closed set of codes. */
  readonly code: ErrorCode;
  /** For BAD_REQUEST: the fields that failed validation. */
  readonly issues: Issue[] | undefined;

  constructor(init: CnnvisClientErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.issues = init.issues;
  }

  /**
   * A BAD_REQUEST whose message names every bad field.
   * @example
   * throw CnnvisClientError.badRequest([{ path: 'y[1]', message: 'has 3 values but x has 4' }]);
   */
  static badRequest(issues: Issue[]): CnnvisClientError {
    return new CnnvisClientError({ code: 'BAD_REQUEST', message: describeIssues(issues), issues });
  }

  /**
   * Anything thrown or received as a CnnvisClientError: an error envelope or its body, a
   * socket.io ack failure (timeout or disconnect), or any other value (as INTERNAL).
   * @example
   * const res = await socket.emitWithAck('window:get', { win: 'loss' });
   * if ('error' in res) throw CnnvisClientError.from(res);
   */
  static from(cause: unknown): CnnvisClientError {
    if (cause instanceof CnnvisClientError) return cause;
    if (typeof cause === 'object' && cause !== null) {
      const body = cause as { code?: unknown; message?: unknown; issues?: unknown; error?: unknown };
      if (!(cause instanceof Error) && 'error' in body && typeof body.error === 'object') {
        return CnnvisClientError.from(body.error);
      }
      if (isErrorCode(body.code)) {
        return new CnnvisClientError({
          code: body.code,
          message: typeof body.message === 'string' ? body.message : body.code,
          issues: Array.isArray(body.issues) ? (body.issues as Issue[]) : undefined,
          cause: cause instanceof Error ? cause : undefined,
        });
      }
    }
    if (cause instanceof Error) {
      if (cause.message === SOCKET_TIMEOUT) {
        return new CnnvisClientError({ code: 'TIMEOUT', message: 'the server did not answer in time', cause });
      }
      if (cause.message === SOCKET_CLOSED) {
        return new CnnvisClientError({
          code: 'UNAVAILABLE',
          message: 'the connection closed before the server answered; the change may or may not have been applied',
          cause,
        });
      }
      return new CnnvisClientError({ code: 'INTERNAL', message: cause.message, cause });
    }
    return new CnnvisClientError({ code: 'INTERNAL', message: String(cause), cause });
  }
}

/**
 * True for a {@link CnnvisClientError}, also one from another copy of this package.
 * @example
 * viz.line(data, opts).catch((err) => {
 *   if (isCnnvisClientError(err) && err.code === 'TIMEOUT') retryLater();
 * });
 */
export function isCnnvisClientError(value: unknown): value is CnnvisClientError {
  if (value instanceof CnnvisClientError) return true;
  return (
    value instanceof Error &&
    value.name === 'CnnvisClientError' &&
    isErrorCode((value as { code?: unknown }).code)
  );
}
