/**
 * socket.io events → the shared request handlers, plus `env:subscribe`,
 * which joins the env's room for live deltas.
 * @module
 */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerHello, ServerToClientEvents } from '@cnnvis/protocol';
import { envRoom } from '../broadcaster';
import type { Logger } from '../logger';
import { SERVER_DEFAULTS } from '../options';
import type { WindowService } from '../window-service';
import { createMessageRateLimiter, tooManyMessages } from './rate-limit';
import { toEnvelope, type RequestHandler, type RequestHandlers } from './request-handlers';

type IO = Server<ClientToServerEvents, ServerToClientEvents>;
type ClientSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export function registerSocketHandlers(
  io: IO,
  handlers: RequestHandlers,
  service: WindowService,
  hello: ServerHello,
  logger: Logger,
  maxMessageRate = SERVER_DEFAULTS.maxMessageRate,
): void {
  io.on('connection', (socket: ClientSocket) => {
    socket.emit('server:hello', hello);
    // socket.io passes the ack as the last argument; a client that sends none gets no reply.
    const ctx = { socketId: socket.id };
    const bucket = createMessageRateLimiter(maxMessageRate);
    const on = (event: keyof ClientToServerEvents, fn: RequestHandler) => {
      socket.on(event, (...args: unknown[]) => {
        // `emit(event, ack)` with no payload: the ack is the only argument, and still gets its answer.
        const ack = args.at(-1);
        const payload = args.length > 1 || typeof ack !== 'function' ? args[0] : undefined;
        const reply = toEnvelope(() => {
          if (!bucket.take()) throw tooManyMessages(maxMessageRate);
          return fn(payload, ctx);
        }, logger);
        if (typeof ack !== 'function') return;
        // socket.io drops an ack to a socket that has gone; nothing to check here.
        if (reply instanceof Promise) void reply.then((r) => (ack as (r: unknown) => void)(r));
        else (ack as (r: unknown) => void)(reply);
      });
    };
    for (const [event, fn] of Object.entries(handlers)) on(event as keyof ClientToServerEvents, fn);
    // An event nobody handles would leave its ack waiting for ever; answer it as the SDK channel does.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack !== 'function' || event === 'env:subscribe' || Object.hasOwn(handlers, String(event))) return;
      (ack as (r: unknown) => void)({ error: { code: 'BAD_REQUEST', message: `event: unknown event '${String(event)}'` } });
    });
    on('env:subscribe', (p) => {
      const snapshot = service.snapshot(p);
      // One env per socket: leave the rooms of others, then join.
      for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
      void socket.join(envRoom(snapshot.env));
      return snapshot;
    });
  });
}
