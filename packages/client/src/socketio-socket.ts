/**
 * The SDK's transport: socket.io over one WebSocket, as the browsers use, with bytes as binary
 * attachments; socket.io reconnects and holds calls made while the connection is down.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { NodeWebSocket } from 'engine.io-client';
import { io } from 'socket.io-client';
import type { ErrorCode, SocketAuth } from '@cnnvis/protocol';
import type { AckSocket } from './connection';
import { apiUrl, authHeaders } from './http-api';

/**
 * `http://host:8097/base` → origin `http://host:8097` and path `/base/socket.io`
 * (socket.io-client would read a URL's path as a namespace).
 * @example
 * socketIoTarget('http://127.0.0.1:8097/cnnvis'); // { origin: 'http://127.0.0.1:8097', path: '/cnnvis/socket.io' }
 */
export function socketIoTarget(url: string): { origin: string; path: string } {
  return { origin: new URL(url).origin, path: apiUrl(url, '/socket.io').pathname };
}

/** Refusals that retrying will not mend: a missing or wrong token, a forbidden origin. */
const FINAL_REFUSALS: Readonly<Partial<Record<number, ErrorCode>>> = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN' };

/** The server refused the WebSocket upgrade, shaped as socket.io's own refusals (`data.code`). */
export class UpgradeRefusedError extends Error {
  readonly data: { code: ErrorCode; message: string } | undefined;

  constructor(
    readonly status: number,
    text: string,
  ) {
    super(`HTTP ${status}${text === '' ? '' : `: ${text}`}`);
    const code = FINAL_REFUSALS[status];
    this.data = code === undefined ? undefined : { code, message: text || this.message };
  }
}

/**
 * Masking protects browsers' proxies; from the SDK it only costs a copy of every image. A zero
 * key lets `ws` skip it on both ends while the frames stay standard.
 */
const zeroMask = (mask: Uint8Array) => mask.fill(0);

/** The part of `ws`'s client WebSocket read here. */
interface ClientWebSocket {
  once(event: 'unexpected-response', fn: (req: unknown, res: IncomingMessage) => void): unknown;
  terminate(): void;
}

/**
 * engine.io-client's WebSocket transport for Node, unmasked and without
 * compression, that keeps the server's answer to a refused upgrade: `ws` alone
 * reports `Unexpected server response: 401` and drops the body that says why.
 */
class SdkWebSocket extends NodeWebSocket {
  private refused: UpgradeRefusedError | undefined;
  private corked = false;

  override createSocket(uri: string, protocols: string | string[] | undefined, opts: Record<string, unknown>): unknown {
    const ws = super.createSocket(uri, protocols, { ...opts, perMessageDeflate: false, generateMask: zeroMask }) as ClientWebSocket;
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => {
        this.refused = new UpgradeRefusedError(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8').slice(0, 500));
        ws.terminate(); // fails the handshake, which reaches onError below
      });
    });
    return ws;
  }

  /**
   * The packets of one tick in one write: engine.io-client writes each flush a tick apart, so an
   * image's two packets would cost two system calls and two wake-ups of the server.
   */
  override write(packets: Parameters<NodeWebSocket['write']>[0]): void {
    // `_socket` is ws's TCP socket; engine.io-client reaches it the same way for `autoUnref`.
    const tcp = (this.ws as { _socket?: { cork(): void; uncork(): void } } | null)?._socket;
    if (tcp !== undefined && !this.corked) {
      this.corked = true;
      tcp.cork();
      process.nextTick(() =>
        process.nextTick(() => {
          this.corked = false;
          tcp.uncork();
        }),
      );
    }
    super.write(packets);
  }

  protected override onError(reason: string, description: unknown, context?: unknown): this {
    if (this.refused === undefined) {
      // `websocket error: connect ECONNREFUSED 127.0.0.1:8097` says more than `websocket error`.
      const detail = (description as { message?: unknown } | undefined)?.message;
      return super.onError(typeof detail === 'string' && detail !== '' ? `${reason}: ${detail}` : reason, description, context);
    }
    // Not a TransportError: socket.io hands it to `connect_error` as it is, the server's reason in it.
    this.emitReserved('error', this.refused as never);
    return this;
  }
}

/**
 * A socket.io client socket of its own (`forceNew`), over WebSocket only.
 * @example
 * const conn = new Connection(createSocketIoSocket('http://127.0.0.1:8097', token), options);
 */
export function createSocketIoSocket(url: string, token?: string): AckSocket {
  const { origin, path } = socketIoTarget(url);
  const socket = io(origin, {
    path,
    forceNew: true,
    transports: [SdkWebSocket],
    extraHeaders: authHeaders(token),
    auth: { client: 'sdk' } satisfies SocketAuth,
    reconnectionDelay: 100,
    reconnectionDelayMax: 5000,
  });
  // A final refusal (the token will not change by itself) stops reconnecting. Registered before
  // the Connection's listener, so that sees `active` false.
  socket.on('connect_error', (err) => {
    if (err instanceof UpgradeRefusedError && err.data !== undefined) socket.disconnect();
  });
  return socket;
}
