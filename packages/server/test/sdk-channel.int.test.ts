/**
 * The plain-WebSocket SDK channel answers the same requests as socket.io,
 * and its writes reach socket.io subscribers.
 */
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, SDK_CHANNEL_PATH, type WindowDelta } from '@cnnvis/protocol';
import { eventually, startServer, type TestServer } from '../../../test/support/start-server';
import { callOk, connectSocket, record } from '../../../test/support/socket-client';

let server: TestServer;
let ws: WebSocket;
let replies: unknown[][];

beforeEach(async () => {
  server = await startServer({ maxPayloadBytes: 64 * 1024 });
  ws = new WebSocket(server.url.replace('http', 'ws') + SDK_CHANNEL_PATH);
  replies = [];
  ws.on('message', (data: Buffer, isBinary: boolean) => replies.push(decodeFrame(isBinary ? data : data.toString())));
  await new Promise((r) => ws.once('open', r));
});
afterEach(async () => {
  ws.close();
  await server.close();
});

const reply = (id: number) => eventually(() => replies.find((r) => r[0] === id));

test('hello first, then requests answered with envelopes by id', async () => {
  expect(await reply(0)).toEqual([0, 'server:hello', { version: expect.any(String), limits: { maxPayloadBytes: 65536 }, readonly: false }]);
  const viewer = await connectSocket(server.url);
  await callOk(viewer, 'env:subscribe', { env: 'e' });
  const seen = record(viewer, ['window:created', 'window:updated']);

  ws.send(encodeFrame([1, 'window:create', { env: 'e', win: 'w', content: { kind: 'plot', traces: [{ name: 'a', type: 'scatter', x: [0], y: [0] }] } }]));
  expect(await reply(1)).toEqual([1, { data: { env: 'e', win: 'w', rev: 1 } }]);
  ws.send(encodeFrame([2, 'window:update', { env: 'e', win: 'w', op: { type: 'append', traces: [{ name: 'a', x: [1], y: [5] }] } }]));
  expect(await reply(2)).toEqual([2, { data: { env: 'e', win: 'w', rev: 2 } }]);
  await eventually(() => seen.length === 2);
  expect((seen[1]?.payload as WindowDelta).op).toEqual({ type: 'append', traces: [{ name: 'a', x: [1], y: [5] }] });
  viewer.close();
});

test('binary images arrive as bytes', async () => {
  const data = new Uint8Array(2 * 3).fill(9);
  ws.send(encodeFrame([3, 'window:create', { env: 'e', win: 'img', content: { kind: 'image', images: [{ encoding: 'raw', shape: [2, 3], data }] } }]));
  expect(await reply(3)).toEqual([3, { data: { env: 'e', win: 'img', rev: 1 } }]);
  const win = (await (await fetch(`${server.url}/api/envs/e/windows/img`)).json()) as { content: { images: Array<{ width: number }> } };
  expect(win.content.images[0]?.width).toBe(3);
});

test.each([
  ['not JSON', 'nonsense', /not valid JSON|JSON/],
  ['not an array', '{"id":1}', /must be a JSON array/],
  ['a bad id', '["x","env:list",{}]', /id must be a positive integer/],
  ['an unknown event', '[7,"env:explode",{}]', /unknown event 'env:explode'/],
  ['a prototype key as event', '[8,"constructor",{}]', /unknown event 'constructor'/],
])('a frame with %s gets BAD_REQUEST and the channel keeps working', async (_n, frame, message) => {
  ws.send(frame);
  const bad = (await eventually(() => replies.find((r) => r.length === 2 && typeof r[1] === 'object' && r[1] !== null && 'error' in r[1]))) as [number, { error: { code: string; message: string } }];
  expect(bad[1].error.code).toBe('BAD_REQUEST');
  expect(bad[1].error.message).toMatch(message);
  ws.send(encodeFrame([99, 'env:list', {}]));
  expect(await reply(99)).toEqual([99, { data: expect.any(Array) }]);
});

test('a validation error names the field', async () => {
  ws.send(encodeFrame([4, 'window:create', { env: 'e', content: { kind: 'text', text: 1 } }]));
  expect(await reply(4)).toEqual([4, { error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^content\.text: /), issues: expect.any(Array) } }]);
});

test('a frame over the limit gets PAYLOAD_TOO_LARGE with its id, and the channel keeps working', async () => {
  const big = new Uint8Array(70 * 1024);
  ws.send(encodeFrame([5, 'window:create', { env: 'e', content: { kind: 'image', images: [{ encoding: 'png', data: big }] } }]));
  const [, envelope] = (await reply(5)) as [number, { error: { code: string; message: string } }];
  expect(envelope.error.code).toBe('PAYLOAD_TOO_LARGE');
  expect(envelope.error.message).toMatch(/limit is 65536/);
  ws.send(encodeFrame([6, 'env:list', {}]));
  expect(await reply(6)).toEqual([6, { data: expect.any(Array) }]);
});

test('a binary frame whose header nests too deep gets a message saying so', async () => {
  const header = Buffer.from(`[5,"env:list",${'['.repeat(25_000)}${']'.repeat(25_000)},[]]`);
  const frame = Buffer.alloc(4 + header.length);
  frame.writeUInt32BE(header.length, 0);
  header.copy(frame, 4);
  ws.send(frame);
  const bad = (await eventually(() => replies.find((r) => JSON.stringify(r).includes('nests too deep')))) as [number, { error: { code: string } }];
  expect(bad[1].error.code).toBe('BAD_REQUEST');
  ws.send(encodeFrame([98, 'env:list', {}]));
  expect(await reply(98)).toEqual([98, { data: expect.any(Array) }]);
});
