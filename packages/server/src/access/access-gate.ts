/**
 * The one check every request and socket upgrade passes before anything else
 * sees it: the path's form, the token (when set, with failed checks throttled
 * per address), cross-site origins, DNS rebinding, and `--readonly`.
 * @module
 */
import type { Socket } from 'node:net';
import { CnnvisError } from '../errors';
import { presentsCredential, presentsToken, sessionValue } from './credentials';
import { ambiguousPath, pathOf, type RequestHead } from './request-path';
import { foreignOrigin, rebindingHost } from './same-origin';
import { TokenThrottle } from './token-throttle';

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

export interface GateOptions {
  /** The path is the Visdom client's login: it passes without a token, and checks its password itself. */
  visdomLogin?: boolean;
  /**
   * The request goes to a route that refuses writes itself under `--readonly`, because only its
   * body or events say whether it writes (the Visdom routes, socket.io, the login forms).
   */
  guardsWrites?: boolean;
}

export interface AccessGate {
  readonly options: AccessOptions;
  /** Failed token checks and logins, per address; the login routes count theirs here too. */
  readonly throttle: TokenThrottle;
  /** Why this request or upgrade may not go on, or undefined. */
  deny(req: RequestHead, opts?: GateOptions): CnnvisError | undefined;
}

function isRead(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

function throttled(seconds: number): CnnvisError {
  return new CnnvisError({ code: 'TOO_MANY_REQUESTS', message: `too many wrong tokens from this address: try again in ${seconds} s` });
}

export function createAccessGate(options: AccessOptions): AccessGate {
  const unauthorized = new CnnvisError({
    code: 'UNAUTHORIZED',
    message: 'this server needs its token: send "Authorization: Bearer <token>", or log in at /login',
  });
  const session = options.token === undefined ? '' : sessionValue(options.token);
  const throttle = new TokenThrottle();
  // Connections that have shown the token: a flood of wrong guesses from their address does not lock them out.
  const trusted = new WeakSet<Socket>();

  function checkToken(req: RequestHead, token: string): CnnvisError | undefined {
    if (!presentsCredential(req)) return unauthorized;
    const address = req.socket.remoteAddress ?? '';
    if (!trusted.has(req.socket) && throttle.blocked(address)) return throttled(throttle.retryAfterS(address));
    if (!presentsToken(req, token, session)) {
      throttle.fail(address);
      return unauthorized;
    }
    trusted.add(req.socket);
    return undefined;
  }

  return {
    options,
    throttle,
    deny(req, opts = {}) {
      const path = pathOf(req.url);
      const ambiguous = ambiguousPath(path);
      if (ambiguous !== undefined) return new CnnvisError({ code: 'BAD_REQUEST', message: `path: has ${ambiguous}; send it in its plain form` });
      const upgrade = req.headers.upgrade !== undefined;
      const origin = foreignOrigin(req);
      if (origin !== undefined && (upgrade || !isRead(req.method))) {
        return new CnnvisError({ code: 'FORBIDDEN', message: `cross-site request from ${origin} refused` });
      }
      if (options.token === undefined && !options.insecure) {
        const host = rebindingHost(req);
        if (host !== undefined) return new CnnvisError({ code: 'FORBIDDEN', message: `Host '${host}' refused: this server answers only to localhost without --token` });
      }
      if (options.token !== undefined && !PUBLIC_PATHS.has(path) && opts.visdomLogin !== true) {
        const denied = checkToken(req, options.token);
        if (denied !== undefined) return denied;
      }
      // Every write is refused here but where the route itself tells reads from writes.
      if (options.readonly && !upgrade && !isRead(req.method) && opts.guardsWrites !== true) return readonlyError();
      return undefined;
    },
  };
}
