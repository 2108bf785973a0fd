/**
 * Where the UI is mounted (`/` or a prefix like `/cnnvis/`); every URL the UI builds goes through
 * here, since socket.io and the read API live under the same prefix.
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
