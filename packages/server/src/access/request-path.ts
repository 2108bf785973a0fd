/**
 * The path of a request URL, for the checks every request passes before a
 * router sees it (the gate, the login routes, Visdom's routes).
 * @module
 */
import type { IncomingMessage } from 'node:http';

/** What the checks read of a request: node:http's, or the lean path's (see http/lean-posts.ts). */
export type RequestHead = Pick<IncomingMessage, 'method' | 'url' | 'headers'>;

/**
 * The path of `url` without its query. Cut with indexOf: split('?') made an
 * array on every request, several times over.
 * @example pathOf('/env/main?x=1') // → '/env/main'
 */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
