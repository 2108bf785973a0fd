import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { decodeFrame, encodeFrame } from '@cnnvis/protocol';
import { SdkSocket } from './sdk-socket';

// A server that answers 'echo' and never answers anything else.
let http: Server;
let socket: SdkSocket;

beforeEach(async () => {
  http = createServer();
  const wss = new WebSocketServer({ server: http, path: '/sdk' });
  wss.on('connection', (ws) =>
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const [id, event, payload] = decodeFrame(isBinary ? data : data.toString());
      if (event === 'echo') ws.send(encodeFrame([id, { data: payload }]));
    }),
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  socket = new SdkSocket(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
  await new Promise((resolve) => socket.on('connect', resolve));
});

afterEach(async () => {
  socket.disconnect();
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
});

test('each request fails with TIMEOUT at its own deadline, a shorter one sent later first', async () => {
  const failed: string[] = [];
  const start = performance.now();
  const at: number[] = [];
  const watch = (p: Promise<unknown>) =>
    p.catch((err: { code: string; message: string }) => {
      at.push(performance.now() - start);
      failed.push(`${err.code} ${err.message}`);
    });
  const slow = watch(socket.timeout(400).emitWithAck('never', {}));
  const fast = watch(socket.timeout(60).emitWithAck('never', {}));
  await expect(socket.timeout(100).emitWithAck('echo', { a: 1 })).resolves.toEqual({ data: { a: 1 } });
  await Promise.all([slow, fast]);
  expect(failed).toEqual(['TIMEOUT never: no answer within 60 ms', 'TIMEOUT never: no answer within 400 ms']);
  expect(at[0]).toBeGreaterThanOrEqual(55);
  expect(at[0]).toBeLessThan(390);
  expect(at[1]).toBeGreaterThanOrEqual(395);
});

test('answered requests never time out, and a request after a quiet spell still does', async () => {
  for (let i = 0; i < 50; i++) await expect(socket.timeout(30).emitWithAck('echo', i)).resolves.toEqual({ data: i });
  await new Promise((r) => setTimeout(r, 80));
  await expect(socket.timeout(30).emitWithAck('never', {})).rejects.toMatchObject({ code: 'TIMEOUT' });
});
