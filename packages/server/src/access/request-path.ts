/**
 * The path of a request, as the gate and every router see it. Routing is case-sensitive everywhere,
 * and a path that a proxy or a router could read two ways (empty or dot segments, a backslash) is
 * refused before any check, so the gate and the routers never disagree about the route a request
 * names.
 * @module
 */
import type { IncomingMessage } from 'node:http';

/** What the checks read of a request or an upgrade. */
export type RequestHead = Pick<IncomingMessage, 'method' | 'url' | 'headers' | 'socket'>;

/**
 * The path of `url` without its query.
 * @example pathOf('/env/main?x=1') // → '/env/main'
 */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** `//`, `/./`, `/../` (also at the end, and with the dots percent-encoded), or a backslash (browsers read it as `/`). */
const AMBIGUOUS = /\/\/|\/(?:\.|%2e){1,2}(?:\/|$)|\\/i;

/**
 * Why `path` is not in the one form the routers read, or undefined when it is.
 * @example ambiguousPath('/api/../envs') // → 'a "." or ".." segment'
 */
export function ambiguousPath(path: string): string | undefined {
  if (!path.startsWith('/')) return 'it does not start with "/"';
  const m = AMBIGUOUS.exec(path);
  if (m === null) return undefined;
  if (m[0] === '//') return 'an empty segment ("//")';
  if (m[0] === '\\') return 'a "\\"';
  return 'a "." or ".." segment';
}
