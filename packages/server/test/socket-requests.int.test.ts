/**
 * socket.io requests as the SDK makes them: a hello first, every request
 * answered with an envelope, one the server does not know answered too, and
 * the SDK told apart from a viewer.
 */
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import type { ServerHello } from '@cnnvis/protocol';
import { eventually, startServer, type TestServer } from '../../../test/support/start-server';
import { call, callOk, connectSocket, type TestSocket } from '../../../test/support/socket-client';

let server: TestServer;
let socket: TestSocket;

beforeEach(async () => {
  server = await startServer({ maxPayloadBytes: 64 * 1024 });
});
afterEach(async () => {
  socket.close();
  await server.close();
});

test('the hello on connect names the payload limit', async () => {
  socket = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true });
  const hello = await new Promise<ServerHello>((resolve) => socket.once('server:hello', resolve));
  expect(hello).toEqual({ version: expect.any(String), limits: { maxPayloadBytes: 65536 }, readonly: false });
});

test.each(['env:explode', 'constructor', '__proto__'])('an unknown event %s gets BAD_REQUEST, and the socket keeps working', async (event) => {
  socket = await connectSocket(server.url);
  const res = await call(socket, event as 'env:list', {});
  expect(res).toEqual({ error: { code: 'BAD_REQUEST', message: `event: unknown event '${event}'` } });
  expect(await call(socket, 'env:list', {})).toEqual({ data: expect.any(Array) });
});

test("a close from the SDK is not a viewer's: Visdom clients hear only of a viewer's", async () => {
  const python = new WebSocket(`${server.url.replace('http', 'ws')}/vis_socket`);
  const heard: Array<{ event_type?: string; target?: string }> = [];
  python.on('message', (data) => heard.push(JSON.parse(String(data)) as { event_type?: string; target?: string }));
  await new Promise((resolve) => python.once('open', resolve));
  socket = await connectSocket(server.url, { client: 'sdk' });
  const viewer = await connectSocket(server.url);
  try {
    for (const [client, win] of [[socket, 'from-sdk'], [viewer, 'from-viewer']] as const) {
      await callOk(client, 'window:create', { env: 'e', win, content: { kind: 'text', text: win } });
      await callOk(client, 'window:close', { env: 'e', win });
    }
    await eventually(() => heard.some((m) => m.event_type === 'close'));
    expect(heard.filter((m) => m.event_type === 'close').map((m) => m.target)).toEqual(['from-viewer']);
  } finally {
    viewer.close();
    python.close();
  }
});
