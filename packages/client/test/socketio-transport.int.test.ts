/**
 * The SDK over socket.io (`transport: 'socket.io'`) against the real server:
 * the same calls, acks, binary images, typed errors, token and reconnection as
 * over the default `/sdk` channel (sdk.int.test.ts covers that one in depth).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ImageContent, PlotContent, Window } from '@cnnvis/protocol';
import { CnnVis } from '@cnnvis/client';
import { eventually, startServer, type TestServer } from '../../../test/support/start-server';
import { callOk, connectSocket, record, type TestSocket } from '../../../test/support/socket-client';
import { decodePng, interleave } from './png';

const ENV = 'sio';
const TOKEN = 'a-test-token-of-some-length';

let server: TestServer | undefined;
let viz: CnnVis | undefined;
let sub: TestSocket | undefined;

afterEach(async () => {
  jest.restoreAllMocks();
  await viz?.disconnect();
  sub?.disconnect();
  await server?.close();
  [viz, sub, server] = [undefined, undefined, undefined];
});

function plot(win: Window): PlotContent {
  if (win.content.kind !== 'plot') throw new Error(`window ${win.id} is ${win.content.kind}`);
  return win.content;
}

async function fetchBytes(url: string): Promise<Buffer> {
  const res = await fetch((server as TestServer).url + url);
  expect(res.ok).toBe(true);
  return Buffer.from(await res.arrayBuffer());
}

test('plots go over socket.io frames, one round trip an append, and reach a subscribed browser as deltas', async () => {
  server = await startServer();
  viz = new CnnVis({ url: server.url, env: ENV, transport: 'socket.io' });
  sub = await connectSocket(server.url);
  await callOk(sub, 'env:subscribe', { env: ENV });
  const seen = record(sub, ['window:created', 'window:updated']);
  const sent = jest.spyOn(WebSocket.prototype, 'send');
  await viz.line({ x: [0, 1], y: [1, 2] }, { win: 'loss', name: 'train', title: 'loss' });
  const before = sent.mock.calls.length;
  await viz.line({ x: [2], y: [3] }, { win: 'loss', update: 'append', name: 'train' });
  // socket.io's packets: engine.io message '4', socket.io event '2' with an ack id; the /sdk channel's start with '['.
  const frames = sent.mock.calls.map(([d]) => String(d));
  expect(frames.slice(before)).toEqual([expect.stringMatching(/^42\d+\["window:update",/)]);
  expect(frames.some((f) => f.startsWith('['))).toBe(false);
  const win = await viz.getWindow('loss');
  expect(plot(win).traces[0]).toMatchObject({ name: 'train', x: [0, 1, 2], y: [1, 2, 3] });
  await eventually(() => seen.some((e) => e.event === 'window:updated'));
  expect(seen.find((e) => e.event === 'window:updated')?.payload).toMatchObject({
    win: 'loss',
    op: { type: 'append', traces: [{ name: 'train', x: [2], y: [3] }] },
  });
  expect((await viz.envs()).map((e) => e.id)).toContain(ENV);
});

test('images travel as binary attachments and read back exact; a server error rejects with its code', async () => {
  server = await startServer();
  viz = new CnnVis({ url: server.url, env: ENV, transport: 'socket.io' });
  const bytes = Uint8Array.from({ length: 3 * 40 * 60 }, (_, i) => (i * 7) % 256);
  const floats = Float32Array.from(bytes, (b) => Math.fround(b / 255));
  for (const [win, data] of [['u8', bytes], ['f32', floats]] as const) {
    await viz.image({ data, shape: [3, 40, 60] }, { win });
    const [ref] = ((await viz.getWindow(win)).content as ImageContent).images;
    const png = decodePng(await fetchBytes(ref?.url ?? ''));
    expect({ channels: png.channels, intact: Buffer.from(png.pixels).equals(interleave(bytes, 3)) }).toEqual({ channels: 3, intact: true });
  }
  await expect(viz.getWindow('missing')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('missing') });
  await expect(viz.image({ data: new Uint8Array(5), shape: [2, 2] }, { win: 'bad' })).rejects.toMatchObject({
    code: 'BAD_REQUEST',
    message: expect.stringContaining('content.images[0].data'),
  });
});

test('the token goes with the socket.io handshake; without it calls fail instead of hanging', async () => {
  server = await startServer({ token: TOKEN });
  viz = new CnnVis({ url: server.url, env: ENV, transport: 'socket.io', token: TOKEN });
  await viz.text('hello', { win: 'log' });
  expect((await viz.getWindow('log')).content).toEqual({ kind: 'text', text: 'hello' });
  const stranger = new CnnVis({ url: server.url, env: ENV, transport: 'socket.io', token: undefined, connectTimeoutMs: 1500 });
  try {
    await expect(stranger.text('nope', { win: 'log2' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  } finally {
    await stranger.disconnect();
  }
});

test('calls made while the server is down are sent after socket.io reconnects', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-sio-reconnect-'));
  try {
    server = await startServer({ dataDir });
    const port = Number(new URL(server.url).port);
    viz = new CnnVis({ url: server.url, env: ENV, transport: 'socket.io', ackTimeoutMs: 20_000 });
    await viz.line({ x: [0], y: [1] }, { win: 'loss', name: 'train' });
    await server.close();
    await eventually(() => !(viz as CnnVis).connected);
    const buffered = viz.line({ x: [1], y: [2] }, { win: 'loss', update: 'append', name: 'train' });
    server = await startServer({ dataDir, port });
    await expect(buffered).resolves.toMatchObject({ win: 'loss' });
    expect(plot(await viz.getWindow('loss')).traces[0]).toMatchObject({ x: [0, 1], y: [1, 2] });
  } finally {
    await viz?.disconnect();
    await server?.close();
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an unknown transport is refused by name', () => {
  expect(() => new CnnVis({ transport: 'socketio' as 'socket.io' })).toThrow(/transport: must be 'websocket' or 'socket.io', got "socketio"/);
});
