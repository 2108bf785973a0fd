/**
 * Visdom compatibility: the stock Python `visdom` client's HTTP endpoints,
 * `/vis_socket` and its polling fallback, all under the base URL, over the
 * same WindowService (so the same store and live deltas) as the native API.
 * @module
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { CnnvisError } from '../errors';
import type { Logger } from '../logger';
import type { WindowService } from '../window-service';
import { VisEventHub } from './event-hub';
import { createVisdomRoutes } from './routes';
import { attachVisSocket, createVisSocketWrap, type VisSocketLimits } from './vis-socket';

export interface VisdomOptions {
  /** '' or a path like `/visdom` (no trailing slash). @default '' */
  baseUrl: string;
  maxPayloadBytes: number;
  logger: Logger;
  /** Refuse every write route (`--readonly`). */
  readonly: boolean;
  /** Why a `/vis_socket` upgrade may not open, or undefined. */
  deny: (req: IncomingMessage) => CnnvisError | undefined;
  /** Per-connection limits of `/vis_socket`. */
  socketLimits: VisSocketLimits;
}

export function attachVisdom(httpServer: HttpServer, service: WindowService, opts: VisdomOptions) {
  const hub = new VisEventHub(service);
  const wrap = createVisSocketWrap(hub);
  const socketPath = `${opts.baseUrl}/vis_socket`;
  const wss = attachVisSocket(httpServer, hub, socketPath, opts.deny, opts.socketLimits);
  const routes = createVisdomRoutes(service, { ...opts, socketWrap: wrap.handle });
  return {
    hub,
    routes,
    /** The path `/vis_socket` upgrades on, under the base URL. */
    socketPath,
    close() {
      wrap.close();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
