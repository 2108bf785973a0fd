import { EventEmitter } from 'node:events';
import { Connection, type AckSocket } from './connection';

/** A socket.io-client stand-in: records emits and answers with `reply`. */
class FakeSocket extends EventEmitter implements AckSocket {
  connected = false;
  active = true;
  sent: Array<{ event: string; payload: unknown; timeout: number }> = [];
  reply: (event: string, payload: unknown) => Promise<unknown> = async () => ({ data: 'ok' });
  disconnected = false;

  timeout(ms: number) {
    return {
      emitWithAck: (event: string, payload: unknown) => {
        this.sent.push({ event, payload, timeout: ms });
        return this.reply(event, payload);
      },
    };
  }

  disconnect() {
    this.disconnected = true;
  }

  hello(maxPayloadBytes = 1_000_000) {
    this.connected = true;
    this.emit('server:hello', { version: '0.1.0', limits: { maxPayloadBytes } });
  }
}

const opts = { url: 'http://test', connectTimeoutMs: 200, ackTimeoutMs: 1000 };
const text = (t: string) => ({ env: 'main', win: 'w', content: { kind: 'text' as const, text: t } });

describe('Connection', () => {
  it('waits for the hello, then emits in call order and resolves with the data', async () => {
    const socket = new FakeSocket();
    const conn = new Connection(socket, opts);
    const first = conn.request('window:create', text('a'));
    const second = conn.request('window:create', text('b'));
    expect(socket.sent).toHaveLength(0);
    socket.hello();
    await expect(first).resolves.toBe('ok');
    await expect(second).resolves.toBe('ok');
    expect(socket.sent.map((s) => (s.payload as ReturnType<typeof text>).content.text)).toEqual(['a', 'b']);
    expect(socket.sent[0]?.timeout).toBe(1000);
  });

  it('emits synchronously once the hello has arrived', () => {
    const socket = new FakeSocket();
    const conn = new Connection(socket, opts);
    socket.hello();
    void conn.request('env:list', {});
    expect(socket.sent).toEqual([{ event: 'env:list', payload: {}, timeout: 1000 }]);
  });

  it('rejects an invalid request with BAD_REQUEST naming the field, without sending it', async () => {
    const socket = new FakeSocket();
    const conn = new Connection(socket, opts);
    socket.hello();
    const bad = { env: 'main', win: 'w', content: { kind: 'text', text: 't' }, opts: { titel: 'x' } };
    await expect(conn.request('window:create', bad as never)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('opts'),
      issues: [expect.objectContaining({ path: 'opts' })],
    });
    await expect(conn.request('window:get', { env: 'main', win: 'a/b' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^win: /),
    });
    expect(socket.sent).toHaveLength(0);
  });

  it('rejects a message over the server limit with PAYLOAD_TOO_LARGE, without sending it', async () => {
    const socket = new FakeSocket();
    const conn = new Connection(socket, opts);
    socket.hello(1000);
    const image = { kind: 'image' as const, images: [{ encoding: 'raw' as const, shape: [40, 40] as [number, number], data: new Uint8Array(1600) }] };
    await expect(conn.request('window:create', { env: 'main', content: image })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('at most 1000'),
    });
    expect(socket.sent).toHaveLength(0);
  });

  it('turns an error envelope into a CnnvisClientError with the server code and message', async () => {
    const socket = new FakeSocket();
    socket.reply = async () => ({ error: { code: 'NOT_FOUND', message: "no window 'w'" } });
    const conn = new Connection(socket, opts);
    socket.hello();
    await expect(conn.request('window:get', { env: 'main', win: 'w' })).rejects.toMatchObject({
      name: 'CnnvisClientError',
      code: 'NOT_FOUND',
      message: "no window 'w'",
    });
  });

  it('maps an ack timeout to TIMEOUT naming the event', async () => {
    const socket = new FakeSocket();
    socket.reply = async () => {
      throw new Error('operation has timed out');
    };
    const conn = new Connection(socket, opts);
    socket.hello();
    await expect(conn.request('env:list', {})).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: 'env:list: no answer from the server within 1000 ms',
    });
  });

  it('rejects with UNAVAILABLE when it cannot connect in time', async () => {
    const socket = new FakeSocket();
    const conn = new Connection(socket, opts);
    socket.emit('connect_error', new Error('websocket error'));
    await expect(conn.request('env:list', {})).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'cannot connect to the cnnvis server at http://test within 200 ms: websocket error',
    });
    // A later call waits again rather than failing at once.
    const later = conn.request('env:list', {});
    socket.hello();
    await expect(later).resolves.toBe('ok');
  });

  it('fails at once when the server refuses the connection', async () => {
    const socket = new FakeSocket();
    const conn = new Connection(socket, { ...opts, connectTimeoutMs: 60_000 });
    const pending = conn.request('env:list', {});
    socket.active = false;
    socket.emit('connect_error', Object.assign(new Error('bad token'), { data: { code: 'UNAUTHORIZED', message: 'bad token' } }));
    await expect(pending).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('bad token') });
  });

  it('goes on with the default limit when a connected server sends no hello', async () => {
    const socket = new FakeSocket();
    socket.connected = true;
    const conn = new Connection(socket, opts);
    await expect(conn.request('env:list', {})).resolves.toBe('ok');
  });

  it('refuses requests after close and disconnects the socket', async () => {
    const socket = new FakeSocket();
    const conn = new Connection(socket, opts);
    conn.close();
    expect(socket.disconnected).toBe(true);
    await expect(conn.request('env:list', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
