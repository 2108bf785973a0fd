/**
 * The request events socket.io answers (the SDK's and the browsers'), and the one wrapper that
 * turns a handler's result or error into an envelope. A bad payload never throws out of here, so no
 * input crashes the server. Acks come when a handler's promise settles (a write's, on its
 * commit), so on one socket they may come out of request order: clients match them by id.
 * @module
 */
import type { ClientToServerEvents, Envelope, Window } from '@cnnvis/protocol';
import type { AnalysisService } from '../analysis/analysis-service';
import type { AttributionService } from '../analysis/attribution-service';
import type { DatasetService } from '../analysis/dataset-service';
import { toCnnvisError, toErrorBody } from '../errors';
import type { Logger } from '../logger';
import type { RequestContext } from '../request-context';
import type { WindowService } from '../window-service';

/** Events answered by the shared handlers (subscribing joins a socket.io room, so socket-handlers.ts answers it). */
export type RequestEvent = Exclude<keyof ClientToServerEvents, 'env:subscribe'>;

export type RequestHandler = (payload: unknown, ctx: RequestContext) => unknown;
export type RequestHandlers = Readonly<Record<RequestEvent, RequestHandler>>;

/** Where viewers' pane actions go (the Visdom clients' event hub). */
export interface UiEventSink {
  /** How many clients listen; with none, a close need not read the window first. */
  readonly size: number;
  /** A viewer closed this window. */
  closed(win: Window): Promise<void>;
  uiEvent(payload: unknown): unknown;
}

export function createRequestHandlers(service: WindowService, analysis: AnalysisService, ui: UiEventSink | undefined, extra: { attribution: Pick<AttributionService, 'run'>; dataset: Pick<DatasetService, 'run'> }): RequestHandlers {
  return {
    'window:create': (p) => service.create(p),
    'window:update': (p) => service.update(p),
    'window:close': async (p, ctx) => {
      // Only viewers' closes carry a socketId (the SDK's do not): tell Visdom clients.
      const pane = ui !== undefined && ui.size > 0 && ctx.socketId !== undefined ? await service.get(p) : undefined;
      const closed = await service.close(p);
      if (pane !== undefined) await ui?.closed(pane);
      return closed;
    },
    'window:get': (p) => service.get(p),
    'env:list': () => service.listEnvs(),
    'env:fork': (p) => service.fork(p),
    'env:delete': (p) => service.deleteEnv(p),
    'layout:save': (p) => service.saveLayout(p),
    'analysis:run': (p, ctx) => analysis.run(p, ctx),
    'attribution:run': (p, ctx) => extra.attribution.run(p, ctx),
    'dataset:run': (p, ctx) => extra.dataset.run(p, ctx),
    'model:graph': (p) => analysis.showGraph(p),
    'model:filters': (p) => analysis.filters(p),
    'run:compare': (p) => analysis.compare(p),
    'ui:event': (p) => (ui === undefined ? { delivered: 0 } : ui.uiEvent(p)),
  };
}

function failure(err: unknown, logger: Logger): Envelope<unknown> {
  const error = toCnnvisError(err);
  if (error.code === 'INTERNAL') logger.error('request handler failed', err);
  return { error: toErrorBody(error) };
}

/**
 * Run `fn` and return its envelope; internals never leave. A synchronous
 * handler's envelope (a refusal by the rate limit, a bad event) comes back
 * synchronously; a promise's (every store call), as a promise that never rejects.
 */
export function toEnvelope(fn: () => unknown, logger: Logger): Envelope<unknown> | Promise<Envelope<unknown>> {
  try {
    const data = fn();
    if (data instanceof Promise) {
      return data.then(
        (value: unknown) => ({ data: value }),
        (err: unknown) => failure(err, logger),
      );
    }
    return { data };
  } catch (err) {
    return failure(err, logger);
  }
}
