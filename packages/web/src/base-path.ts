/**
 * Where the UI is mounted. The server may serve it at `/` or under a prefix
 * such as `/cnnvis/`; socket.io and the read API live under the same prefix,
 * so every URL the UI builds goes through here.
 * @module
 */

/**
 * The directory part of a pathname, always ending in `/`.
 * @example
 * resolveBasePath('/cnnvis/') // '/cnnvis/'
 * resolveBasePath('/cnnvis/index.html') // '/cnnvis/'
 * resolveBasePath('/') // '/'
 */
export function resolveBasePath(pathname: string): string {
  const cut = pathname.lastIndexOf('/');
  return cut < 0 ? '/' : pathname.slice(0, cut + 1);
}

/**
 * Put a server path (`/api/...`) under the base path; leave full URLs alone.
 * @example
 * withBase('/cnnvis/', '/api/envs') // '/cnnvis/api/envs'
 */
export function withBase(base: string, path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return path;
  return base.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}
