/**
 * The lean HTTP path (src/http/lean-posts.ts): plain kept-alive POSTs to the
 * Visdom routes are answered ahead of node:http (its answers say
 * `Server: cnnvis`), and everything else on the same connection, from the
 * first request that is not plain, goes to node:http with nothing lost.
 * Raw sockets, so the bytes on the wire are exactly the test's.
 */
import { connect, type Socket } from 'node:net';
import { startServer, type TestServer } from '../../../../test/support/start-server';
import { pyDumps, visdom } from './visdom-client';

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** A raw client that reads back answers (Content-Length or chunked bodies) in order. */
class RawClient {
  private readonly socket: Socket;
  private data = Buffer.alloc(0);
  private readonly waiting: Array<(a: Answer) => void> = [];
  closed = false;

  constructor(url: string) {
    const { hostname, port } = new URL(url);
    this.socket = connect(Number(port), hostname);
    this.socket.on('data', (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
      this.drain();
    });
    this.socket.on('close', () => (this.closed = true));
  }

  write(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  next(): Promise<Answer> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.drain();
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private drain(): void {
    while (this.waiting.length > 0) {
      const end = this.data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = this.data.toString('latin1', 0, end).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      let body: Buffer;
      let rest: Buffer;
      if (headers['transfer-encoding'] === 'chunked') {
        const parts: Buffer[] = [];
        let at = end + 4;
        for (;;) {
          const lineEnd = this.data.indexOf('\r\n', at);
          if (lineEnd < 0) return;
          const size = parseInt(this.data.toString('latin1', at, lineEnd), 16);
          if (this.data.length < lineEnd + 2 + size + 2) return;
          if (size === 0) {
            at = lineEnd + 4;
            break;
          }
          parts.push(this.data.subarray(lineEnd + 2, lineEnd + 2 + size));
          at = lineEnd + 2 + size + 2;
        }
        body = Buffer.concat(parts);
        rest = this.data.subarray(at);
      } else {
        const length = Number(headers['content-length'] ?? 0);
        if (this.data.length < end + 4 + length) return;
        body = this.data.subarray(end + 4, end + 4 + length);
        rest = this.data.subarray(end + 4 + length);
      }
      this.data = Buffer.from(rest);
      this.waiting.shift()?.({ status: Number(statusLine?.split(' ')[1]), headers, text: body.toString('utf8') });
    }
  }
}

/** A POST as python-requests writes it: JSON text, no content type. */
function post(path: string, msg: unknown, extra = ''): string {
  const body = Buffer.from(pyDumps(msg));
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: python-requests/2.32.3\r\nAccept-Encoding: gzip, deflate\r\nAccept: */*\r\nConnection: keep-alive\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body.toString('latin1')}`;
}

const line = (win: string, x: number[], y: number[]) => ({ data: [{ x, y, name: 'train', type: 'scatter', mode: 'lines' }], win, eid: 'lean', layout: {}, opts: { title: 'loss' } });
const append = (win: string, x: number, y: number) => ({ ...line(win, [x], [y]), name: 'train', append: true });
const lean = (a: Answer) => a.headers['server'] === 'cnnvis';

describe('the lean path for kept-alive Visdom POSTs', () => {
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

  test('pipelined requests in one write are answered in order, on the lean path, and stored', async () => {
    const c = client();
    c.write(post('/events', line('p', [0], [1])) + post('/update', append('p', 1, 2)) + post('/update', append('p', 2, 3)) + post('/win_exists', { win: 'p', eid: 'lean' }));
    const answers = [await c.next(), await c.next(), await c.next(), await c.next()];
    expect(answers.map((a) => [a.status, a.text])).toEqual([[200, 'p'], [200, 'p'], [200, 'p'], [200, 'true']]);
    expect(answers.every(lean)).toBe(true);
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
    expect([a.status, a.text, lean(a)]).toEqual([200, 'b', true]);
  });

  test('the first request that is not a plain POST hands the connection to node:http, which answers it and the rest', async () => {
    const c = client();
    c.write(post('/events', line('h', [0], [1])));
    expect(lean(await c.next())).toBe(true);
    // A GET, a POST after it, and a chunked POST: all node:http's now, in order.
    c.write(`GET /api/envs/lean/windows/h HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n${post('/update', append('h', 1, 2))}`);
    const get = await c.next();
    expect(lean(get)).toBe(false);
    expect(JSON.parse(get.text).id).toBe('h');
    const after = await c.next();
    expect([after.status, after.text, lean(after)]).toEqual([200, 'h', false]);
    const body = pyDumps(append('h', 2, 3));
    c.write(`POST /update HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
    const chunked = await c.next();
    expect([chunked.status, chunked.text, lean(chunked)]).toEqual([200, 'h', false]);
    const win = await visdom(server.url).window('lean', 'h');
    expect(win.content.kind === 'plot' && win.content.traces[0]?.y).toEqual([1, 2, 3]);
  });

  test('requests the lean path leaves alone get node:http’s usual answers', async () => {
    const c = client();
    // No Host: node:http answers 400 and closes.
    c.write('POST /update HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}');
    const noHost = await c.next();
    expect([noHost.status, lean(noHost)]).toEqual([400, false]);
    // A header given twice, and Connection: close.
    const d = client();
    d.write(post('/events', line('d', [0], [1]), 'Content-Type: text/plain\r\ncontent-type: text/plain\r\n'));
    const twice = await d.next();
    expect([twice.status, twice.text, lean(twice)]).toEqual([200, 'd', false]);
    const e = client();
    e.write(post('/win_exists', { win: 'd', eid: 'lean' }).replace('Connection: keep-alive', 'Connection: close'));
    const close = await e.next();
    expect([close.status, close.text, lean(close)]).toEqual([200, 'true', false]);
  });

  test('a mistake on the lean path is a 4xx with a message, and the connection goes on', async () => {
    const c = client();
    c.write(post('/update', { win: 'nope', eid: 'lean', data: [{ x: [1], y: [1] }] }) + post('/events', line('m', [0], [1])));
    const missing = await c.next();
    expect(missing.status).toBe(404);
    expect(missing.text).toMatch(/does not exist/);
    expect(lean(missing)).toBe(true);
    const next = await c.next();
    expect([next.status, next.text]).toEqual([200, 'm']);
  });

  test('a body over the lean path’s 1 MiB goes to node:http whole', async () => {
    const c = client();
    const big = 'x'.repeat(1.5 * 1024 * 1024);
    c.write(post('/events', { data: [{ content: big, type: 'text' }], win: 't', eid: 'lean', opts: {} }));
    const a = await c.next();
    expect([a.status, a.text, lean(a)]).toEqual([200, 't', false]);
    const win = await visdom(server.url).window('lean', 't');
    expect(win.content.kind === 'text' && win.content.text.length).toBe(big.length);
  });

  test('a client that half-closes after its request gets the answer, and the connection closes', async () => {
    const c = client();
    c.write(post('/events', line('e', [0], [1])));
    (c as unknown as { socket: Socket }).socket.end();
    const a = await c.next();
    expect([a.status, a.text, lean(a)]).toEqual([200, 'e', true]);
    const started = Date.now();
    while (!c.closed && Date.now() - started < 3000) await new Promise((r) => setTimeout(r, 20));
    expect(c.closed).toBe(true); // well before the 5 s idle timeout
  });

  test('closing the server closes the connections the lean path holds', async () => {
    const c = client();
    c.write(post('/events', line('c', [0], [1])));
    expect(lean(await c.next())).toBe(true);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.closed).toBe(true);
    server = await startServer(); // for afterEach
  });
});

describe('the lean path and the token', () => {
  test('a POST without the token gets the usual 401 and changes nothing; with it, the lean path answers', async () => {
    const token = 'a-long-enough-token-for-tests';
    const server = await startServer({ token });
    const c = new RawClient(server.url);
    try {
      c.write(post('/events', line('s', [0], [1])));
      const refused = await c.next();
      expect([refused.status, lean(refused)]).toEqual([401, false]);
      const d = new RawClient(server.url);
      d.write(post('/events', line('s', [0], [1]), `Authorization: Bearer ${token}\r\n`) + post('/win_exists', { win: 's', eid: 'lean' }, `Authorization: Bearer ${token}\r\n`));
      const [made, exists] = [await d.next(), await d.next()];
      expect([made.status, made.text, lean(made)]).toEqual([200, 's', true]);
      expect([exists.status, exists.text]).toEqual([200, 'true']);
      d.close();
    } finally {
      c.close();
      await server.close();
    }
  });
});
