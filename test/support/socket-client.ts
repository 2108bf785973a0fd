/**
 * A raw socket.io client for tests: what a browser or a non-SDK client sees.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Envelope, ServerToClientEvents, SocketAuth } from '@cnnvis/protocol';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connect and wait for the connection (websocket only, like the SDK; `{ client: 'sdk' }` to be taken for it). */
export async function connectSocket(url: string, auth: SocketAuth = {}): Promise<TestSocket> {
  const socket: TestSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Emit `event` with `payload` and resolve with the ack envelope, whatever the payload's type. */
export function call<T = unknown>(socket: TestSocket, event: keyof ClientToServerEvents, payload: unknown): Promise<Envelope<T>> {
  const emit = socket.emit.bind(socket) as unknown as (e: string, p: unknown, ack: (r: Envelope<T>) => void) => void;
  return new Promise((resolve) => emit(event, payload, resolve));
}

/** Like {@link call} but returns `data` and throws on an error envelope. */
export async function callOk<T = unknown>(socket: TestSocket, event: keyof ClientToServerEvents, payload: unknown): Promise<T> {
  const res = await call<T>(socket, event, payload);
  if ('error' in res) throw new Error(`${event} failed: ${res.error.code} ${res.error.message}`);
  return res.data;
}

/** Collect every payload of the given events, in arrival order. */
export function record(socket: TestSocket, events: Array<keyof ServerToClientEvents>) {
  const seen: Array<{ event: string; payload: unknown }> = [];
  for (const event of events) {
    (socket.on as (e: string, fn: (p: unknown) => void) => void)(event, (payload) => seen.push({ event, payload }));
  }
  return seen;
}
