/**
 * socket.io events → {@link WindowService}. Every event is wrapped the same
 * way: run the handler, ack `{ data }` or `{ error }`. A bad payload or a
 * missing ack never throws out of the handler, so no input crashes the server.
 * @module
 */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, Envelope, ServerHello, ServerToClientEvents } from '@cnnvis/protocol';
import { envRoom } from '../broadcaster';
import { toCnnvisError, toErrorBody } from '../errors';
import type { Logger } from '../logger';
import type { WindowService } from '../window-service';

type IO = Server<ClientToServerEvents, ServerToClientEvents>;
type ClientSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** Run `fn` and answer through `ack` with an envelope; internals never leave. */
function respond(ack: unknown, fn: () => unknown, logger: Logger): void {
  let reply: Envelope<unknown>;
  try {
    reply = { data: fn() };
  } catch (err) {
    const error = toCnnvisError(err);
    if (error.code === 'INTERNAL') logger.error('socket handler failed', err);
    reply = { error: toErrorBody(error) };
  }
  if (typeof ack === 'function') (ack as (r: Envelope<unknown>) => void)(reply);
}

export function registerSocketHandlers(io: IO, service: WindowService, hello: ServerHello, logger: Logger): void {
  io.on('connection', (socket: ClientSocket) => {
    socket.emit('server:hello', hello);
    // socket.io passes the ack as the last argument; a client that sends none gets no reply.
    const on = (event: keyof ClientToServerEvents, fn: (payload: unknown) => unknown) => {
      socket.on(event, (payload: unknown, ack: unknown) => respond(ack, () => fn(payload), logger));
    };
    on('window:create', (p) => service.create(p));
    on('window:update', (p) => service.update(p));
    on('window:close', (p) => service.close(p));
    on('window:get', (p) => service.get(p));
    on('env:list', () => service.listEnvs());
    on('env:fork', (p) => service.fork(p));
    on('env:delete', (p) => service.deleteEnv(p));
    on('layout:save', (p) => service.saveLayout(p));
    on('env:subscribe', (p) => {
      const snapshot = service.snapshot(p);
      // One env per socket: leave the rooms of others, then join.
      for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
      void socket.join(envRoom(snapshot.env));
      return snapshot;
    });
  });
}
