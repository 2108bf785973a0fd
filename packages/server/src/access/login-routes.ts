/**
 * Logging in: the browser's `/login` form (sets an HttpOnly, SameSite cookie),
 * `/logout`, and the stock Visdom client's login (`POST <base_url>/` with
 * `{"username", "password": sha256(password)}`), which maps onto the same
 * token: the password is the token, any username is accepted.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serialize } from 'cookie';
import { readTextBody } from '../http/read-body';
import { pathOf, type RequestHead } from './request-path';
import { sameSecret, SESSION_COOKIE, sessionValue, VISDOM_COOKIE, visdomPasswordHash } from './credentials';
import type { TokenThrottle } from './token-throttle';

const MAX_LOGIN_BODY = 16 * 1024;
const COOKIE_MAX_AGE_S = 30 * 24 * 3600;

/*
 * The login page: plain HTML and a form post, no script, so it works before
 * (and without) the UI bundle, which itself is behind the token.
 */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page; `problem` is shown above the form after a failed try. */
export function loginPage(next: string, problem?: string): string {
  const notice = problem === undefined ? '' : `<p class="problem" role="alert">${escapeHtml(problem)}</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>cnnvis — log in</title>
<style>
body{font:15px system-ui,sans-serif;background:#f4f5f7;color:#1d2430;display:grid;place-items:center;min-height:100vh;margin:0}
form{background:#fff;padding:28px 32px;border-radius:8px;box-shadow:0 2px 12px #0002;width:min(360px,90vw)}
h1{font-size:20px;margin:0 0 6px}p{margin:0 0 16px;color:#556}
input{width:100%;box-sizing:border-box;padding:8px;font:inherit;border:1px solid #bbc;border-radius:4px;margin-bottom:14px}
button{padding:8px 18px;font:inherit;border:0;border-radius:4px;background:#2f6fde;color:#fff;cursor:pointer}
.problem{color:#b3261e}
</style></head>
<body><form method="post" action="login">
<h1>cnnvis</h1><p>This server needs its access token (the value of <code>--token</code>).</p>${notice}
<input type="password" name="token" autocomplete="current-password" aria-label="token" placeholder="token" autofocus required>
<input type="hidden" name="next" value="${escapeHtml(next)}">
<button type="submit">Log in</button>
</form></body></html>
`;
}

/** A login body, or '' when it is too long or broken (then it is simply not the token). */
function readLoginBody(req: IncomingMessage): Promise<string> {
  return readTextBody(req, MAX_LOGIN_BODY).catch(() => '');
}

/** Only a path on this server, so the form cannot be made to redirect elsewhere. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

/** `/x` as seen from `/login`, relative, so it also works under a proxy's path prefix. */
function fromLogin(path: string): string {
  return `.${path}`;
}

/** `{token, next}` from a form post or a JSON body. */
function loginFields(text: string, contentType: string | undefined): { token?: unknown; next?: unknown } {
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(text);
    return { token: form.get('token') ?? undefined, next: form.get('next') ?? undefined };
  }
  return jsonFields(text);
}

/** A JSON body's fields; none when it is not a JSON object. */
function jsonFields(text: string): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function isHttps(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
}

function cookie(req: IncomingMessage, name: string, value: string, maxAge = COOKIE_MAX_AGE_S): string {
  return serialize(name, value, { path: '/', maxAge, httpOnly: true, sameSite: 'lax', secure: isHttps(req) });
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    // The login page runs no script and may not be framed (clickjacking of the form).
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    ...headers,
  });
  res.end(body);
}

export interface LoginRoutesOptions {
  token: string | undefined;
  baseUrl: string;
  /** Failed tries per address, shared with the gate's token checks. */
  throttle: TokenThrottle;
}

/** Answers the login routes and returns true, or returns false for anything else. */
export function createLoginRoutes(opts: LoginRoutesOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { throttle } = opts;
  const session = opts.token === undefined ? undefined : sessionValue(opts.token);

  async function browserLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = req.socket.remoteAddress ?? '';
    const { token, next } = loginFields(await readLoginBody(req), req.headers['content-type']);
    const to = safeNext(next);
    if (opts.token === undefined || session === undefined) return send(res, 303, 'text/plain', 'no token needed', { location: fromLogin(to) });
    if (throttle.blocked(address)) return send(res, 429, 'text/html', loginPage(to, 'Too many failed tries: wait a minute.'));
    if (typeof token !== 'string' || !sameSecret(token, opts.token)) {
      throttle.fail(address);
      return send(res, 401, 'text/html', loginPage(to, 'That is not the token this server was started with.'));
    }
    throttle.succeed(address);
    send(res, 303, 'text/plain', 'logged in', { location: fromLogin(to), 'set-cookie': cookie(req, SESSION_COOKIE, session) });
  }

  async function visdomLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = req.socket.remoteAddress ?? '';
    const text = await readLoginBody(req);
    if (opts.token === undefined || session === undefined) return send(res, 200, 'text/plain', '');
    if (throttle.blocked(address)) return send(res, 429, 'text/plain', 'too many failed logins: wait a minute');
    const password = jsonFields(text)['password'];
    // Visdom answers a failed login with 400, which makes its client raise 'Authentication failed'.
    if (typeof password !== 'string' || !sameSecret(password, visdomPasswordHash(opts.token))) {
      throttle.fail(address);
      return send(res, 400, 'text/plain', 'authentication failed: the password must be the server\'s --token');
    }
    throttle.succeed(address);
    send(res, 200, 'text/plain', '', { 'set-cookie': cookie(req, VISDOM_COOKIE, session) });
  }

  const visdomLoginPath = `${opts.baseUrl}/`;
  return (req, res) => {
    const path = pathOf(req.url);
    if (path === '/login' && req.method === 'GET') {
      const next = safeNext(new URL(req.url ?? '/', 'http://x').searchParams.get('next'));
      send(res, 200, 'text/html', loginPage(next));
      return true;
    }
    if (path === '/login' && req.method === 'POST') return void browserLogin(req, res), true;
    if (path === '/logout' && req.method === 'POST') {
      const gone = [cookie(req, SESSION_COOKIE, '', 0), cookie(req, VISDOM_COOKIE, '', 0)];
      send(res, 303, 'text/plain', 'logged out', { location: 'login', 'set-cookie': gone });
      return true;
    }
    if (req.method === 'POST' && path === visdomLoginPath) return void visdomLogin(req, res), true;
    return false;
  };
}

/** Whether this request is the Visdom client's login (it must pass the gate without a cookie). */
export function isVisdomLogin(req: RequestHead, baseUrl: string): boolean {
  if (req.method !== 'POST') return false;
  const path = pathOf(req.url);
  // `${baseUrl}/` without building it on every request.
  return path.length === baseUrl.length + 1 && path.endsWith('/') && path.startsWith(baseUrl);
}

/** Whether this request goes to a login route, which reads its body only to check the token (so `--readonly` lets it through). */
export function isLoginRoute(req: RequestHead, baseUrl: string): boolean {
  const path = pathOf(req.url);
  return req.method === 'POST' && (path === '/login' || path === '/logout' || isVisdomLogin(req, baseUrl));
}
