/**
 * Answering a request before its body was read (too large, refused, already
 * stored): the connection cannot carry another request, since the unread
 * body is still on its way, so it closes after the answer.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long an unread body is drained (read and dropped, never kept) after an early answer before the connection is cut. */
const DRAIN_GRACE_MS = 2000;

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
}

/**
 * Mark `res` as the connection's last answer. Draining for a moment first lets
 * a client that is still sending read the answer instead of a reset.
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete || !hasBody(req)) return;
  if (!res.headersSent) res.setHeader('Connection', 'close');
  req.resume();
  const cut = () => {
    const timer = setTimeout(() => req.socket.destroy(), DRAIN_GRACE_MS);
    timer.unref();
    req.once('end', () => clearTimeout(timer));
  };
  if (res.writableFinished) cut();
  else res.once('finish', cut);
}
