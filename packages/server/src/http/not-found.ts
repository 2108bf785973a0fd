/**
 * The answer for a path no route takes: the error envelope with a message,
 * not express's HTML page. Visdom's `/compare` view gets a word of its own,
 * since scripts written for Visdom may call it.
 * @module
 */
import type { RequestHandler } from 'express';
import { CnnvisError } from '../errors';

export function createNotFoundHandler(baseUrl: string): RequestHandler {
  return (req, _res, next) => {
    const path = req.path;
    const message = path.startsWith(`${baseUrl}/compare/`)
      ? "Visdom's compare view (/compare) is not supported by cnnvis: open the envs one at a time, or fork them into one"
      : `no route for ${req.method} ${path}`;
    next(CnnvisError.notFound(message));
  };
}
