/**
 * The SDK's transport: one plain WebSocket to the server's `/sdk` channel,
 * speaking `@cnnvis/protocol`'s sdk-frames, with reconnection and a send
 * buffer. It offers the small part of socket.io's socket that
 * {@link Connection} uses, at a fraction of socket.io's cost per round trip
 * (bench/ measures both).
 * @module
 */
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, SDK_CHANNEL_PATH } from '@cnnvis/protocol';
import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from '@cnnvis/protocol';
import { sharedBufferPool } from './buffer-pool';
import { CnnvisClientError } from './client-error';
import type { AckSocket } from './connection';
import { authHeaders } from './http-api';

/** Reconnection backoff. */
export interface SdkSocketOptions {
  /** @default 100 */
  reconnectDelayMs: number;
  /** @default 5000 */
  reconnectDelayMaxMs: number;
}

type Pending = {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  event: string;
  timeoutMs: number;
  /** When it fails with TIMEOUT, on `performance.now()`'s clock. */
  deadline: number;
  /** Whether the frame went out on the current socket (else it waits in the outbox). */
  sent: boolean;
};

/** `http://host:8097/base` → `ws://host:8097/base/sdk`. */
export function sdkChannelUrl(url: string): string {
  const u = new URL(url);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${SDK_CHANNEL_PATH}`;
  return u.toString();
}

/**
 * Masking protects browsers' proxies from forged requests; from a Node SDK to
 * its own server it only costs a pass over every image. A zero key lets `ws`
 * skip the XOR on both ends while the frames stay standard.
 */
const zeroMask = (mask: Buffer) => mask.fill(0);

export class SdkSocket implements AckSocket {
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Frames asked for while disconnected, sent in order on (re)connect. */
  private readonly outbox: Array<{ id: number; frame: string | Uint8Array }> = [];
  private readonly listeners = new Map<string, Array<(value: unknown) => void>>();
  private retries = 0;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /**
   * One timer for every request's deadline, armed for the earliest: a timer
   * per request (set, then cleared by its answer) cost ~3 µs of each ~100 µs
   * round trip (--cpu-prof). It holds the process open only while requests wait.
   */
  private deadlineTimer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;

  constructor(
    private readonly url: string,
    private readonly opts: SdkSocketOptions = { reconnectDelayMs: 100, reconnectDelayMaxMs: 5000 },
    private readonly token?: string,
  ) {
    this.open();
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Reconnection goes on until {@link disconnect}. */
  get active(): boolean {
    return !this.stopped;
  }

  on(event: string, listener: (value: unknown) => void): this {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
    return this;
  }

  timeout(ms: number) {
    return { emitWithAck: (event: string, payload: unknown) => this.request(event, payload, ms) };
  }

  disconnect(): this {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.deadlineTimer);
    this.armedFor = Infinity;
    this.ws?.close();
    this.failPending('the client disconnected before the server answered', true);
    return this;
  }

  private request(event: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const id = this.nextId++;
    const frame = encodeFrame([id, event, payload], sharedBufferPool.take);
    return new Promise((resolve, reject) => {
      const deadline = performance.now() + timeoutMs;
      const sent = this.connected;
      if (this.pending.size === 0) this.deadlineTimer?.ref();
      this.pending.set(id, { resolve, reject, event, timeoutMs, deadline, sent });
      this.watchDeadline(deadline);
      if (sent && this.ws !== undefined) this.write(this.ws, frame);
      else this.outbox.push({ id, frame });
    });
  }

  private watchDeadline(deadline: number): void {
    if (deadline >= this.armedFor) return;
    clearTimeout(this.deadlineTimer);
    this.armedFor = deadline;
    // Armed only with a request waiting (request() and expire()), so left ref'd; forget() unrefs it.
    this.deadlineTimer = setTimeout(() => this.expire(), Math.max(0, deadline - performance.now()));
  }

  /** Fail the requests past their deadline, and wait for the next one. */
  private expire(): void {
    this.deadlineTimer = undefined;
    this.armedFor = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const [id, p] of this.pending) {
      if (p.deadline > now) {
        next = Math.min(next, p.deadline);
        continue;
      }
      this.forget(id);
      p.reject(new CnnvisClientError({ code: 'TIMEOUT', message: `${p.event}: no answer within ${p.timeoutMs} ms` }));
    }
    if (next < Infinity) this.watchDeadline(next);
  }

  /** Drop a request that is settled; with none left the deadline timer stops holding the process open. */
  private forget(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.deadlineTimer?.unref();
  }

  /**
   * Send a frame; a pooled one goes back to the pool once the socket has written it (or failed to).
   * Small frames are not pooled, and go without a callback (node would schedule one per write).
   */
  private write(ws: WebSocket, frame: string | Uint8Array): void {
    if (typeof frame !== 'string' && sharedBufferPool.lends(frame)) ws.send(frame, () => sharedBufferPool.give(frame));
    else ws.send(frame);
  }

  private open(): void {
    const ws = new WebSocket(sdkChannelUrl(this.url), {
      perMessageDeflate: false,
      generateMask: zeroMask,
      headers: authHeaders(this.token),
    });
    this.ws = ws;
    ws.on('open', () => {
      this.retries = 0;
      for (const { id, frame } of this.outbox.splice(0)) {
        const pending = this.pending.get(id);
        if (pending === undefined) continue; // timed out while waiting
        pending.sent = true;
        this.write(ws, frame);
      }
      this.fire('connect', undefined);
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => this.receive(isBinary ? data : data.toString()));
    // After an HTTP answer to the upgrade, ws reports its own closing of the socket as an error:
    // the server's answer is the reason worth keeping, not that.
    let answered = false;
    ws.on('error', (err) => {
      if (!answered) this.fire('connect_error', err);
    });
    ws.on('unexpected-response', (_req, res) => {
      answered = true;
      this.refusedUpgrade(ws, res);
    });
    ws.on('close', () => {
      if (this.ws !== ws) return;
      // Requests already sent may or may not have been applied; their answers are lost with the socket.
      this.failPending('the connection closed before the server answered; the change may or may not have been applied');
      this.fire('disconnect', undefined);
      if (!this.stopped) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const delay = Math.min(this.opts.reconnectDelayMs * 2 ** this.retries, this.opts.reconnectDelayMaxMs);
    this.retries++;
    this.retryTimer = setTimeout(() => this.open(), delay);
    this.retryTimer.unref();
  }

  private receive(data: string | Uint8Array): void {
    let parts: unknown[];
    try {
      parts = decodeFrame(data);
    } catch {
      return; // not ours to answer; a broken frame from the server only loses itself
    }
    const [id, second, third] = parts;
    if (id === 0 && typeof second === 'string' && parts.length === 3) return this.fire(second, third);
    const pending = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (pending === undefined) return;
    this.forget(id as number);
    pending.resolve(second);
  }

  /**
   * The server answered the upgrade with an HTTP error. A missing or wrong
   * token (401/403) will not mend itself: stop, and fail every call with the
   * server's message. Anything else is retried like a dropped connection.
   */
  private refusedUpgrade(ws: WebSocket, res: IncomingMessage): void {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').slice(0, 500);
      const message = `HTTP ${res.statusCode ?? 0}${text === '' ? '' : `: ${text}`}`;
      const code: ErrorCode | undefined = res.statusCode === 401 ? 'UNAUTHORIZED' : res.statusCode === 403 ? 'FORBIDDEN' : undefined;
      if (code !== undefined) {
        this.stopped = true;
        this.fire('connect_error', Object.assign(new Error(message), { data: { code, message: text || message } }));
        this.failPending(`the server refused the connection: ${text || message}`, true, code);
      } else this.fire('connect_error', new Error(message));
      ws.terminate();
    });
  }

  /** Reject the requests already sent (or all of them, when stopping). */
  private failPending(message: string, all = false, code: ErrorCode = 'UNAVAILABLE'): void {
    for (const [id, p] of this.pending) {
      if (!p.sent && !all) continue;
      this.forget(id);
      p.reject(new CnnvisClientError({ code, message }));
    }
    if (all) this.outbox.length = 0;
  }

  private fire(event: string, value: unknown): void {
    for (const fn of this.listeners.get(event) ?? []) fn(value);
  }
}
