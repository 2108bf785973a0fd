/**
 * The one check every request and socket upgrade passes before anything else
 * sees it: the token (when set), cross-site origins, DNS rebinding, and
 * `--readonly` for the native HTTP API. The Visdom routes and socket events
 * apply readonly themselves, since only their bodies or event names say
 * whether they write.
 * @module
 */
import { CnnvisError } from '../errors';
import { presentsToken, sessionValue } from './credentials';
import { pathOf, type RequestHead } from './request-path';
import { foreignOrigin, rebindingHost } from './same-origin';

export interface AccessOptions {
  token: string | undefined;
  insecure: boolean;
  readonly: boolean;
}

/** Paths anyone may reach: the health check and the login page. */
const PUBLIC_PATHS = new Set(['/healthz', '/login', '/logout']);

export const READONLY_MESSAGE = 'this server is read-only (started with --readonly): nothing can be changed through it';

export function readonlyError(): CnnvisError {
  return new CnnvisError({ code: 'FORBIDDEN', message: READONLY_MESSAGE });
}

export interface AccessGate {
  readonly options: AccessOptions;
  /** Why this request or upgrade may not go on, or undefined. `visdomLogin`: the path is the Visdom client's login. */
  deny(req: RequestHead, opts?: { visdomLogin?: boolean }): CnnvisError | undefined;
}

function isRead(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

export function createAccessGate(options: AccessOptions): AccessGate {
  const unauthorized = new CnnvisError({
    code: 'UNAUTHORIZED',
    message: 'this server needs its token: send "Authorization: Bearer <token>", or log in at /login',
  });
  const session = options.token === undefined ? '' : sessionValue(options.token);
  return {
    options,
    deny(req, opts = {}) {
      const upgrade = req.headers.upgrade !== undefined;
      const origin = foreignOrigin(req);
      if (origin !== undefined && (upgrade || !isRead(req.method))) {
        return new CnnvisError({ code: 'FORBIDDEN', message: `cross-site request from ${origin} refused` });
      }
      if (options.token === undefined && !options.insecure) {
        const host = rebindingHost(req);
        if (host !== undefined) return new CnnvisError({ code: 'FORBIDDEN', message: `Host '${host}' refused: this server answers only to localhost without --token` });
      }
      if (options.token === undefined && !options.readonly) return undefined;
      const path = pathOf(req.url);
      if (options.token !== undefined && !PUBLIC_PATHS.has(path) && !opts.visdomLogin && !presentsToken(req, options.token, session)) return unauthorized;
      if (options.readonly && path.startsWith('/api/') && !isRead(req.method)) return readonlyError();
      return undefined;
    },
  };
}
