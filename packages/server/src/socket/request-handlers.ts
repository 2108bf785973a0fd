/**
 * The request events both live transports (socket.io and the SDK channel)
 * answer, and the one wrapper that turns a handler's result or error into an
 * envelope. A bad payload never throws out of here, so no input crashes the server.
 * @module
 */
import type { ClientToServerEvents, Envelope } from '@cnnvis/protocol';
import { toCnnvisError, toErrorBody } from '../errors';
import type { Logger } from '../logger';
import type { WindowService } from '../window-service';

/** Events answered the same way on every transport (subscribing is socket.io's alone). */
export type RequestEvent = Exclude<keyof ClientToServerEvents, 'env:subscribe'>;

export type RequestHandlers = Readonly<Record<RequestEvent, (payload: unknown) => unknown>>;

export function createRequestHandlers(service: WindowService): RequestHandlers {
  return {
    'window:create': (p) => service.create(p),
    'window:update': (p) => service.update(p),
    'window:close': (p) => service.close(p),
    'window:get': (p) => service.get(p),
    'env:list': () => service.listEnvs(),
    'env:fork': (p) => service.fork(p),
    'env:delete': (p) => service.deleteEnv(p),
    'layout:save': (p) => service.saveLayout(p),
  };
}

/** Run `fn` and return its envelope; internals never leave. */
export function toEnvelope(fn: () => unknown, logger: Logger): Envelope<unknown> {
  try {
    return { data: fn() };
  } catch (err) {
    const error = toCnnvisError(err);
    if (error.code === 'INTERNAL') logger.error('request handler failed', err);
    return { error: toErrorBody(error) };
  }
}
