/**
 * `--readonly`: viewers can read everything and change nothing, over HTTP,
 * the SDK channel, socket.io and the Visdom routes alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis, CnnvisClientError } from '@cnnvis/client';
import { call, connectSocket } from '../../../../test/support/socket-client';
import { startServer, type TestServer } from '../../../../test/support/start-server';
import { pyDumps } from '../visdom/visdom-client';
import { rawRequest, tryWebSocket } from './raw-http';

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
  const sdk = await tryWebSocket(`${server.url.replace('http', 'ws')}/sdk`);
  expect(sdk.opened).toBe(true);
  expect(JSON.parse(sdk.first ?? '[]')).toMatchObject([0, 'server:hello', { readonly: true }]);
});
