/**
 * The SDK over the server's socket.io endpoint instead of its `/sdk`
 * WebSocket (`new CnnVis({ transport: 'socket.io' })`): the same events,
 * payloads and acks, with socket.io's own reconnection and binary
 * attachments. For proxies and tools that only pass socket.io; the default
 * `/sdk` channel costs a fraction of socket.io's per round trip (bench/).
 * @module
 */
import { io } from 'socket.io-client';
import type { AckSocket } from './connection';
import { authHeaders } from './http-api';

/**
 * `http://host:8097/base` → origin `http://host:8097` and path `/base/socket.io`
 * (socket.io-client would read a URL's path as a namespace).
 * @example
 * socketIoTarget('http://127.0.0.1:8097/cnnvis'); // { origin: 'http://127.0.0.1:8097', path: '/cnnvis/socket.io' }
 */
export function socketIoTarget(url: string): { origin: string; path: string } {
  const u = new URL(url);
  return { origin: u.origin, path: `${u.pathname.replace(/\/+$/, '')}/socket.io` };
}

/** A socket.io client socket, connected over WebSocket only (no long polling: one connection, binary frames). */
export function createSocketIoSocket(url: string, token?: string): AckSocket {
  const { origin, path } = socketIoTarget(url);
  return io(origin, { path, transports: ['websocket'], extraHeaders: authHeaders(token) });
}
