/**
 * The limits every figure is measured against: bare servers that ack whatever
 * they receive, with no validation, storage or fan-out. One process serves a
 * socket.io echo and a plain WebSocket echo at `/sdk` (the SDK's transport).
 * Prints its port on stdout.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';

const http = createServer();
const io = new Server(http, { maxHttpBufferSize: 64 * 1024 * 1024, serveClient: false, destroyUpgrade: false });
io.on('connection', (socket) => {
  socket.onAny((_event: string, ...args: unknown[]) => {
    const ack = args[args.length - 1];
    if (typeof ack === 'function') (ack as (r: unknown) => void)({ data: { ok: true } });
  });
});

// Reads the frame id the cheapest way (binary frames: from the JSON header) and answers it.
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024, perMessageDeflate: false });
http.on('upgrade', (req, socket, head) => {
  if (req.url?.startsWith('/sdk')) wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
});
wss.on('connection', (ws) => {
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const text = isBinary ? data.subarray(4, 4 + data.readUInt32BE(0)).toString() : data.toString();
    const id = Number(/^\[(\d+)/.exec(text)?.[1] ?? 0);
    ws.send(`[${id},{"data":{"ok":true}}]`);
  });
});

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
// Exit cleanly on stop, so a profile asked for with --cpu-prof gets written.
process.on('SIGTERM', () => process.exit(0));
