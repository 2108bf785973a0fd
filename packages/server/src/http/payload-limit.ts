/**
 * `--max-payload` at the head of a request: a body declared larger than the
 * limit is answered 413 at once and never read, rather than read (or drained)
 * in full first.
 * @module
 */
import type { RequestHandler } from 'express';
import { sendDenied } from '../access/deny-response';
import { closeAfterAnswer } from './close-after-answer';
import { declaredOver, payloadTooLarge } from './read-body';

export function refuseDeclaredOver(limit: number): RequestHandler {
  return (req, res, next) => {
    const declared = declaredOver(req, limit);
    if (declared === undefined) return next();
    closeAfterAnswer(req, res);
    sendDenied(req, res, payloadTooLarge(limit, declared));
  };
}
