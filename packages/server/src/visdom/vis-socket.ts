/**
 * `/vis_socket`: the stock Python client's back-channel. A plain WebSocket
 * (like the SDK channel) that says `alive` on connect, then carries UI events
 * to the script; `{"cmd":"echo"}` is re-sent to every client, as in Visdom.
 * @module
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ALIVE_MESSAGE, type VisEventHub } from './event-hub';

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

export function attachVisSocket(httpServer: HttpServer, hub: VisEventHub, path: string): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.url ?? '').split('?')[0] !== path) return; // the SDK channel and socket.io take theirs
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket) => {
    const remove = hub.add((text) => {
      if (ws.readyState === ws.OPEN) ws.send(text);
    });
    ws.send(ALIVE_MESSAGE);
    ws.on('message', (data) => onClientCommand(hub, String(data)));
    ws.on('close', remove);
    ws.on('error', () => ws.terminate());
  });
  return wss;
}
