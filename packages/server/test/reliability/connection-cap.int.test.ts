/**
 * --max-connections-per-address: past the cap a connection is answered 429
 * naming the flag and closed, whatever it meant to be (plain HTTP, an SDK or
 * socket.io upgrade), and the connections already open keep working.
 */
import { connect, type Socket } from 'node:net';
import { CnnVis } from '@cnnvis/client';
import { eventually, startServer, type TestServer } from '../../../../test/support/start-server';
import { rawRequest, tryWebSocket } from '../access/raw-http';

const CAP = 4;
let server: TestServer;
const held: Socket[] = [];

beforeEach(async () => {
  server = await startServer({ maxConnectionsPerAddress: CAP });
});
afterEach(async () => {
  for (const s of held.splice(0)) s.destroy();
  await server.close();
});

/** A kept-alive connection that has had one request answered, so the server surely counts it. */
async function holdConnection(): Promise<Socket> {
  const { port } = new URL(server.url);
  const socket = connect(Number(port), '127.0.0.1');
  held.push(socket);
  const reply = await new Promise<string>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('data', (d: Buffer) => resolve(d.toString()));
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
  });
  expect(reply).toMatch(/^HTTP\/1\.1 200/);
  return socket;
}

test('the connection past the cap gets 429 naming the flag; one closed makes room again', async () => {
  for (let i = 0; i < CAP; i++) await holdConnection();
  const refused = await rawRequest(`${server.url}/healthz`);
  expect(refused.status).toBe(429);
  expect(refused.text).toContain('--max-connections-per-address');
  const upgrade = await tryWebSocket(`${server.url.replace('http', 'ws')}/sdk`);
  expect(upgrade).toMatchObject({ opened: false, status: 429 });
  // The connections within the cap still work.
  const first = held[0] as Socket;
  const again = await new Promise<string>((resolve) => {
    first.once('data', (d: Buffer) => resolve(d.toString()));
    first.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  });
  expect(again).toMatch(/^HTTP\/1\.1 200/);
  first.destroy();
  await eventually(async () => (await rawRequest(`${server.url}/healthz`)).status === 200);
});

test('an SDK past the cap fails its call with the server\'s reason, then connects once there is room', async () => {
  for (let i = 0; i < CAP; i++) await holdConnection();
  const viz = new CnnVis({ url: server.url, env: 'cap', connectTimeoutMs: 1500 });
  try {
    await expect(viz.text('hello', { win: 'log' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('--max-connections-per-address'),
    });
    (held.shift() as Socket).destroy();
    await eventually(() => viz.connected, 10_000);
    await expect(viz.text('hello', { win: 'log' })).resolves.toMatchObject({ win: 'log' });
  } finally {
    await viz.disconnect();
  }
});
