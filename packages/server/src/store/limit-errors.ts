/**
 * The refusals of a store that is full: each names the limit and the flag
 * that raises it, so a user can act on it.
 * @module
 */
import { CnnvisError } from '../errors';

const n = (value: number) => value.toLocaleString('en-US');

/** A trace asked to hold more than `max` points. */
export function tooManyPoints(where: string, points: { held: number; added: number }, max: number): CnnvisError {
  if (points.added > max) {
    return new CnnvisError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `${where}: ${n(points.added)} points is more than the ${n(max)} a trace may hold (raise it with --max-points-per-trace)`,
    });
  }
  return new CnnvisError({
    code: 'CONFLICT',
    message: `${where} holds ${n(points.held)} points; ${n(points.added)} more would pass the limit of ${n(max)} per trace (start a new trace or window, or raise --max-points-per-trace)`,
  });
}

/** `env` already holds `max` windows and a new one was asked for. */
export function tooManyWindows(env: string, max: number): CnnvisError {
  return new CnnvisError({
    code: 'CONFLICT',
    message: `env '${env}' already holds ${n(max)} windows, the limit per env (close some, use another env, or raise --max-windows-per-env)`,
  });
}
