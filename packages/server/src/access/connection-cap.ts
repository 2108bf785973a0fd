/**
 * At most `max` open connections from one address: the message-rate limit counts per connection,
 * so without a cap one client could multiply its share by opening sockets. One over the cap is
 * answered 429, naming the flag, before any route or upgrade sees it.
 * @module
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** What a refused connection reads: a whole HTTP response, since it may be a browser, an SDK upgrade or curl. */
function refusal(max: number): string {
  const body = `more than ${max} connections from this address are open; close some, or raise --max-connections-per-address\n`;
  return `HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Count `server`'s open connections by remote address and refuse those past `max`. */
export function capConnectionsPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      // Not counted: it closes right after the answer.
      socket.end(refusal(max));
      socket.destroySoon();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
