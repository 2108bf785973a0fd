/**
 * The one check every request and socket upgrade passes before anything else
 * sees it: the path's form, the token (when set, with failed checks throttled
 * per address), cross-site origins, DNS rebinding, and `--readonly`.
 * @module
 */
import { isIP, type Socket } from 'node:net';
import { CnnvisError } from '../errors';
import { presentsCredential, presentsToken, sessionValue } from './credentials';
import type { RequestEvent, RequestHandlers } from '../socket/request-handlers';
import { ambiguousPath, pathOf, type RequestHead } from './request-path';
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

/**
 * `--readonly` on the socket transports: the events that change something are answered with
 * FORBIDDEN; reads and subscriptions go on. Listed as the events that stay allowed, so an event
 * added later is refused until someone decides it only reads.
 */
const READ_EVENTS: ReadonlySet<string> = new Set<RequestEvent>(['window:get', 'env:list', 'run:compare']);

export function guardWrites(handlers: RequestHandlers, readonly: boolean): RequestHandlers {
  if (!readonly) return handlers;
  const guarded = { ...handlers };
  for (const event of Object.keys(handlers) as RequestEvent[]) {
    if (!READ_EVENTS.has(event)) {
      guarded[event] = () => {
        throw readonlyError();
      };
    }
  }
  return guarded;
}

/*
 * Cross-site requests: a page on another site can POST simple requests and open
 * WebSockets to a server on localhost without any token (CSRF, cross-site
 * WebSocket hijacking, DNS rebinding). Browsers always name the page's origin
 * on those, and scripts (the SDK, the Python client) send none, so an Origin
 * that names another host is refused.
 */

/** The host the client asked for, as a proxy passing `X-Forwarded-Host` saw it. */
function requestedHost(req: RequestHead): string | undefined {
  const forwarded = req.headers['x-forwarded-host'];
  const host = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() ?? req.headers.host;
  return host?.toLowerCase();
}

/** The foreign origin this request comes from, or undefined when it is same-origin or not from a browser. */
function foreignOrigin(req: RequestHead): string | undefined {
  const origin = req.headers.origin;
  if (origin === undefined || origin === '') return undefined;
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {
    return origin; // 'null' (sandboxed frames, file://) and garbage are foreign too
  }
  return host === requestedHost(req) ? undefined : origin;
}

/** The last Host judged, and the answer: {@link rebindingHost} depends on the Host alone. */
let last: { host: string | undefined; refused: string | undefined } = { host: undefined, refused: undefined };

/**
 * A Host header naming something other than this machine, on a server that
 * only listens on loopback without a token: a DNS-rebinding page (evil.example
 * resolving to 127.0.0.1) is same-origin with itself, so only the Host tells.
 */
function rebindingHost(req: RequestHead): string | undefined {
  const host = req.headers.host;
  if (host === undefined) return undefined;
  // A client sends the same Host on every request.
  if (host === last.host) return last.refused;
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  // 0.0.0.0 is this machine too (people type it); a rebinding page's Host is its own domain name, never a bare IP of ours.
  const refused = name === 'localhost' || name === '::1' || name === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(name) ? undefined : host;
  last = { host, refused };
  return refused;
}

/*
 * Refusing to expose an open server by accident: binding beyond loopback
 * without a token lets anyone on the network write, read and upload models.
 */

/** Hosts only this machine can reach. */
function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** Why these options may not start, or undefined. */
export function exposureProblem(opts: { host: string; token: string | undefined; insecure: boolean }): string | undefined {
  if (opts.token !== undefined || opts.insecure || isLoopback(opts.host)) return undefined;
  return (
    `refusing to listen on ${opts.host} without a token: anyone who can reach it could read and change every env and run uploaded models. ` +
    'Set --token (or CNNVIS_TOKEN), or pass --insecure if the network is trusted'
  );
}
