/**
 * socket.io events → the shared request handlers, plus `env:subscribe`, which joins the env's room
 * for live deltas. Acks count against `maxClientBufferBytes` like a browser's deltas: a
 * request/reply client cannot be resynced, so past the bound it gets its answers late
 * (reply-gate.ts) rather than losing its connection.
 * @module
 */
import type { Server, Socket } from 'socket.io';
import { EnvTargetSchema, type ClientToServerEvents, type ServerHello, type ServerToClientEvents, type SocketAuth } from '@cnnvis/protocol';
import { envRoom } from '../broadcaster';
import type { Logger } from '../logger';
import type { RequestContext } from '../request-context';
import { validate, type WindowService } from '../window-service';
import { trackBacklog } from './client-backlog';
import { createMessageRateLimiter, tooManyMessages } from './rate-limit';
import { createReplyGate, type ReplyGate } from './reply-gate';
import { toEnvelope, type RequestHandler, type RequestHandlers } from './request-handlers';

type IO = Server<ClientToServerEvents, ServerToClientEvents>;
type ClientSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface SocketHandlersOptions {
  handlers: RequestHandlers;
  service: WindowService;
  hello: ServerHello;
  logger: Logger;
  /** Messages per second per connection. */
  maxMessageRate: number;
  /** Bytes of replies one client has not read beyond which its requests wait. */
  maxClientBufferBytes: number;
}

/**
 * Requests held for a client over the bound on HTTP long-polling, which cannot stop
 * reading, before it is disconnected: each may carry a payload up to the payload limit.
 */
const MAX_HELD_WHILE_POLLING = 64;

/** Requests of one socket answered at once: each may hold a reply the bound cannot count yet. */
const MAX_PENDING_ANSWERS = 4;

/** The gate of one socket: its acks count against the bound; past it, its requests wait. */
function gateOf(socket: ClientSocket, maxBytes: number, logger: Logger): ReplyGate {
  const backlog = trackBacklog(socket, () => gate.check());
  const gate = createReplyGate({
    maxBytes,
    backlog: backlog.bytes,
    pause: backlog.pause,
    resume: backlog.resume,
    isOpen: backlog.isOpen,
    maxHeld: MAX_HELD_WHILE_POLLING,
    maxPending: MAX_PENDING_ANSWERS,
    overflow: () => {
      logger.info(
        `socket.io client ${socket.id} disconnected: it sent more than ${MAX_HELD_WHILE_POLLING} requests over long-polling ` +
          `while more than ${maxBytes} bytes of replies were waiting for it (--max-client-buffer)`,
      );
      socket.disconnect(true);
    },
  });
  socket.on('disconnect', () => gate.close());
  return gate;
}

interface Corkable {
  cork(): void;
  uncork(): void;
}

/** The TCP socket under an engine.io WebSocket transport (`ws` keeps it as `_socket`); none under long-polling. */
function tcpOf(transport: unknown): Corkable | undefined {
  return (transport as { socket?: { _socket?: Corkable } }).socket?._socket;
}

/**
 * Each flush of engine.io's write buffer (the acks that waited for the last
 * write) goes to the TCP socket as one write: engine.io writes each packet on
 * its own, a system call and a wake-up of the client apiece. engine.io emits
 * `flush` and `drain` right before and after it hands the packets over.
 */
function writeFlushesWhole(socket: ClientSocket): void {
  let corked: Corkable | undefined;
  socket.conn.on('flush', () => {
    corked = tcpOf(socket.conn.transport);
    corked?.cork();
  });
  socket.conn.on('drain', () => {
    corked?.uncork();
    corked = undefined;
  });
}

/** Answer every request event on each socket.io connection, in order, through its reply gate. */
export function registerSocketHandlers(io: IO, opts: SocketHandlersOptions): void {
  const { handlers, service, hello, logger, maxMessageRate, maxClientBufferBytes: maxBytes } = opts;
  io.on('connection', (socket: ClientSocket) => {
    socket.emit('server:hello', hello);
    // The SDK names itself in its handshake: it hears progress only of jobs it named, and a close from it is not a viewer's.
    const sdk = (socket.handshake.auth as SocketAuth).client === 'sdk';
    // Pushes to this server's own socket (`local`): across servers, socket.emit would wait for a Redis
    // round trip and so could come after the reply it precedes; an SDK resends, it never replays.
    const ctx: RequestContext = sdk ? { push: (event, p) => io.local.to(socket.id).emit(event, p) } : { socketId: socket.id };
    const bucket = createMessageRateLimiter(maxMessageRate);
    const gate = gateOf(socket, maxBytes, logger);
    writeFlushesWhole(socket);
    const reply = (ack: unknown, r: unknown) => {
      // socket.io drops an ack to a socket that has gone; the gate is closed then too.
      (ack as (r: unknown) => void)(r);
      gate.check();
    };
    const on = (event: keyof ClientToServerEvents, fn: RequestHandler) => {
      socket.on(event, (...args: unknown[]) => {
        // socket.io passes the ack last; `emit(event, ack)` with no payload still gets its answer, one without an ack none.
        const ack = args.at(-1);
        const payload = args.length > 1 || typeof ack !== 'function' ? args[0] : undefined;
        const allowed = bucket.take();
        gate.submit(() => {
          const r = toEnvelope(() => {
            if (!allowed) throw tooManyMessages(maxMessageRate);
            return fn(payload, ctx);
          }, logger);
          if (typeof ack !== 'function') return undefined;
          if (r instanceof Promise) return r.then((settled) => reply(ack, settled));
          reply(ack, r);
          return undefined;
        });
      });
    };
    for (const [event, fn] of Object.entries(handlers)) on(event as keyof ClientToServerEvents, fn);
    // An event nobody handles would leave its ack waiting for ever: answer it.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack !== 'function' || event === 'env:subscribe' || Object.hasOwn(handlers, String(event))) return;
      gate.submit(() => reply(ack, { error: { code: 'BAD_REQUEST', message: `event: unknown event '${String(event)}'` } }));
    });
    on('env:subscribe', async (p) => {
      const { env } = validate(EnvTargetSchema, p);
      // One env per socket: leave the rooms of others, then join. Joined before the snapshot is read,
      // so a change committed meanwhile comes as a delta too (the browser drops what its snapshot holds, by rev).
      for (const room of socket.rooms) if (room !== socket.id && room !== envRoom(env)) await socket.leave(room);
      await socket.join(envRoom(env));
      return service.snapshot({ env });
    });
  });
}
