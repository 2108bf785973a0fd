/**
 * `--readonly`: viewers can read everything and change nothing, over HTTP,
 * socket.io (the SDK's and the browsers') and the Visdom routes alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { CnnVis, CnnvisClientError } from '@cnnvis/client';
import { call, connectSocket } from '../../../../test/support/socket-client';
import { startServer, type TestServer } from '../../../../test/support/start-server';
import { pyDumps } from '../visdom/visdom-client';
import { rawRequest } from './raw-http';

let dataDir: string;
let server: TestServer;
beforeAll(async () => {
  // Fill a data dir with a writable server, then serve it read-only.
  dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-readonly-'));
  const writable = await startServer({ dataDir });
  const viz = new CnnVis({ url: writable.url, env: 'main' });
  await viz.line({ x: [1, 2], y: [3, 4] }, { win: 'loss' });
  await viz.disconnect();
  await writable.close();
  server = await startServer({ dataDir, readonly: true });
}, 30_000);
afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('reads answer as usual', async () => {
  const res = await rawRequest(`${server.url}/api/envs/main/windows/loss`);
  expect(res.status).toBe(200);
  const viz = new CnnVis({ url: server.url, env: 'main' });
  expect((await viz.getWindow('loss')).content.kind).toBe('plot');
  await viz.disconnect();
  const visdom = await rawRequest(`${server.url}/win_exists`, { method: 'POST', body: pyDumps({ eid: 'main', win: 'loss' }) });
  expect(visdom.text).toBe('true');
});

test('every write is refused with FORBIDDEN and changes nothing', async () => {
  const viz = new CnnVis({ url: server.url, env: 'main' });
  const err = await viz.line({ x: [3], y: [5] }, { win: 'loss', update: 'append' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CnnvisClientError);
  expect((err as CnnvisClientError).code).toBe('FORBIDDEN');
  expect((err as CnnvisClientError).message).toMatch(/read-only/);
  await expect(viz.deleteEnv('main')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  await viz.disconnect();

  const socket = await connectSocket(server.url);
  for (const [event, payload] of [
    ['window:close', { env: 'main', win: 'loss' }],
    ['layout:save', { env: 'main', items: [] }],
    ['env:fork', { env: 'main', to: 'copy' }],
    ['ui:event', { env: 'main', win: 'loss', event: { type: 'KeyPress', key: 'a', keyCode: 65 } }],
  ] as const) {
    const res = await call(socket, event, payload);
    expect(res).toMatchObject({ error: { code: 'FORBIDDEN' } });
  }
  socket.close();

  for (const [method, path] of [
    ['DELETE', '/api/envs/main'],
    ['POST', '/api/envs/main/windows'],
    ['PATCH', '/api/envs/main/windows/loss'],
    ['PUT', `/api/models/${'b'.repeat(64)}`],
  ]) {
    const res = await rawRequest(`${server.url}${path}`, { method, body: '{}' });
    expect([path, res.status]).toEqual([path, 403]);
    expect(res.text).toMatch(/read-only/);
  }
  for (const [endpoint, body] of [
    ['events', { eid: 'main', win: 'x', data: [{ content: 'hi', type: 'text' }] }],
    ['update', { eid: 'main', win: 'loss', data: [], append: true }],
    ['close', { eid: 'main', win: 'loss' }],
    ['delete_env', { eid: 'main' }],
    ['fork_env', { prev_eid: 'main', eid: 'copy' }],
    ['env/new', { eid: 'new' }],
    ['win_data', { eid: 'main', win: 'loss', data: '{}' }],
  ] as const) {
    const res = await rawRequest(`${server.url}/${endpoint}`, { method: 'POST', body: pyDumps(body) });
    expect([endpoint, res.status]).toEqual([endpoint, 403]);
    expect(res.text).toMatch(/read-only/);
  }

  const after = await rawRequest(`${server.url}/api/envs/main/windows`);
  const wins = JSON.parse(after.text) as Array<{ id: string; content: { traces: Array<{ x: number[] }> } }>;
  expect(wins.map((w) => w.id)).toEqual(['loss']);
  expect(wins[0]?.content.traces[0]?.x).toEqual([1, 2]);
  expect(JSON.parse((await rawRequest(`${server.url}/api/envs`)).text)).toHaveLength(1);
});

test('the hello tells clients the server is read-only', async () => {
  const socket = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    await expect(new Promise((resolve) => socket.once('server:hello', resolve))).resolves.toMatchObject({ readonly: true });
  } finally {
    socket.close();
  }
});

/** Every spelling of a path a router or proxy might read as another: case, empty and dot segments, encoded separators, a trailing slash. */
function spellings(path: string): string[] {
  const [, first = '', ...rest] = path.split('/');
  const tail = rest.join('/');
  return [
    path,
    `/${first.toUpperCase()}/${tail}`,
    `/${first[0]?.toUpperCase() ?? ''}${first.slice(1)}/${tail}`,
    `/${path}`,
    `${path}/`,
    `/${first}//${tail}`,
    `/${first}/./${tail}`,
    `/x/../${first}/${tail}`,
    `/x/%2e%2e/${first}/${tail}`,
    `/${first}%2F${tail}`,
    `/${first}%2f${tail}`,
    `/${first}\\${tail}`,
  ];
}

test('no spelling of a write path gets past --readonly, with or without --base-url', async () => {
  // A second read-only server, empty, with the Visdom routes under a prefix.
  const prefixed = await startServer({ readonly: true, baseUrl: '/visdom' });
  const writes: Array<[base: string, method: string, path: string, body: string]> = [];
  for (const base of [server.url, prefixed.url]) {
    for (const [method, path] of [
      ['POST', '/api/envs/main/windows'],
      ['DELETE', '/api/envs/main'],
      ['POST', '/api/envs/main/fork'],
      ['PATCH', '/api/envs/main/windows/loss'],
      ['DELETE', '/api/envs/main/windows/loss'],
      ['PUT', `/api/models/${'c'.repeat(64)}`],
    ] as const) {
      for (const p of spellings(path)) writes.push([base, method, p, JSON.stringify({ id: 'sneaky', kind: 'text', content: { kind: 'text', text: 'x' } })]);
    }
    const visdomBase = base === prefixed.url ? '/visdom' : '';
    for (const [endpoint, body] of [
      ['events', { eid: 'main', win: 'sneaky', data: [{ content: 'hi', type: 'text' }] }],
      ['update', { eid: 'main', win: 'loss', data: [{ x: [9], y: [9] }], append: true }],
      ['delete_env', { eid: 'main' }],
    ] as const) {
      for (const p of spellings(`${visdomBase}/${endpoint}`)) writes.push([base, 'POST', p, pyDumps(body)]);
    }
  }
  const through: string[] = [];
  for (const [base, method, path, body] of writes) {
    const res = await rawRequest(`${base}${path}`, { method, body });
    if (res.status < 300) through.push(`${method} ${path}: ${res.status}`);
  }
  const prefixedEnvs = JSON.parse((await rawRequest(`${prefixed.url}/api/envs`)).text) as unknown[];
  await prefixed.close();
  const wins = JSON.parse((await rawRequest(`${server.url}/api/envs/main/windows`)).text) as Array<{ id: string; content: { traces: Array<{ x: number[] }> } }>;
  console.log(`readonly: ${writes.length} path spellings of writes tried, ${through.length} got through`);
  expect(through).toEqual([]);
  expect(prefixedEnvs).toEqual([]);
  expect(wins.map((w) => w.id)).toEqual(['loss']);
  expect(wins[0]?.content.traces[0]?.x).toEqual([1, 2]);
});

test('routing is case-sensitive, and an ambiguous path is refused naming the problem', async () => {
  expect((await rawRequest(`${server.url}/API/envs`)).status).toBe(404);
  expect((await rawRequest(`${server.url}/api/envs`)).status).toBe(200);
  const dotted = await rawRequest(`${server.url}/x/../api/envs`);
  expect(dotted.status).toBe(400);
  expect(dotted.text).toMatch(/"\." or "\.\." segment/);
  const backslash = await rawRequest(`${server.url}/api\\envs`);
  expect(backslash.status).toBe(400);
  expect(backslash.text).toMatch(/a "\\"/);
  // An encoded "/" is part of one segment (a layer name such as /conv1/Conv), so no route takes this one.
  expect((await rawRequest(`${server.url}/api%2Fenvs`)).status).toBe(404);
});
