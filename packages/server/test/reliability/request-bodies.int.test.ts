/**
 * Bodies at the edges: one declared over --max-payload is answered 413 at
 * its head and never read, on every route that reads a body; a client that
 * goes away mid-body is no server error.
 */
import { connect } from 'node:net';
import { startServer, type TestServer } from '../../../../test/support/start-server';
import { RawClient } from '../support/raw-client';

const LIMIT = 64 * 1024;

let server: TestServer;
afterEach(() => server.close());

const head = (method: string, path: string, length: number) =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

test('a body declared over the limit is answered 413 at its head, on the API and the Visdom routes', async () => {
  server = await startServer({ maxPayloadBytes: LIMIT });
  const routes = [
    ['POST', '/api/envs/e/windows'],
    ['PATCH', '/api/envs/e/windows/w'],
    ['PUT', '/api/envs/e/layout'],
    ['POST', '/api/envs/e/fork'],
    ['POST', '/events'],
    ['POST', '/update'],
    ['POST', '/win_data'],
    ['POST', '/login'],
    ['POST', '/nowhere'],
  ];
  for (const [method, path] of routes) {
    const c = new RawClient(server.url);
    // Only the head: a server that waited for the body before answering would never answer.
    c.write(head(method as string, path as string, 1024 * LIMIT));
    const a = await Promise.race([c.next(), new Promise<undefined>((r) => setTimeout(() => r(undefined), 3000))]);
    expect([path, a?.status]).toEqual([path, 413]);
    expect(a?.text).toMatch(/limit of 65536 bytes/);
    expect(a?.headers['connection']).toBe('close');
    c.close();
  }
});

test('a client that goes away mid-body is not logged as a server error, and the server goes on', async () => {
  server = await startServer({ logLevel: 'info' });
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const { port } = new URL(server.url);
    const chunked = (path: string) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n{"win": "w", "eid": "e", "data": [`;
    const starts = ['/update', '/events', '/api/envs/e/windows', '/login'].flatMap((path) => [`${head('POST', path, 1000)}{"win": "w", "eid": "e", "data": [`, chunked(path)]);
    for (const start of starts) {
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(start);
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 50);
        });
      });
    }
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    spy.mockRestore();
  }
  expect(written.filter((line) => line.includes('error'))).toEqual([]);
  const c = new RawClient(server.url);
  c.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  expect((await c.next()).status).toBe(200);
  c.close();
});
