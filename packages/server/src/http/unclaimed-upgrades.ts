/**
 * Upgrades to a path no WebSocket endpoint serves. node:http hands every
 * request with an `Upgrade` header to the 'upgrade' listeners and forgets
 * the socket; one that no listener takes must be answered and destroyed
 * here, or it holds its connection slot until the process exits.
 * @module
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { rejectUpgrade } from '../access/deny-response';
import { CnnvisError } from '../errors';
import { pathOf } from '../access/request-path';

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
