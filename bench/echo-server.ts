/**
 * The limit every SDK figure is measured against: a bare socket.io server (the
 * SDK's transport) that acks whatever it receives, with no validation, storage
 * or fan-out. Prints its port on stdout.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { maxHttpBufferSize: 64 * 1024 * 1024, serveClient: false });
io.on('connection', (socket) => {
  socket.onAny((_event: string, ...args: unknown[]) => {
    const ack = args[args.length - 1];
    if (typeof ack === 'function') (ack as (r: unknown) => void)({ data: { ok: true } });
  });
});

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
// Exit cleanly on stop, so a profile asked for with --cpu-prof gets written.
process.on('SIGTERM', () => process.exit(0));
