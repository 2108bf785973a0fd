/**
 * Bad input over both transports: a 4xx or a rejected ack whose message names
 * the field, and nothing changed.
 */
import type { Envelope, Window } from '@cnnvis/protocol';
import { startServer, type TestServer } from '../../../test/support/start-server';
import { call, callOk, connectSocket, type TestSocket } from '../../../test/support/socket-client';

let server: TestServer;
let socket: TestSocket;

beforeAll(async () => {
  server = await startServer({ maxPayloadBytes: 64 * 1024 });
  socket = await connectSocket(server.url);
  await callOk(socket, 'window:create', {
    env: 'e',
    win: 'w',
    content: { kind: 'plot', traces: [{ name: 'a', type: 'scatter', x: [0], y: [0] }] },
  });
});
afterAll(async () => {
  socket.close();
  await server.close();
});

const errorOf = (res: Envelope<unknown>) => ('error' in res ? res.error : undefined);

const socketCases: Array<[string, string, unknown, string, RegExp]> = [
  ['wrong option type', 'window:create', { env: 'e', content: { kind: 'text', text: 'x' }, opts: { title: 5 } }, 'BAD_REQUEST', /^opts\.title: /],
  ['misspelt option', 'window:create', { env: 'e', content: { kind: 'text', text: 'x' }, opts: { titel: 'x' } }, 'BAD_REQUEST', /opts.*titel/],
  ['unknown kind', 'window:create', { env: 'e', content: { kind: 'video' } }, 'BAD_REQUEST', /^content\.kind: /],
  ['y not matching x', 'window:update', { env: 'e', win: 'w', op: { type: 'append', traces: [{ name: 'a', x: [1, 2], y: [1] }] } }, 'BAD_REQUEST', /op\.traces\[0\]\.y: has 1 values but x has 2/],
  ['NaN smuggled as string', 'window:update', { env: 'e', win: 'w', op: { type: 'append', traces: [{ name: 'a', x: [1], y: [{}] }] } }, 'BAD_REQUEST', /op\.traces\[0\]\.y\[0\]/],
  ['path in env id', 'window:create', { env: '../etc', content: { kind: 'text', text: 'x' } }, 'BAD_REQUEST', /^env: /],
  ['raw image of the wrong size', 'window:create', { env: 'e', content: { kind: 'image', images: [{ encoding: 'raw', shape: [3, 2, 2], data: new Uint8Array(5) }] } }, 'BAD_REQUEST', /content\.images\[0\]\.data: has 5 bytes/],
  ['fake PNG', 'window:create', { env: 'e', content: { kind: 'image', images: [{ encoding: 'png', data: new Uint8Array(40) }] } }, 'BAD_REQUEST', /content\.images\[0\]\.data: is not a valid PNG/],
  ['append text to a plot', 'window:update', { env: 'e', win: 'w', op: { type: 'appendText', text: 'x' } }, 'BAD_REQUEST', /appendText.*plot/],
  ['missing trace index', 'window:update', { env: 'e', win: 'w', op: { type: 'append', traces: [{ index: 3, x: [1], y: [1] }] } }, 'NOT_FOUND', /op\.traces\[0\]\.index/],
  ['unknown window', 'window:update', { env: 'e', win: 'nope', op: { type: 'appendText', text: 'x' } }, 'NOT_FOUND', /window 'nope'/],
  ['remove a missing trace', 'window:update', { env: 'e', win: 'w', op: { type: 'remove', name: 'zz' } }, 'NOT_FOUND', /op\.name/],
  ['heatmap op on a line', 'window:update', { env: 'e', win: 'w', op: { type: 'heatmap', edge: 'appendRow', z: [[1]] } }, 'BAD_REQUEST', /heatmap/],
  ['not an object', 'window:get', 42, 'BAD_REQUEST', /\(root\)/],
  ['null payload', 'env:fork', null, 'BAD_REQUEST', /\(root\)/],
  ['fork onto an existing env', 'env:fork', { from: 'e', to: 'e' }, 'CONFLICT', /to: env 'e' already exists/],
  ['delete an unknown env', 'env:delete', { env: 'ghost' }, 'NOT_FOUND', /ghost/],
  ['layout for an unknown env', 'layout:save', { env: 'ghost', items: [] }, 'NOT_FOUND', /ghost/],
];

test.each(socketCases)('socket: %s', async (_name, event, payload, code, message) => {
  const error = errorOf(await call(socket, event as 'window:create', payload));
  expect(error?.code).toBe(code);
  expect(error?.message).toMatch(message);
});

test('a rejected request changes nothing', async () => {
  const before = await (await fetch(`${server.url}/api/envs/e/windows/w`)).json();
  await call(socket, 'window:update', {
    env: 'e',
    win: 'w',
    op: { type: 'append', traces: [{ name: 'a', x: [5], y: [5] }, { index: 9, x: [1], y: [1] }] },
  });
  const after = (await (await fetch(`${server.url}/api/envs/e/windows/w`)).json()) as Window;
  expect(after).toEqual(before);
});

test('an event without an ack is ignored, and the server keeps serving', async () => {
  (socket.emit as (e: string, p: unknown) => void)('window:create', { nonsense: true });
  (socket.emit as (e: string, p: unknown) => void)('no:such:event', 1);
  expect(await callOk(socket, 'env:list', {})).toEqual(expect.any(Array));
});

async function http(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, { method, body, headers });
  return { status: res.status, json: (await res.json()) as { error?: { code: string; message: string } } };
}

test.each([
  ['GET', '/api/envs/ghost/windows', undefined, 404, /ghost/],
  ['GET', '/api/envs/e/windows/ghost', undefined, 404, /ghost/],
  ['GET', '/api/envs/e/windows/w/images/0', undefined, 404, /image 0/],
  ['GET', '/api/envs/e/windows/w/images/-1', undefined, 400, /^idx: /],
  ['GET', '/api/nowhere', undefined, 404, /route/],
  ['POST', '/api/envs/e/windows', '{"content": {"kind": "text", "text": 1}}', 400, /^content\.text: /],
  ['POST', '/api/envs/e/windows', '{not json', 400, /not valid JSON/],
  ['POST', '/api/envs/e/windows', '[1,2]', 400, /must be a JSON object/],
  ['PATCH', '/api/envs/e/windows/w', '{"type": "append", "traces": []}', 400, /^op\.traces: /],
  ['POST', '/api/envs/e/windows', JSON.stringify({ content: { kind: 'text', text: 'x'.repeat(70_000) } }), 413, /limit of 65536 bytes/],
  ['DELETE', '/api/envs/ghost', undefined, 404, /ghost/],
])('http: %s %s → %i', async (method, path, body, status, message) => {
  const res = await http(method, path, body);
  expect(res.status).toBe(status);
  expect(res.json.error?.message).toMatch(message);
});

test('HTTP JSON bodies are parsed whatever the content type says', async () => {
  const res = await http('POST', '/api/envs/e/windows', '{"win": "t", "content": {"kind": "text", "text": "hi"}}', {
    'content-type': 'text/plain',
  });
  expect(res.status).toBe(201);
});

test('an event sent with only an ack (no payload) still gets its answer', async () => {
  const emit = socket.emit.bind(socket) as unknown as (e: string, ack: (r: unknown) => void) => void;
  const res = await new Promise((resolve) => emit('window:get', resolve));
  expect(res).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/\(root\)/) } });
  expect(await new Promise((resolve) => emit('env:list', resolve))).toMatchObject({ data: expect.any(Array) });
});

test('a path no route takes gets 404 with a message, and Visdom’s /compare says it is not supported', async () => {
  const nope = await fetch(`${server.url}/nothing/here`, { method: 'POST', body: '{}' });
  expect(nope.status).toBe(404);
  expect(nope.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(await nope.text()).toBe('no route for POST /nothing/here');
  const compare = await fetch(`${server.url}/compare/a+b`, { method: 'POST', body: new TextEncoder().encode('{"sid": "x"}') });
  expect(compare.status).toBe(404);
  expect(await compare.text()).toMatch(/compare view \(\/compare\) is not supported/);
});
