/**
 * The stock Visdom client's kept-alive POSTs over node:http, as raw bytes:
 * pipelined, split, chunked, half-closed, with and without the token.
 */
import { startServer, type TestServer } from '../../../../test/support/start-server';
import { RawClient, type Answer } from '../support/raw-client';
import { pyDumps, visdom } from './visdom-client';

/** A POST as python-requests writes it: JSON text, no content type. */
function post(path: string, msg: unknown, extra = ''): string {
  const body = Buffer.from(pyDumps(msg));
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: python-requests/2.32.3\r\nAccept-Encoding: gzip, deflate\r\nAccept: */*\r\nConnection: keep-alive\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body.toString('latin1')}`;
}

const line = (win: string, x: number[], y: number[]) => ({ data: [{ x, y, name: 'train', type: 'scatter', mode: 'lines' }], win, eid: 'lean', layout: {}, opts: { title: 'loss' } });
const append = (win: string, x: number, y: number) => ({ ...line(win, [x], [y]), name: 'train', append: true });

describe('kept-alive Visdom POSTs', () => {
  let server: TestServer;
  const clients: RawClient[] = [];
  const client = () => {
    const c = new RawClient(server.url);
    clients.push(c);
    return c;
  };
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server.close();
  });

  test('pipelined requests in one write are answered in order, and stored', async () => {
    const c = client();
    c.write(post('/events', line('p', [0], [1])) + post('/update', append('p', 1, 2)) + post('/update', append('p', 2, 3)) + post('/win_exists', { win: 'p', eid: 'lean' }));
    const answers = [await c.next(), await c.next(), await c.next(), await c.next()];
    expect(answers.map((a) => [a.status, a.text])).toEqual([[200, 'p'], [200, 'p'], [200, 'p'], [200, 'true']]);
    expect(answers[0]?.headers['content-type']).toBe('text/plain; charset=utf-8');
    const win = await visdom(server.url).window('lean', 'p');
    expect(win.content.kind === 'plot' && win.content.traces[0]?.y).toEqual([1, 2, 3]);
  });

  test('a request that arrives a byte at a time is answered once it is whole', async () => {
    const c = client();
    const bytes = Buffer.from(post('/events', line('b', [0], [7])));
    for (const byte of bytes) {
      c.write(Buffer.of(byte));
      await new Promise((r) => setImmediate(r));
    }
    const a = await c.next();
    expect([a.status, a.text]).toEqual([200, 'b']);
  });

  test('Visdom POSTs, API GETs and chunked bodies share one connection, in order', async () => {
    const c = client();
    c.write(post('/events', line('h', [0], [1])));
    expect((await c.next()).status).toBe(200);
    c.write(`GET /api/envs/lean/windows/h HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n${post('/update', append('h', 1, 2))}`);
    const get = await c.next();
    expect(JSON.parse(get.text).id).toBe('h');
    const after = await c.next();
    expect([after.status, after.text]).toEqual([200, 'h']);
    const body = pyDumps(append('h', 2, 3));
    c.write(`POST /update HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
    const chunked = await c.next();
    expect([chunked.status, chunked.text]).toEqual([200, 'h']);
    const win = await visdom(server.url).window('lean', 'h');
    expect(win.content.kind === 'plot' && win.content.traces[0]?.y).toEqual([1, 2, 3]);
  });

  test('odd heads get node:http’s usual answers', async () => {
    const c = client();
    // No Host: node:http answers 400 and closes.
    c.write('POST /update HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}');
    const noHost = await c.next();
    expect(noHost.status).toBe(400);
    // A header given twice, and Connection: close.
    const d = client();
    d.write(post('/events', line('d', [0], [1]), 'Content-Type: text/plain\r\ncontent-type: text/plain\r\n'));
    const twice = await d.next();
    expect([twice.status, twice.text]).toEqual([200, 'd']);
    const e = client();
    e.write(post('/win_exists', { win: 'd', eid: 'lean' }).replace('Connection: keep-alive', 'Connection: close'));
    const close = await e.next();
    expect([close.status, close.text]).toEqual([200, 'true']);
  });

  test('a mistake is a 4xx with a message, and the connection goes on', async () => {
    const c = client();
    c.write(post('/update', { win: 'nope', eid: 'lean', data: [{ x: [1], y: [1] }] }) + post('/events', line('m', [0], [1])));
    const missing = await c.next();
    expect(missing.status).toBe(404);
    expect(missing.text).toMatch(/does not exist/);
    const next = await c.next();
    expect([next.status, next.text]).toEqual([200, 'm']);
  });

  test('a body of 1.5 MiB is read whole', async () => {
    const c = client();
    const big = 'x'.repeat(1.5 * 1024 * 1024);
    c.write(post('/events', { data: [{ content: big, type: 'text' }], win: 't', eid: 'lean', opts: {} }));
    const a = await c.next();
    expect([a.status, a.text]).toEqual([200, 't']);
    const win = await visdom(server.url).window('lean', 't');
    expect(win.content.kind === 'text' && win.content.text.length).toBe(big.length);
  });

  test('a client that half-closes after its request gets the answer, and the connection closes', async () => {
    const c = client();
    c.write(post('/events', line('e', [0], [1])));
    c.socket.end();
    const a = await c.next();
    expect([a.status, a.text]).toEqual([200, 'e']);
    const started = Date.now();
    while (!c.closed && Date.now() - started < 3000) await new Promise((r) => setTimeout(r, 20));
    expect(c.closed).toBe(true); // well before the 5 s idle timeout
  });

  test('closing the server closes kept-alive connections', async () => {
    const c = client();
    c.write(post('/events', line('c', [0], [1])));
    expect((await c.next()).status).toBe(200);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.closed).toBe(true);
    server = await startServer(); // for afterEach
  });
});

describe('kept-alive Visdom POSTs and the token', () => {
  test('a POST without the token gets 401 and changes nothing; with it, pipelined POSTs are answered', async () => {
    const token = 'a-long-enough-token-for-tests';
    const server = await startServer({ token });
    const c = new RawClient(server.url);
    try {
      c.write(post('/events', line('s', [0], [1])));
      const refused = await c.next();
      expect(refused.status).toBe(401);
      const d = new RawClient(server.url);
      d.write(post('/events', line('s', [0], [1]), `Authorization: Bearer ${token}\r\n`) + post('/win_exists', { win: 's', eid: 'lean' }, `Authorization: Bearer ${token}\r\n`));
      const [made, exists] = [await d.next(), await d.next()];
      expect([made.status, made.text]).toEqual([200, 's']);
      expect([exists.status, exists.text]).toEqual([200, 'true']);
      d.close();
    } finally {
      c.close();
      await server.close();
    }
  });
});
