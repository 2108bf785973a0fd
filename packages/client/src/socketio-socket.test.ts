import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io-client';
import { createSocketIoSocket, socketIoTarget, UpgradeRefusedError } from './socketio-socket';

let http: HttpServer | undefined;
let url: string;
let socket: Socket | undefined;

async function listen(server: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  socket?.disconnect();
  const server = http;
  [socket, http] = [undefined, undefined];
  server?.closeAllConnections();
  if (server !== undefined) await new Promise((resolve) => server.close(resolve));
});

/** The SDK's socket, connected to `url`. */
async function connect(): Promise<Socket> {
  const s = createSocketIoSocket(url) as Socket;
  socket = s;
  await new Promise<void>((resolve) => s.once('connect', () => resolve()));
  return s;
}

test('a URL path is the socket.io path, not a namespace', () => {
  expect(socketIoTarget('http://127.0.0.1:8097/cnnvis/')).toEqual({ origin: 'http://127.0.0.1:8097', path: '/cnnvis/socket.io' });
});

describe('against a socket.io server', () => {
  let io: Server;
  /** Requests the server has received, in order. */
  let received: unknown[];

  beforeEach(async () => {
    http = createServer();
    io = new Server(http, { serveClient: false });
    received = [];
    const held: Array<() => void> = [];
    io.on('connection', (s) => {
      s.on('echo', (payload: unknown, ack: (r: unknown) => void) => {
        received.push(payload);
        ack({ data: payload });
      });
      // Answers nothing until `n` requests have come, then all of them, the last first.
      s.on('gather', (payload: { n: number }, ack: (r: unknown) => void) => {
        received.push(payload);
        held.unshift(() => ack({ data: payload }));
        if (held.length === payload.n) for (const answer of held.splice(0)) answer();
      });
    });
    url = await listen(http);
  });
  afterEach(() => io.close());

  test('calls are in flight together and each gets its own ack', async () => {
    const s = await connect();
    const n = 200;
    const calls = Array.from({ length: n }, (_, i) => s.timeout(5000).emitWithAck('gather', { n, i }));
    await expect(Promise.all(calls)).resolves.toEqual(Array.from({ length: n }, (_, i) => ({ data: { n, i } })));
  });

  test('bytes travel as a binary attachment, sent with their call in one write', async () => {
    const s = await connect();
    // ws's TCP socket (private, hence the cast): a corked batch reaches it as one _writev.
    type Tcp = { _write(...args: unknown[]): void; _writev(...args: unknown[]): void };
    const tcp = (s.io.engine.transport as unknown as { ws: { _socket: Tcp } }).ws._socket;
    const write = jest.spyOn(tcp, '_write');
    const writev = jest.spyOn(tcp, '_writev');
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251);
    const reply = (await s.timeout(5000).emitWithAck('echo', { win: 'w', data: bytes })) as { data: { data: Uint8Array } };
    expect(Buffer.from(reply.data.data).equals(Buffer.from(bytes))).toBe(true);
    expect(received[0]).toEqual({ win: 'w', data: expect.any(Buffer) });
    expect(write.mock.calls.length + writev.mock.calls.length).toBe(1);
  });
});

describe('a refused upgrade', () => {
  /** A server that answers every upgrade with `status` and `body`. */
  async function refusing(status: number, body: string): Promise<void> {
    http = createServer();
    http.on('upgrade', (_req, tcp: NetSocket) => {
      tcp.end(`HTTP/1.1 ${status} Refused\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
    url = await listen(http);
  }

  test('401 ends reconnecting, the server message and code in the error', async () => {
    await refusing(401, 'this server needs a token');
    socket = createSocketIoSocket(url) as Socket;
    const err = await new Promise<unknown>((resolve) => socket?.once('connect_error', resolve));
    expect(err).toBeInstanceOf(UpgradeRefusedError);
    expect(err).toMatchObject({ message: 'HTTP 401: this server needs a token', data: { code: 'UNAUTHORIZED', message: 'this server needs a token' } });
    expect(socket.active).toBe(false);
  });

  test('429 names the server reason and goes on reconnecting', async () => {
    await refusing(429, 'more than 4 connections from this address are open');
    socket = createSocketIoSocket(url) as Socket;
    const errors: unknown[] = [];
    socket.on('connect_error', (err) => errors.push(err));
    await new Promise<void>((resolve) => socket?.io.on('reconnect_attempt', () => resolve()));
    expect(errors[0]).toMatchObject({ message: 'HTTP 429: more than 4 connections from this address are open', data: undefined });
    expect(socket.active).toBe(true);
  });
});
