/**
 * The SDK channel: a plain WebSocket at `/sdk` that answers the same request
 * events as socket.io, framed by `@cnnvis/protocol`'s sdk-frames. It exists
 * for speed: training code awaits every append, and a plain WebSocket round
 * trip costs a fraction of a socket.io one (bench/ measures both).
 * Browsers keep socket.io, whose rooms carry the live fan-out.
 * @module
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame, SDK_CHANNEL_PATH, type ServerHello } from '@cnnvis/protocol';
import { CnnvisError } from '../errors';
import type { Logger } from '../logger';
import { toEnvelope, type RequestEvent, type RequestHandlers } from './request-handlers';

function badFrame(message: string): CnnvisError {
  return new CnnvisError({ code: 'BAD_REQUEST', message });
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** Answer one frame; a frame that cannot be parsed gets an error reply with id 0. */
function answer(ws: WebSocket, data: RawData, isBinary: boolean, handlers: RequestHandlers, logger: Logger): void {
  let id = 0;
  const reply = toEnvelope(() => {
    let parts: unknown[];
    try {
      parts = decodeFrame(isBinary ? toBytes(data) : toBytes(data).toString());
    } catch (err) {
      throw badFrame((err as Error).message);
    }
    const [rawId, event, payload] = parts;
    if (typeof rawId !== 'number' || !Number.isSafeInteger(rawId) || rawId <= 0) {
      throw badFrame('frame: the id must be a positive integer');
    }
    id = rawId;
    const handler = Object.hasOwn(handlers, String(event)) ? handlers[event as RequestEvent] : undefined;
    if (handler === undefined) throw badFrame(`event: unknown event '${String(event)}'`);
    return handler(payload);
  }, logger);
  ws.send(encodeFrame([id, reply]));
}

export function attachSdkChannel(
  httpServer: HttpServer,
  handlers: RequestHandlers,
  hello: ServerHello,
  opts: { maxPayloadBytes: number; logger: Logger },
): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayloadBytes, perMessageDeflate: false });
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== SDK_CHANNEL_PATH) return; // socket.io handles its own path
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket) => {
    ws.send(encodeFrame([0, 'server:hello', hello]));
    ws.on('message', (data, isBinary) => answer(ws, data, isBinary, handlers, opts.logger));
    ws.on('error', () => ws.terminate());
  });
  return wss;
}
