/**
 * The answer for a path no route takes: a message, not express's HTML page.
 * Outside `/api` it is plain text, as Visdom's replies are (a stock client
 * pointed at the wrong base URL hands the text to its script). Visdom's
 * `/compare` view gets a word of its own, since scripts written for Visdom
 * may call it.
 * @module
 */
import type { RequestHandler } from 'express';
import { CnnvisError } from '../errors';

export function createNotFoundHandler(baseUrl: string): RequestHandler {
  return (req, res, next) => {
    const path = req.path;
    const message = path.startsWith(`${baseUrl}/compare/`)
      ? "Visdom's compare view (/compare) is not supported by cnnvis: open the envs one at a time, or fork them into one"
      : `no route for ${req.method} ${path}`;
    if (path.startsWith('/api/')) return next(CnnvisError.notFound(message));
    res.status(404).type('text/plain').send(message);
  };
}
