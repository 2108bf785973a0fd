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
  const upgrade = await tryWebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
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

/** Send `head` on a fresh socket; resolve with what came back once the server closed it (or the socket once `closeAfterMs` passes). */
function sendRaw(head: string, closeAfterMs = 0): Promise<{ reply: string; serverClosed: boolean }> {
  const { port } = new URL(server.url);
  const socket = connect(Number(port), '127.0.0.1');
  held.push(socket);
  return new Promise((resolve) => {
    let reply = '';
    let done = false;
    const finish = (serverClosed: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ reply, serverClosed });
    };
    socket.on('data', (d: Buffer) => (reply += d.toString('latin1')));
    socket.on('end', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(head);
    if (closeAfterMs > 0) setTimeout(() => finish(false), closeAfterMs);
  });
}

test('upgrades no endpoint takes are answered and closed, and free their slots', async () => {
  const heads = [
    ['/x', 'websocket'],
    ['/sdk', 'websocket'],
    ['/socket.io', 'websocket'],
    ['/api/envs', 'websocket'],
    ['/vis_socket/x', 'websocket'],
    ['/healthz', 'h2c'],
    ['/x', 'anything'],
  ].map(([path, proto]) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: ${proto}\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  let tried = 0;
  const replies: string[] = [];
  // Three times the cap of each kind: with one slot leaked per upgrade, the address would be locked out.
  for (const head of heads) {
    for (let i = 0; i < 3 * CAP; i++) {
      const { reply, serverClosed } = await sendRaw(head, 2000);
      tried++;
      expect(serverClosed).toBe(true);
      replies.push(reply.split('\r\n')[0] ?? '');
    }
  }
  // And upgrades sent, then abandoned by a client that closes before any answer.
  for (let i = 0; i < 3 * CAP; i++) {
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(heads[0] as string));
    socket.on('error', () => undefined);
    tried++;
  }
  await eventually(async () => (await rawRequest(`${server.url}/healthz`)).status === 200, 3000);
  const leaked = CAP - (await countFreeSlots());
  console.log(`upgrade leak: ${tried} unclaimed upgrades tried, ${leaked} connection slots leaked`);
  expect(new Set(replies)).toEqual(new Set(['HTTP/1.1 404 NOT_FOUND']));
  expect(leaked).toBe(0);
});

/** How many connections the address may still open: each held one answered, up to the cap. */
async function countFreeSlots(): Promise<number> {
  let free = 0;
  while (free < CAP + 1) {
    const res = await rawRequest(`${server.url}/healthz`).catch(() => undefined);
    if (res?.status !== 200) break;
    try {
      await holdConnection();
    } catch {
      break;
    }
    free++;
  }
  return Math.min(free, CAP);
}

test('a head that never ends is dropped, freeing its slot', async () => {
  const started = Date.now();
  const { serverClosed } = await sendRaw('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 20_000);
  const tookS = (Date.now() - started) / 1000;
  console.log(`half-sent head: dropped after ${tookS.toFixed(1)} s`);
  expect(serverClosed).toBe(true);
  expect(tookS).toBeLessThan(15);
}, 30_000);
