/**
 * The request/ack round trip: validate, wait for the server's hello once, check the payload
 * against its limit, emit, and turn the ack envelope into a value or a {@link CnnvisClientError}.
 * @module
 */
import {
  AnalyzeRequestSchema,
  AttributionRequestSchema,
  DatasetRequestSchema,
  CompareRequestSchema,
  EnvForkRequestSchema,
  EnvTargetSchema,
  FiltersRequestSchema,
  ServerHelloSchema,
  WindowCreateRequestSchema,
  WindowTargetSchema,
  WindowUpdateRequestSchema,
  isErrorEnvelope,
  ModelGraphRequestSchema,
  parsePayload,
} from '@cnnvis/protocol';
import type { ClientToServerEvents, Envelope, ServerHello } from '@cnnvis/protocol';
import type { z } from 'zod';
import { AppendBatches } from './append-batch';
import { CnnvisClientError } from './client-error';
import type { CnnVisOptions } from './options';
import { estimatePayloadBytes } from './payload-size';

/** A client event name, e.g. `window:create`. */
export type RequestEvent = keyof ClientToServerEvents;
/** The payload of a client event. */
export type RequestOf<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0];
/** The `data` of a successful ack of a client event. */
export type ReplyOf<E extends RequestEvent> =
  Parameters<ClientToServerEvents[E]>[1] extends (res: Envelope<infer T>) => void ? T : never;

/** The part of a socket.io client socket a {@link Connection} uses; tests pass a fake. */
export interface AckSocket {
  readonly connected: boolean;
  /** False once the socket has given up reconnecting (e.g. the server refused us). */
  readonly active: boolean;
  on(event: string, listener: (value: unknown) => void): unknown;
  timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> };
  disconnect(): unknown;
}

/** The limit assumed when a server sends no `server:hello` (the server's own default). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

const SCHEMAS: Partial<Record<RequestEvent, z.ZodType>> = {
  'window:create': WindowCreateRequestSchema,
  'window:update': WindowUpdateRequestSchema,
  'window:close': WindowTargetSchema,
  'window:get': WindowTargetSchema,
  'env:fork': EnvForkRequestSchema,
  'env:delete': EnvTargetSchema,
  'analysis:run': AnalyzeRequestSchema,
  'attribution:run': AttributionRequestSchema,
  'dataset:run': DatasetRequestSchema,
  'model:graph': ModelGraphRequestSchema,
  'model:filters': FiltersRequestSchema,
  'run:compare': CompareRequestSchema,
};

/** What a {@link Connection} needs to know. */
export type ConnectionOptions = Pick<CnnVisOptions, 'url' | 'connectTimeoutMs' | 'ackTimeoutMs'>;

/**
 * Requests with acks over one socket.
 * @example
 * const conn = new Connection(io(url) as unknown as AckSocket, { url, connectTimeoutMs: 10_000, ackTimeoutMs: 30_000 });
 * const envs = await conn.request('env:list', {});
 */
export class Connection {
  private hello: ServerHello | undefined;
  /** Set when a connected server sent no hello in time; the default limit applies. */
  private helloless = false;
  private waiting: Promise<void> | undefined;
  private settleWaiting: ((err?: CnnvisClientError) => void) | undefined;
  private lastConnectError: Error | undefined;
  private closed = false;
  private readonly appends = new AppendBatches((p) => this.emit('window:update', p, this.opts.ackTimeoutMs));

  constructor(
    private readonly socket: AckSocket,
    private readonly opts: ConnectionOptions,
  ) {
    socket.on('server:hello', (hello) => {
      const parsed = ServerHelloSchema.safeParse(hello);
      if (!parsed.success) return;
      this.hello = parsed.data;
      this.settleWaiting?.();
    });
    socket.on('connect_error', (value) => {
      const err = value instanceof Error ? value : new Error(String(value));
      this.lastConnectError = err;
      // A socket that stops retrying (the server refused us) fails the call now, not at the timeout.
      if (!socket.active) this.settleWaiting?.(this.refused(err));
    });
  }

  /** Whether the socket is connected right now. */
  get connected(): boolean {
    return this.socket.connected;
  }

  /**
   * Send `payload` as `event` and resolve with the ack's `data`.
   * @example
   * const win = await conn.request('window:get', { env: 'main', win: 'loss' });
   */
  request<E extends RequestEvent>(event: E, payload: RequestOf<E>, timeoutMs = this.opts.ackTimeoutMs): Promise<ReplyOf<E>> {
    if (this.closed) {
      return Promise.reject(new CnnvisClientError({ code: 'UNAVAILABLE', message: 'the client is disconnected' }));
    }
    const schema = SCHEMAS[event];
    if (schema !== undefined) {
      const parsed = parsePayload(schema, payload);
      if (!parsed.ok) return Promise.reject(CnnvisClientError.badRequest(parsed.issues));
    }
    // Emit synchronously when possible, so calls reach the wire in the order they were made.
    if (this.hello !== undefined || this.helloless) {
      if (event === 'window:update' && timeoutMs === this.opts.ackTimeoutMs) {
        const batched = this.appends.add(payload as RequestOf<'window:update'>);
        if (batched !== undefined) return batched as Promise<ReplyOf<E>>;
      }
      this.appends.flush();
      return this.emit(event, payload, timeoutMs);
    }
    return this.whenReady().then(() => this.emit(event, payload, timeoutMs));
  }

  /** Stop: later requests fail with UNAVAILABLE and the socket closes. */
  close(): void {
    this.closed = true;
    this.settleWaiting?.(new CnnvisClientError({ code: 'UNAVAILABLE', message: 'the client is disconnected' }));
    this.socket.disconnect();
  }

  private emit<E extends RequestEvent>(event: E, payload: RequestOf<E>, timeoutMs: number): Promise<ReplyOf<E>> {
    const limit = this.hello?.limits.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    const size = estimatePayloadBytes(payload, limit);
    if (size > limit) {
      return Promise.reject(
        new CnnvisClientError({
          code: 'PAYLOAD_TOO_LARGE',
          message: `${event}: the message takes ${size} bytes but the server accepts at most ${limit}; send less data per call`,
        }),
      );
    }
    return this.socket
      .timeout(timeoutMs)
      .emitWithAck(event, payload)
      .then(
        (res) => unwrap<ReplyOf<E>>(event, res),
        (err: unknown) => {
          const error = CnnvisClientError.from(err);
          if (error.code !== 'TIMEOUT') throw error;
          const where = this.socket.connected ? '' : ` (not connected to ${this.opts.url})`;
          throw new CnnvisClientError({
            code: 'TIMEOUT',
            message: `${event}: no answer from the server within ${timeoutMs} ms${where}`,
            cause: err,
          });
        },
      );
  }

  /** Resolve once the first hello arrives; UNAVAILABLE after connectTimeoutMs without a connection. */
  private whenReady(): Promise<void> {
    this.waiting ??= new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.socket.connected) this.helloless = true;
        this.settleWaiting?.(this.socket.connected ? undefined : this.unreachable());
      }, this.opts.connectTimeoutMs);
      this.settleWaiting = (err) => {
        clearTimeout(timer);
        this.waiting = undefined;
        this.settleWaiting = undefined;
        if (err === undefined) resolve();
        else reject(err);
      };
    });
    return this.waiting;
  }

  private unreachable(): CnnvisClientError {
    const why = this.lastConnectError ? `: ${this.lastConnectError.message}` : '';
    return new CnnvisClientError({
      code: 'UNAVAILABLE',
      message: `cannot connect to the cnnvis server at ${this.opts.url} within ${this.opts.connectTimeoutMs} ms${why}`,
      cause: this.lastConnectError,
    });
  }

  private refused(err: Error & { data?: unknown }): CnnvisClientError {
    const fromServer = CnnvisClientError.from(err.data);
    const code = fromServer.code === 'INTERNAL' ? 'UNAVAILABLE' : fromServer.code;
    return new CnnvisClientError({
      code,
      message: `the cnnvis server at ${this.opts.url} refused the connection: ${err.message}`,
      cause: err,
    });
  }
}

function unwrap<T>(event: string, res: unknown): T {
  if (typeof res === 'object' && res !== null) {
    const envelope = res as Envelope<T>;
    if (isErrorEnvelope(envelope)) throw CnnvisClientError.from(envelope.error);
    if ('data' in envelope) return envelope.data;
  }
  throw new CnnvisClientError({ code: 'INTERNAL', message: `${event}: the server's answer is not an envelope` });
}
