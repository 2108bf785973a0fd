/**
 * `/vis_socket`: the stock Python client's back-channel. A plain WebSocket that says `alive` on
 * connect, then carries UI events to the script; `{"cmd":"echo"}` is re-sent to every client, as in
 * Visdom.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { rejectUpgrade } from '../access/deny-response';
import { badField, type CnnvisError } from '../errors';
import { createMessageRateLimiter, tooManyMessages } from '../socket/rate-limit';
import { ALIVE_MESSAGE, type VisEventHub } from './event-hub';

/** How much one `/vis_socket` client may send and be sent. */
export interface VisSocketLimits {
  /** Commands per second per connection. */
  maxMessageRate: number;
  /** Bytes waiting for a client that does not read, beyond which its events are dropped. */
  maxClientBufferBytes: number;
}

/** Handle a command a client sent (on the socket or through the polling wrapper). */
export function onClientCommand(hub: VisEventHub, text: string): void {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return; // Visdom ignores what it cannot read; so do we.
  }
  if (typeof msg === 'object' && msg !== null && (msg as { cmd?: unknown }).cmd === 'echo') hub.send(msg as Record<string, unknown>);
}

export function attachVisSocket(
  httpServer: HttpServer,
  hub: VisEventHub,
  path: string,
  deny: (req: IncomingMessage) => CnnvisError | undefined,
  limits: VisSocketLimits,
): WebSocketServer {
  const maxBuffered = limits.maxClientBufferBytes;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.url ?? '').split('?')[0] !== path) return; // socket.io takes its own path
    const denied = deny(req);
    if (denied !== undefined) return rejectUpgrade(socket, denied);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket) => {
    // UI events are notifications, not state: a script that stops reading misses some
    // rather than have them pile up in server memory.
    const remove = hub.add((text) => {
      if (ws.readyState === ws.OPEN && ws.bufferedAmount <= maxBuffered) ws.send(text);
    });
    ws.send(ALIVE_MESSAGE);
    const bucket = createMessageRateLimiter(limits.maxMessageRate);
    let refusing = false;
    ws.on('message', (data) => {
      if (bucket.take()) {
        refusing = false;
        onClientCommand(hub, String(data));
      } else if (!refusing) {
        // Visdom's protocol has no acks: say it once per flood (the client ignores unknown commands).
        refusing = true;
        const { code, message } = tooManyMessages(bucket.rate);
        ws.send(JSON.stringify({ command: 'error', code, message }));
      }
    });
    ws.on('close', remove);
    ws.on('error', () => ws.terminate());
  });
  return wss;
}

/** A polling queue idle this long is dropped: generous, as a script may block between polls. */
const IDLE_MS = 60_000;

/** Messages kept for a poller between queries; older ones are dropped (UI events, not state). */
const MAX_QUEUED_MESSAGES = 1000;

interface Wrapper {
  messages: string[];
  seen: number;
  remove: () => void;
}

/**
 * `/vis_socket_wrap`: the polling fallback of `/vis_socket` (the client's `use_polling=True`),
 * which is broken in Visdom 0.2.4.
 */
export function createVisSocketWrap(hub: VisEventHub) {
  const wrappers = new Map<string, Wrapper>();
  const reaper = setInterval(() => {
    const now = Date.now();
    for (const [sid, w] of wrappers) {
      if (now - w.seen > IDLE_MS) {
        w.remove();
        wrappers.delete(sid);
      }
    }
  }, Math.min(IDLE_MS, 10_000));
  reaper.unref();

  /** Answer one POST body; returns the JSON reply. */
  function handle(body: Record<string, unknown>): Record<string, unknown> {
    const type = body['message_type'];
    if (type === 'init') {
      const sid = randomUUID();
      const w: Wrapper = { messages: [ALIVE_MESSAGE], seen: Date.now(), remove: () => undefined };
      w.remove = hub.add((text) => {
        if (w.messages.push(text) > MAX_QUEUED_MESSAGES) w.messages.shift();
      });
      wrappers.set(sid, w);
      return { success: true, sid };
    }
    if (type !== 'query' && type !== 'send') throw badField('message_type', "must be 'init', 'query' or 'send'");
    const w = wrappers.get(String(body['sid']));
    if (w === undefined) return { success: false, reason: 'closed' };
    w.seen = Date.now();
    if (type === 'query') return { success: true, messages: w.messages.splice(0) };
    const message = body['message'];
    onClientCommand(hub, typeof message === 'string' ? message : JSON.stringify(message));
    return { success: true };
  }

  return {
    handle,
    close() {
      clearInterval(reaper);
      for (const w of wrappers.values()) w.remove();
      wrappers.clear();
    },
  };
}
