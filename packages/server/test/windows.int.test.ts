/**
 * The server through its real transports: socket.io writes, a subscriber's
 * deltas, and the HTTP read API.
 */
import { inflateSync } from 'node:zlib';
import type { EnvSnapshot, Window, WindowDelta } from '@cnnvis/protocol';
import { startServer, eventually, type TestServer } from '../../../test/support/start-server';
import { callOk, connectSocket, record, type TestSocket } from '../../../test/support/socket-client';

let server: TestServer;
let writer: TestSocket;
let viewer: TestSocket;

beforeEach(async () => {
  server = await startServer();
  writer = await connectSocket(server.url);
  viewer = await connectSocket(server.url);
});
afterEach(async () => {
  writer.close();
  viewer.close();
  await server.close();
});

const getJson = async <T>(path: string): Promise<T> => {
  const res = await fetch(server.url + path);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};

const line = (x: number[], y: number[]) => ({
  env: 'e1',
  win: 'loss',
  content: { kind: 'plot', traces: [{ name: 'train', type: 'scatter', mode: 'lines', x, y }] },
  opts: { title: 'Loss', xlabel: 'step' },
});

test('an append reaches subscribers as only the new points, and reads back whole', async () => {
  await callOk(writer, 'window:create', line([0, 1], [1, 0.9]));
  const snap = await callOk<EnvSnapshot>(viewer, 'env:subscribe', { env: 'e1' });
  expect(snap.windows.map((w) => w.id)).toEqual(['loss']);
  const seen = record(viewer, ['window:updated']);

  const ack = await callOk<{ rev: number }>(writer, 'window:update', {
    env: 'e1',
    win: 'loss',
    op: { type: 'append', traces: [{ name: 'train', x: [2], y: [0.8] }] },
  });
  await callOk(writer, 'window:update', {
    env: 'e1',
    win: 'loss',
    op: { type: 'append', traces: [{ name: 'val', x: [2], y: [0.95] }] },
  });
  await eventually(() => seen.length === 2);
  const delta = seen[0]?.payload as WindowDelta;
  expect(delta).toEqual({ env: 'e1', win: 'loss', rev: ack.rev, op: { type: 'append', traces: [{ name: 'train', x: [2], y: [0.8] }] } });

  const win = await getJson<Window>('/api/envs/e1/windows/loss');
  expect(win.kind).toBe('plot');
  expect(win.opts).toEqual({ title: 'Loss', xlabel: 'step' });
  expect(win.content).toEqual({
    kind: 'plot',
    traces: [
      { name: 'train', type: 'scatter', mode: 'lines', x: [0, 1, 2], y: [1, 0.9, 0.8] },
      { name: 'val', type: 'scatter', mode: 'lines', x: [2], y: [0.95] },
    ],
  });
});

test('an update that carries orCreate creates a missing window in that one request, and only changes one that exists', async () => {
  await callOk(viewer, 'env:subscribe', { env: 'e1' });
  const seen = record(viewer, ['window:created', 'window:updated']);
  const append = (x: number) => ({ env: 'e1', win: 'loss', op: { type: 'append', traces: [{ name: 'train', x: [x], y: [x / 10] }] } });
  const orCreate = (x: number) => ({ content: line([x], [x / 10]).content, opts: { title: 'Loss' } });
  // Without orCreate (as the web UI sends updates) a missing window stays missing.
  await expect(callOk(writer, 'window:update', append(0))).rejects.toThrow(/NOT_FOUND window 'loss' not found in env 'e1'/);
  const created = await callOk<{ rev: number }>(writer, 'window:update', { ...append(0), orCreate: orCreate(0) });
  await callOk(writer, 'window:update', { ...append(1), orCreate: orCreate(1) });
  await eventually(() => seen.length === 2);
  expect(seen.map((e) => e.event)).toEqual(['window:created', 'window:updated']);
  expect((seen[0]?.payload as Window).rev).toBe(created.rev);
  const win = await getJson<Window>('/api/envs/e1/windows/loss');
  expect(win.opts).toEqual({ title: 'Loss' });
  expect(win.content).toEqual({ kind: 'plot', traces: [{ name: 'train', type: 'scatter', mode: 'lines', x: [0, 1], y: [0, 0.1] }] });
  // Over HTTP the same: PATCH takes an op, or { op, orCreate }.
  const patch = await fetch(`${server.url}/api/envs/e1/windows/log`, {
    method: 'PATCH',
    body: JSON.stringify({ op: { type: 'appendText', text: 'a' }, orCreate: { content: { kind: 'text', text: 'a' } } }),
  });
  expect(patch.status).toBe(200);
  expect((await getJson<Window>('/api/envs/e1/windows/log')).content).toEqual({ kind: 'text', text: 'a' });
});

test('append by index, replace, remove and opts', async () => {
  await callOk(writer, 'window:create', line([0], [1]));
  const update = (op: unknown) => callOk(writer, 'window:update', { env: 'e1', win: 'loss', op });
  await update({ type: 'append', traces: [{ index: 0, x: [1], y: [2] }] });
  await update({ type: 'replace', traces: [{ name: 'b', x: [5, 6], y: [7, 8] }] });
  await update({ type: 'replace', traces: [{ name: 'train', x: [9], y: [9] }] });
  await update({ type: 'opts', opts: { ylabel: 'loss' } });
  let win = await getJson<Window>('/api/envs/e1/windows/loss');
  expect(win.content.kind === 'plot' && win.content.traces.map((t) => [t.name, t.x, t.y])).toEqual([
    ['train', [9], [9]],
    ['b', [5, 6], [7, 8]],
  ]);
  expect(win.opts.ylabel).toBe('loss');
  await update({ type: 'remove', name: 'train' });
  win = await getJson<Window>('/api/envs/e1/windows/loss');
  expect(win.content.kind === 'plot' && win.content.traces.map((t) => t.name)).toEqual(['b']);
});

test('heatmap rows and columns grow on every edge', async () => {
  await callOk(writer, 'window:create', {
    env: 'e1',
    win: 'hm',
    content: { kind: 'plot', traces: [{ name: 'z', type: 'heatmap', z: [[1, 2], [3, 4]] }] },
  });
  const edge = (edge: string, z: number[][]) =>
    callOk(writer, 'window:update', { env: 'e1', win: 'hm', op: { type: 'heatmap', edge, z } });
  await edge('appendRow', [[5, 6]]);
  await edge('prependRow', [[0, 0]]);
  await edge('appendColumn', [[7], [8], [9], [10]]);
  await edge('prependColumn', [[-1], [-2], [-3], [-4]]);
  const win = await getJson<Window>('/api/envs/e1/windows/hm');
  expect(win.content.kind === 'plot' && win.content.traces[0]?.z).toEqual([
    [-1, 0, 0, 7],
    [-2, 1, 2, 8],
    [-3, 3, 4, 9],
    [-4, 5, 6, 10],
  ]);
});

test('text appends, and windows keep their creation order', async () => {
  await callOk(writer, 'window:create', { env: 'e1', win: 't', content: { kind: 'text', text: 'a' } });
  await callOk(writer, 'window:create', { env: 'e1', win: 'u', content: { kind: 'text', text: 'x' } });
  await callOk(writer, 'window:update', { env: 'e1', win: 't', op: { type: 'appendText', text: '<b>b</b>' } });
  // Replacing a window keeps its place.
  await callOk(writer, 'window:create', { env: 'e1', win: 't', content: { kind: 'text', text: 'a<b>b</b>!' } });
  const wins = await getJson<Window[]>('/api/envs/e1/windows');
  expect(wins.map((w) => [w.id, w.content.kind === 'text' && w.content.text])).toEqual([
    ['t', 'a<b>b</b>!'],
    ['u', 'x'],
  ]);
});

test('raw images come back as PNG URLs, encoded images as they were sent', async () => {
  const data = new Uint8Array(3 * 4 * 5).map((_, i) => i);
  await callOk(writer, 'window:create', {
    env: 'e1',
    win: 'img',
    content: { kind: 'image', images: [{ encoding: 'raw', shape: [3, 4, 5], data, caption: 'noise' }] },
    opts: { caption: 'epoch 1' },
  });
  const win = await getJson<Window>('/api/envs/e1/windows/img');
  if (win.content.kind !== 'image') throw new Error('not an image window');
  const ref = win.content.images[0];
  expect(ref).toMatchObject({ mime: 'image/png', width: 5, height: 4, caption: 'noise' });
  expect(JSON.stringify(win)).not.toMatch(/base64/);
  const res = await fetch(server.url + (ref?.url ?? ''));
  expect(res.headers.get('content-type')).toBe('image/png');
  const png = Buffer.from(await res.arrayBuffer());
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  // IDAT holds one filter byte then interleaved RGB per row: pixel (0,0) is (0, 20, 40).
  const idatAt = png.indexOf('IDAT');
  const idatLen = png.readUInt32BE(idatAt - 4);
  const raw = inflateSync(png.subarray(idatAt + 4, idatAt + 4 + idatLen));
  expect([...raw.subarray(0, 4)]).toEqual([0, 0, 20, 40]);

  // The same PNG bytes, sent encoded, are stored and served unchanged.
  await callOk(writer, 'window:create', {
    env: 'e1',
    win: 'png',
    content: { kind: 'image', images: [{ encoding: 'png', data: png }] },
  });
  const win2 = await getJson<Window>('/api/envs/e1/windows/png');
  const url = win2.content.kind === 'image' ? win2.content.images[0]?.url : '';
  const again = Buffer.from(await (await fetch(server.url + url)).arrayBuffer());
  expect(again.equals(png)).toBe(true);
});

test('a new env reaches the pickers once, with its first window', async () => {
  const changes = record(viewer, ['envs:changed']);
  await callOk(writer, 'window:create', line([0], [1]));
  // More windows in the env, and a replace, change no env list: the next envs:changed is e2's.
  await callOk(writer, 'window:create', { env: 'e1', win: 'note', content: { kind: 'text', text: 'hi' } });
  await callOk(writer, 'window:create', line([0, 1], [1, 2]));
  await callOk(writer, 'window:create', { env: 'e2', win: 'note', content: { kind: 'text', text: 'hi' } });
  await eventually(() => changes.length >= 2);
  const ids = changes.map((c) => (c.payload as Array<{ id: string }>).map((e) => e.id));
  expect(ids).toEqual([['e1'], ['e1', 'e2']]);
});

test('close, fork and delete envs, with envs:changed for pickers', async () => {
  await callOk(writer, 'window:create', line([0], [1]));
  await callOk(writer, 'window:create', { env: 'e1', win: 'note', content: { kind: 'text', text: 'hi' } });
  const changes = record(viewer, ['envs:changed']);
  const fork = await callOk<{ id: string; windows: number }>(writer, 'env:fork', { from: 'e1', to: 'e2' });
  expect(fork).toMatchObject({ id: 'e2', windows: 2 });
  await callOk(writer, 'window:update', { env: 'e2', win: 'loss', op: { type: 'append', traces: [{ index: 0, x: [1], y: [2] }] } });
  const original = await getJson<Window>('/api/envs/e1/windows/loss');
  const forked = await getJson<Window>('/api/envs/e2/windows/loss');
  expect(original.content.kind === 'plot' && original.content.traces[0]?.y).toEqual([1]);
  expect(forked.content.kind === 'plot' && forked.content.traces[0]?.y).toEqual([1, 2]);

  await callOk(writer, 'window:close', { env: 'e2', win: 'note' });
  expect((await fetch(`${server.url}/api/envs/e2/windows/note`)).status).toBe(404);
  await callOk(writer, 'env:delete', { env: 'e1' });
  const envs = await getJson<Array<{ id: string; windows: number }>>('/api/envs');
  expect(envs.map((e) => [e.id, e.windows])).toEqual([['e2', 1]]);
  await eventually(() => changes.length === 2);
});

test('layout is saved per env and sent to viewers', async () => {
  await callOk(writer, 'window:create', line([0], [1]));
  await callOk(viewer, 'env:subscribe', { env: 'e1' });
  const seen = record(viewer, ['layout:saved']);
  await callOk(writer, 'layout:save', { env: 'e1', items: [{ win: 'loss', x: 2, y: 0, w: 4, h: 3 }] });
  const win = await getJson<Window>('/api/envs/e1/windows/loss');
  expect(win.layout).toEqual({ x: 2, y: 0, w: 4, h: 3 });
  await eventually(() => seen.length === 1);
});

test('viewers of another env get nothing', async () => {
  await callOk(viewer, 'env:subscribe', { env: 'other' });
  const seen = record(viewer, ['window:created', 'window:updated']);
  await callOk(writer, 'window:create', line([0], [1]));
  await callOk(viewer, 'env:list', {});
  expect(seen).toEqual([]);
});

test('a line grown by many appends reads back whole and in order, before and after compaction', async () => {
  await callOk(writer, 'window:create', line([0], [0]));
  const appends = 600; // past the compaction threshold
  await Promise.all(
    Array.from({ length: appends }, (_, k) =>
      callOk(writer, 'window:update', { env: 'e1', win: 'loss', op: { type: 'append', traces: [{ name: 'train', x: [k + 1], y: [k + 1] }] } }),
    ),
  );
  const expected = Array.from({ length: appends + 1 }, (_, i) => i);
  const first = await getJson<Window>('/api/envs/e1/windows/loss'); // compacts
  expect(first.content.kind === 'plot' && first.content.traces[0]?.x).toEqual(expected);
  await callOk(writer, 'window:update', { env: 'e1', win: 'loss', op: { type: 'append', traces: [{ name: 'train', x: [-1], y: [-1] }, { name: 'val', x: [7], y: [7] }] } });
  const second = await getJson<Window>('/api/envs/e1/windows/loss');
  expect(second.content.kind === 'plot' && second.content.traces.map((t) => [t.name, t.x?.length, t.x?.at(-1)])).toEqual([
    ['train', appends + 2, -1],
    ['val', 1, 7],
  ]);
  expect(second.rev).toBe(first.rev + 1);
});

test('plotly attributes and layout passed through are kept, and survive appends', async () => {
  await callOk(writer, 'window:create', {
    env: 'e1',
    win: 'pie',
    content: {
      kind: 'plot',
      traces: [{ name: 'share', type: 'pie', x: ['a', 'b'], y: [1, 2], plotly: { hole: 0.4, marker: { colors: ['red', 'blue'] } } }],
      layout: { title: { text: 'Shares' }, margin: { l: 10 } },
    },
  });
  await callOk(writer, 'window:update', { env: 'e1', win: 'pie', op: { type: 'append', traces: [{ name: 'share', x: ['c'], y: [3] }] } });
  const win = await getJson<Window>('/api/envs/e1/windows/pie');
  if (win.content.kind !== 'plot') throw new Error('not a plot');
  expect(win.content.layout).toEqual({ title: { text: 'Shares' }, margin: { l: 10 } });
  expect(win.content.traces[0]).toMatchObject({ type: 'pie', x: ['a', 'b', 'c'], plotly: { hole: 0.4, marker: { colors: ['red', 'blue'] } } });
});
