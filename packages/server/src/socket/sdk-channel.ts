/**
 * The SDK channel: a plain WebSocket at `/sdk` that answers the same request
 * events as socket.io, framed by `@cnnvis/protocol`'s sdk-frames. It exists
 * for speed: training code awaits every append, and a plain WebSocket round
 * trip costs a fraction of a socket.io one (bench/ measures both).
 * Browsers keep socket.io, whose rooms carry the live fan-out.
 * A client's unread replies count against `maxClientBufferBytes`: past it, its
 * frames are not read (see reply-gate.ts).
 * @module
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame, SDK_CHANNEL_PATH, type ServerHello } from '@cnnvis/protocol';
import { rejectUpgrade } from '../access/deny-response';
import { CnnvisError } from '../errors';
import type { Logger } from '../logger';
import { SERVER_DEFAULTS } from '../options';
import { createMessageRateLimiter, tooManyMessagesEnvelope } from './rate-limit';
import { createReplyGate, type ReplyGate } from './reply-gate';
import { toEnvelope, type RequestEvent, type RequestHandlers } from './request-handlers';

function badFrame(message: string): CnnvisError {
  return new CnnvisError({ code: 'BAD_REQUEST', message });
}

function toBytes(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? Buffer.from(data) : data;
}

interface ChannelOptions {
  maxPayloadBytes: number;
  logger: Logger;
  /** Why an upgrade may not open the channel (no token, foreign origin), or undefined. */
  deny?: (req: IncomingMessage) => CnnvisError | undefined;
  /** Messages per second per connection. @default SERVER_DEFAULTS.maxMessageRate */
  maxMessageRate?: number;
  /** Bytes of replies one client has not read beyond which its frames wait. @default SERVER_DEFAULTS.maxClientBufferBytes */
  maxClientBufferBytes?: number;
}

type Send = (parts: unknown[]) => void;

/**
 * Frames up to this many times the limit are read and answered with 413; beyond
 * it the socket is closed (1009) without reading more, to bound memory.
 */
const HARD_LIMIT_FACTOR = 2;

/** The request id from the first bytes of a frame, without parsing the rest. */
function peekId(bytes: Uint8Array, isBinary: boolean): number {
  const head = Buffer.from(bytes.subarray(isBinary ? 4 : 0, (isBinary ? 4 : 0) + 24)).toString('latin1');
  return Number(/^\[(\d{1,15}),/.exec(head)?.[1] ?? 0);
}

/**
 * Frames from this size on are sent with a callback that tells the gate when the socket
 * took them; smaller ones only when something is already waiting. So the replies of a
 * client that keeps up (small acks, an empty buffer) cost no callback, and the client
 * cannot pass the bound without a callback to come.
 */
const WATCH_FROM_BYTES = 64 * 1024;

/** Answer one frame; a frame that cannot be parsed gets an error reply with id 0. */
function answer(send: Send, data: RawData, isBinary: boolean, handlers: RequestHandlers, opts: ChannelOptions): void {
  let id = 0;
  const bytes = toBytes(data);
  const reply = toEnvelope(() => {
    if (bytes.byteLength > opts.maxPayloadBytes) {
      id = peekId(bytes, isBinary);
      throw new CnnvisError({
        code: 'PAYLOAD_TOO_LARGE',
        message: `the message takes ${bytes.byteLength} bytes but the limit is ${opts.maxPayloadBytes}`,
      });
    }
    let parts: unknown[];
    try {
      parts = decodeFrame(isBinary ? bytes : bytes.toString());
    } catch (err) {
      // The header's nesting is walked recursively; a pathological one runs out of stack.
      throw badFrame(err instanceof RangeError ? 'frame: the header nests too deep' : (err as Error).message);
    }
    const [rawId, event, payload] = parts;
    if (typeof rawId !== 'number' || !Number.isSafeInteger(rawId) || rawId <= 0) {
      throw badFrame('frame: the id must be a positive integer');
    }
    id = rawId;
    const handler = Object.hasOwn(handlers, String(event)) ? handlers[event as RequestEvent] : undefined;
    if (handler === undefined) throw badFrame(`event: unknown event '${String(event)}'`);
    return handler(payload, { push: (name, value) => send([0, name, value]) });
  }, opts.logger);
  if (reply instanceof Promise) void reply.then((r) => send([id, r]));
  else send([id, reply]);
}

/** Send unless the socket closed meanwhile (an async answer may outlive its requester), and tell the gate. */
function createSend(ws: WebSocket, gate: ReplyGate, watchFrom: number): Send {
  const taken = () => gate.check();
  return (parts) => {
    if (ws.readyState !== ws.OPEN) return;
    const frame = encodeFrame(parts);
    const size = typeof frame === 'string' ? frame.length : frame.byteLength;
    if (size >= watchFrom || ws.bufferedAmount > 0) ws.send(frame, taken);
    else ws.send(frame);
    gate.check();
  };
}

/** Serve one client: answer its frames in order while its unread replies stay within the bound. */
function serve(ws: WebSocket, handlers: RequestHandlers, hello: ServerHello, opts: ChannelOptions): void {
  const maxBytes = opts.maxClientBufferBytes ?? SERVER_DEFAULTS.maxClientBufferBytes;
  const gate = createReplyGate({
    maxBytes,
    backlog: () => ws.bufferedAmount,
    // Frames ws has already parsed still arrive; the gate holds them.
    pause: () => {
      ws.pause();
      return true;
    },
    resume: () => ws.resume(),
    isOpen: () => ws.readyState === ws.OPEN,
  });
  const send = createSend(ws, gate, Math.min(WATCH_FROM_BYTES, maxBytes));
  send([0, 'server:hello', hello]);
  const bucket = createMessageRateLimiter(opts.maxMessageRate);
  ws.on('message', (data, isBinary) => {
    const allowed = bucket.take();
    gate.submit(() => {
      if (allowed) answer(send, data, isBinary, handlers, opts);
      else send([peekId(toBytes(data), isBinary), tooManyMessagesEnvelope(bucket.rate)]);
    });
  });
  ws.on('close', () => gate.close());
  ws.on('error', () => ws.terminate());
}

export function attachSdkChannel(
  httpServer: HttpServer,
  handlers: RequestHandlers,
  hello: ServerHello,
  opts: ChannelOptions,
): WebSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxPayloadBytes * HARD_LIMIT_FACTOR,
    perMessageDeflate: false,
  });
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== SDK_CHANNEL_PATH) return; // socket.io handles its own path
    const denied = opts.deny?.(req);
    if (denied !== undefined) return rejectUpgrade(socket, denied);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket) => serve(ws, handlers, hello, opts));
  return wss;
}
