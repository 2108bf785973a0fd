/**
 * The answer for a path no route takes: a message, not express's HTML page. Outside `/api` it is
 * plain text, as Visdom's replies are (a stock client pointed at the wrong base URL hands the text
 * to its script).
 * @module
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RequestHandler } from 'express';
import { rejectUpgrade } from '../access/deny-response';
import { pathOf } from '../access/request-path';
import { CnnvisError } from '../errors';

export function createNotFoundHandler(baseUrl: string): RequestHandler {
  return (req, res, next) => {
    const path = req.path;
    const message = path.startsWith(`${baseUrl}/compare/`)
      ? "Visdom's compare view (/compare) is not supported by cnnvis: open the envs one at a time, or fork them into one"
      : `no route for ${req.method} ${path}`;
    if (path.startsWith('/api/')) return next(CnnvisError.notFound(message));
    res.status(404).type('text/plain').send(message);
  };
}

/*
 * Upgrades to a path no WebSocket endpoint serves. node:http hands every
 * request with an `Upgrade` header to the 'upgrade' listeners and forgets
 * the socket; one that no listener takes must be answered and destroyed
 * here, or it holds its connection slot until the process exits.
 */

/**
 * Added after the endpoints' own listeners: answers 404 to an upgrade whose path `served` does not know.
 * @example refuseUnclaimedUpgrades(httpServer, (path) => path === '/vis_socket');
 */
export function refuseUnclaimedUpgrades(server: Server, served: (path: string, req: IncomingMessage) => boolean): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const path = pathOf(req.url);
    if (served(path, req)) return;
    rejectUpgrade(socket, CnnvisError.notFound(`no WebSocket endpoint at ${path}`));
  });
}
