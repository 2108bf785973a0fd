/**
 * HTTP/1.1 answers the requests of one connection in the order they came; cnnvis also handles them
 * in that order, each once the one before it is answered, so pipelined requests (a kept-alive
 * Visdom client) take effect in the order they were sent, whichever store answers them.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Wrap a request listener so that a connection's requests reach it one at a time, in order. A
 * request waits for the previous one's answer to finish (or its connection to close); requests of
 * other connections do not wait. A waiting request's body is not read, so node:http stops reading
 * the connection, which bounds what a client can pile up.
 */
export function inConnectionOrder(handle: Handler): Handler {
  const last = new WeakMap<Socket, Promise<void>>();
  return (req, res) => {
    const before = last.get(req.socket);
    const answered = new Promise<void>((resolve) => {
      res.once('finish', resolve);
      res.once('close', resolve);
    });
    last.set(req.socket, answered);
    if (before === undefined) handle(req, res);
    else void before.then(() => handle(req, res));
  };
}
