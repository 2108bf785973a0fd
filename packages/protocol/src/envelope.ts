/**
 * The reply envelope and its guard, apart from errors.ts so `@cnnvis/protocol/plain` needs no zod.
 * @module
 */
import type { ErrorBody } from './errors';

/**
 * Every socket ack (and every HTTP error body) is one of these.
 * @example
 * socket.emit('window:create', req, (res: Envelope<WindowCreated>) => {
 *   if ('error' in res) console.error(res.error.message); else console.log(res.data.win);
 * });
 */
export type Envelope<T> = { data: T } | { error: ErrorBody };

/**
 * Type guard for the failure half of an {@link Envelope}.
 * @example
 * if (isErrorEnvelope(res)) throw new Error(res.error.message);
 */
export function isErrorEnvelope<T>(res: Envelope<T>): res is { error: ErrorBody } {
  return typeof res === 'object' && res !== null && 'error' in res;
}
