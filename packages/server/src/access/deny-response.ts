/**
 * Turning a refused request or upgrade into a reply: the JSON error envelope
 * for the API, a redirect to the login page for a browser opening a page, and
 * the message as plain text for everything else (the Visdom client returns
 * reply texts to the script, so the message is what its user sees).
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { toErrorBody, type CnnvisError } from '../errors';

/**
 * A relative way back to the server's root from this path (`/a/b` → `../`), so
 * the redirect also lands right behind a proxy that serves cnnvis under a prefix.
 */
function upToRoot(url: string): string {
  const depth = (url.split('?')[0] ?? '/').split('/').length - 2;
  return depth <= 0 ? '' : '../'.repeat(depth);
}

export function sendDenied(req: IncomingMessage, res: ServerResponse, error: CnnvisError): void {
  const url = req.url ?? '/';
  const wantsPage = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html') && !url.startsWith('/api/');
  if (error.code === 'UNAUTHORIZED' && wantsPage) {
    res.writeHead(303, { location: `${upToRoot(url)}login?next=${encodeURIComponent(url)}`, 'cache-control': 'no-store' });
    res.end();
    return;
  }
  const json = url.startsWith('/api/');
  const body = json ? JSON.stringify({ error: toErrorBody(error) }) : error.message;
  res.writeHead(error.status, {
    'content-type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
  // Leave the rest of a refused upload unread rather than buffering it.
  req.resume();
}

/** Refuse a WebSocket upgrade before any frame is exchanged. */
export function rejectUpgrade(socket: Duplex, error: CnnvisError): void {
  const body = error.message;
  socket.once('finish', () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${error.status} ${error.code}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
