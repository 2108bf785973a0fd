/**
 * Cross-site requests: a page on another site can POST simple requests and open
 * WebSockets to a server on localhost without any token (CSRF, cross-site
 * WebSocket hijacking, DNS rebinding). Browsers always name the page's origin
 * on those, and scripts (the SDK, the Python client) send none, so an Origin
 * that names another host is refused.
 * @module
 */
import type { RequestHead } from './request-path';

/** The host the client asked for, as a proxy passing `X-Forwarded-Host` saw it. */
function requestedHost(req: RequestHead): string | undefined {
  const forwarded = req.headers['x-forwarded-host'];
  const host = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() ?? req.headers.host;
  return host?.toLowerCase();
}

/** The foreign origin this request comes from, or undefined when it is same-origin or not from a browser. */
export function foreignOrigin(req: RequestHead): string | undefined {
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
export function rebindingHost(req: RequestHead): string | undefined {
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
