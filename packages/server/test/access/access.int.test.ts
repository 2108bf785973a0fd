/**
 * `--token`: no route or socket answers without it, and every legitimate
 * client (SDK, browser login, the stock Visdom client's login) gets in.
 */
import { createHash } from 'node:crypto';
import { io } from 'socket.io-client';
import { CnnVis, CnnvisClientError } from '@cnnvis/client';
import { startServer, type TestServer } from '../../../../test/support/start-server';
import { pyDumps } from '../visdom/visdom-client';
import { rawRequest, tryWebSocket } from './raw-http';

const TOKEN = 'test-token-0123456789abcdef';
const MODEL = 'a'.repeat(64);

/**
 * A server with the token, holding something to read, so that an unguarded read route would answer 200.
 * Tests that present wrong tokens many times get their own: failed checks are throttled per address.
 */
async function seededServer(): Promise<TestServer> {
  const started = await startServer({ token: TOKEN });
  const viz = new CnnVis({ url: started.url, token: TOKEN, env: 'main' });
  await viz.line({ x: [1, 2], y: [3, 4] }, { win: 'w' });
  await viz.image({ data: new Uint8Array(16), shape: [4, 4] }, { win: 'img' });
  await viz.disconnect();
  return started;
}

let server: TestServer;
beforeAll(async () => {
  server = await seededServer();
});
afterAll(() => server.close());

const HTTP_ROUTES: Array<[method: string, path: string]> = [
  ['GET', '/'],
  ['GET', '/index.html'],
  ['GET', '/assets/index.js'],
  ['GET', '/api/status'],
  ['GET', '/api/envs'],
  ['GET', '/api/envs/main'],
  ['DELETE', '/api/envs/main'],
  ['POST', '/api/envs/main/fork'],
  ['PUT', '/api/envs/main/layout'],
  ['GET', '/api/envs/main/windows'],
  ['POST', '/api/envs/main/windows'],
  ['GET', '/api/envs/main/windows/w'],
  ['PATCH', '/api/envs/main/windows/w'],
  ['DELETE', '/api/envs/main/windows/w'],
  ['GET', '/api/envs/main/windows/img/images/0'],
  ['HEAD', `/api/models/${MODEL}`],
  ['PUT', `/api/models/${MODEL}`],
  ['GET', `/api/models/${MODEL}/graph`],
  ['GET', '/api/runs/r1/maps/t'],
  ['GET', '/api/runs/r1/maps/t/data'],
  ['GET', '/api/runs/r1/filters/n'],
  ['GET', '/api/runs/r1/filters/n/data'],
  ['GET', '/socket.io/?EIO=4&transport=polling'],
  ...['events', 'update', 'close', 'win_exists', 'win_data', 'env_state', 'env/main', 'save', 'fork_env', 'delete_env', 'vis_socket_wrap'].map(
    (e): [string, string] => ['POST', `/${e}`],
  ),
];
const SOCKET_PATHS = ['/vis_socket', '/socket.io/?EIO=4&transport=websocket'];

/** Ways of not having the token. */
const STRANGERS: Array<[name: string, headers: Record<string, string>]> = [
  ['no credentials', {}],
  ['a wrong bearer token', { authorization: `Bearer ${TOKEN}x` }],
  ['a forged login cookie', { cookie: 'cnnvis_session=forged' }],
  ['a forged Visdom cookie', { cookie: 'user_password=admin' }],
  ['the token as a cookie value', { cookie: `cnnvis_session=${TOKEN}` }],
];

function succeeded(status: number, location: unknown): boolean {
  if (status >= 200 && status < 300) return true;
  return status >= 300 && status < 400 && !String(location).startsWith('/login');
}

test('with a token set, no unauthenticated request succeeds on any route or socket', async () => {
  const server = await seededServer();
  let tries = 0;
  const successes: string[] = [];
  const silent: string[] = [];
  for (const [who, headers] of STRANGERS) {
    for (const [method, path] of HTTP_ROUTES) {
      const body = method === 'GET' || method === 'HEAD' ? undefined : pyDumps({ eid: 'main', win: 'w', data: [] });
      const res = await rawRequest(`${server.url}${path}`, { method, headers, body });
      tries++;
      if (succeeded(res.status, res.headers['location'])) successes.push(`${method} ${path} with ${who}: ${res.status}`);
      if (method !== 'HEAD' && res.text === '' && res.status !== 303) silent.push(`${method} ${path}`);
    }
    for (const path of SOCKET_PATHS) {
      const ws = await tryWebSocket(`${server.url.replace('http', 'ws')}${path}`, headers);
      tries++;
      if (ws.opened) successes.push(`WebSocket ${path} with ${who}`);
    }
    const socket = io(server.url, { transports: ['websocket', 'polling'], reconnection: false, forceNew: true, extraHeaders: headers });
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('connect_error', () => resolve(false));
    });
    socket.close();
    tries++;
    if (connected) successes.push(`socket.io with ${who}`);
  }
  await server.close();
  console.log(`access: ${successes.length} of ${tries} unauthenticated requests succeeded`);
  expect(successes).toEqual([]);
  expect(silent).toEqual([]);
  expect(tries).toBeGreaterThanOrEqual(150);
});

test('the same routes answer a client that presents the token', async () => {
  const refused: string[] = [];
  for (const [method, path] of HTTP_ROUTES) {
    const res = await rawRequest(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
    if (res.status === 401) refused.push(`${method} ${path}`);
  }
  expect(refused).toEqual([]);
  for (const path of SOCKET_PATHS) {
    expect((await tryWebSocket(`${server.url.replace('http', 'ws')}${path}`, { authorization: `Bearer ${TOKEN}` })).opened).toBe(true);
  }
});

test('the SDK sends its token; without one it fails at once with UNAUTHORIZED and the server message', async () => {
  const viz = new CnnVis({ url: server.url, token: TOKEN, env: 'sdk' });
  await viz.text('hello', { win: 'note' });
  expect((await viz.getWindow('note')).content).toMatchObject({ kind: 'text', text: 'hello' });
  await viz.disconnect();

  const stranger = new CnnVis({ url: server.url, token: undefined, env: 'sdk', connectTimeoutMs: 20_000 });
  const started = Date.now();
  const err = await stranger.text('nope', { win: 'note2' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CnnvisClientError);
  expect((err as CnnvisClientError).code).toBe('UNAUTHORIZED');
  expect((err as CnnvisClientError).message).toMatch(/token/);
  expect(Date.now() - started).toBeLessThan(10_000); // refused, not timed out
  await stranger.disconnect();
});

test('the SDK reads CNNVIS_TOKEN from the environment', async () => {
  process.env['CNNVIS_TOKEN'] = TOKEN;
  try {
    const viz = new CnnVis({ url: server.url, env: 'env-token' });
    await viz.text('from the environment', { win: 'note' });
    await viz.disconnect();
  } finally {
    delete process.env['CNNVIS_TOKEN'];
  }
});

test('a browser logs in once through the form and keeps an HttpOnly, SameSite cookie', async () => {
  const page = await rawRequest(`${server.url}/envs/main`, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(303);
  // Relative, so that it also works behind a proxy serving cnnvis under a prefix.
  expect(page.headers['location']).toBe('../login?next=%2Fenvs%2Fmain');
  expect((await rawRequest(`${server.url}/?env=a`, { headers: { accept: 'text/html' } })).headers['location']).toBe('login?next=%2F%3Fenv%3Da');
  const loginPage = await rawRequest(`${server.url}/login`);
  expect(loginPage.status).toBe(200);
  expect(loginPage.text).toContain('name="token"');
  expect(loginPage.text).not.toContain('<script');

  const form = (token: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, next: '/envs/main' }).toString(),
  });
  const wrong = await rawRequest(`${server.url}/login`, form('not-the-token'));
  expect(wrong.status).toBe(401);
  expect(wrong.headers['set-cookie']).toBeUndefined();
  expect(wrong.text).toContain('not the token');

  const right = await rawRequest(`${server.url}/login`, form(TOKEN));
  expect(right.status).toBe(303);
  expect(right.headers['location']).toBe('./envs/main');
  const setCookie = String(right.headers['set-cookie']);
  expect(setCookie).toMatch(/^cnnvis_session=[\w-]+;/);
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Lax/);
  expect(setCookie).not.toContain(TOKEN);
  const cookie = setCookie.split(';')[0] as string;

  expect((await rawRequest(`${server.url}/api/envs`, { headers: { cookie } })).status).toBe(200);
  const socket = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  socket.close();

  const out = await rawRequest(`${server.url}/logout`, { method: 'POST', headers: { cookie } });
  expect(String(out.headers['set-cookie'])).toMatch(/cnnvis_session=; .*Max-Age=0/);
});

test('the login form only redirects within this server', async () => {
  const res = await rawRequest(`${server.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: TOKEN, next: '//evil.example/' }).toString(),
  });
  expect(res.headers['location']).toBe('./');
});

test("the stock Visdom client's login maps onto the token", async () => {
  const login = (password: string) =>
    rawRequest(`${server.url}/`, {
      method: 'POST',
      body: pyDumps({ username: 'anyone', password: createHash('sha256').update(password).digest('hex') }),
    });
  const bad = await login('guess');
  expect(bad.status).toBe(400); // what makes the stock client raise 'Authentication failed'
  expect(bad.headers['set-cookie']).toBeUndefined();
  const good = await login(TOKEN);
  expect(good.status).toBe(200);
  const cookie = String(good.headers['set-cookie']).split(';')[0] as string;
  expect(cookie).toMatch(/^user_password=/);

  const created = await rawRequest(`${server.url}/events`, {
    method: 'POST',
    headers: { cookie },
    body: pyDumps({ eid: 'vis', win: 'note', data: [{ content: 'hi', type: 'text' }], opts: {} }),
  });
  expect(created).toMatchObject({ status: 200, text: 'note' });
  const socket = await tryWebSocket(`${server.url.replace('http', 'ws')}/vis_socket`, { cookie });
  expect(socket.opened).toBe(true);
  expect(socket.first).toContain('alive');
});

test('failed logins are throttled per address', async () => {
  const server = await startServer({ token: TOKEN });
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await rawRequest(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=guess${i}`,
    });
    statuses.push(res.status);
  }
  await server.close();
  expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
  expect(statuses.slice(10)).toEqual([429, 429]);
});

test('wrong tokens are throttled on every path; connections that showed the right one go on', async () => {
  const server = await startServer({ token: TOKEN });
  const sdk = new CnnVis({ url: server.url, token: TOKEN, env: 'flood' });
  await sdk.text('before', { win: 'note' });
  const guesses: number[] = [];
  for (let i = 0; i < 300; i++) {
    const headers: Record<string, string> = i % 3 === 0 ? { cookie: `cnnvis_session=guess${i}` } : { authorization: `Bearer guess-${i}-0123456789abcdef` };
    const post = i % 2 === 1;
    guesses.push((await rawRequest(`${server.url}${post ? '/update' : '/api/envs'}`, { method: post ? 'POST' : 'GET', headers, body: post ? '{}' : undefined })).status);
  }
  const polling = await rawRequest(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const right = await rawRequest(`${server.url}/api/envs`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const refusedSocket = await tryWebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { authorization: `Bearer ${TOKEN}` });
  // The SDK's connection showed the token before the flood: it is not locked out.
  await sdk.text('after', { win: 'note' });
  await sdk.disconnect();
  await server.close();
  console.log(`access: ${guesses.filter((s) => s === 401).length} of ${guesses.length} wrong tokens were checked, the rest refused 429`);
  expect(guesses.filter((s) => s !== 429 && s !== 401)).toEqual([]);
  expect(guesses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
  expect(guesses.slice(10).every((s) => s === 429)).toBe(true);
  // A new connection with the right token waits out the minute too, or the right guess would stand out.
  expect(right.status).toBe(429);
  expect(right.text).toMatch(/too many wrong tokens/);
  expect(refusedSocket).toMatchObject({ opened: false, status: 429 });
  expect(polling.status).toBe(403);
});
