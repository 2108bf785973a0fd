/**
 * Sends one fuzz case over its transport and judges the answer: a 5xx, an
 * error without a message, no answer at all, or a connection cut for no
 * protocol reason are problems; everything else (data, or a 4xx / rejected
 * ack that says what is wrong) is fine.
 */
import http from 'node:http';
import WebSocket from 'ws';
import { HTTP_STATUS_BY_CODE } from '@cnnvis/protocol';
import { connectSocket, type TestSocket } from '../../../../test/support/socket-client';
import { hasDeep, jsonText, materialize, type RawBody } from './fuzz-arbitraries';
import type { FuzzCase } from './fuzz-cases';

export type Problem = 'server error' | 'no message' | 'hang' | 'dropped';

export interface Outcome {
  problem?: Problem;
  /** Answered with a 4xx or an error envelope. */
  rejected?: boolean;
  /** The connection was closed as the protocol says (oversized message, invalid UTF-8, unparsable packet). */
  protocolClose?: boolean;
  detail?: string;
}

const TIMEOUT_MS = 15_000;
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

interface HttpReply {
  status: number;
  text: string;
}

/** A raw HTTP request: node's client sends what fetch would refuse (bogus encodings, bodies on any method). */
export function httpCall(base: string, method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    // An explicit length: without one, node sends an OPTIONS or DELETE body unframed, which no server can read.
    const framing = body === undefined ? {} : { 'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength) };
    const req = http.request(base + path, { method, agent, headers: { ...framing, ...headers }, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('hang')));
    req.on('error', reject);
    req.end(body);
  });
}

function isOversized(body: RawBody | undefined): boolean {
  return typeof body === 'object' && body !== null && !(body instanceof Uint8Array);
}

function judgeEnvelope(res: unknown, what: string): Outcome {
  if (typeof res !== 'object' || res === null) return { problem: 'no message', detail: `${what}: reply ${String(res)}` };
  if ('data' in res) return {};
  const error = (res as { error?: { code?: unknown; message?: unknown } }).error;
  // The ack's equivalent of a 5xx: the server failed, not the request.
  if (typeof error?.code === 'string' && (HTTP_STATUS_BY_CODE as Record<string, number>)[error.code] !== undefined && (HTTP_STATUS_BY_CODE as Record<string, number>)[error.code]! >= 500) {
    return { problem: 'server error', detail: `${what}: ${error.code} ${String(error.message)}` };
  }
  if (typeof error?.message === 'string' && error.message.trim() !== '') return { rejected: true };
  return { problem: 'no message', detail: `${what}: ${JSON.stringify(res).slice(0, 200)}` };
}

function judgeHttp(reply: HttpReply, method: string, path: string, json: boolean): Outcome {
  const what = `${method} ${path.slice(0, 120)} → ${reply.status}`;
  if (reply.status >= 500) return { problem: 'server error', detail: `${what}: ${reply.text.slice(0, 200)}` };
  if (reply.status < 400) return {};
  if (method === 'HEAD') return { rejected: true };
  if (!json) return reply.text.trim() === '' ? { problem: 'no message', detail: what } : { rejected: true };
  try {
    return judgeEnvelope(JSON.parse(reply.text), what);
  } catch {
    return { problem: 'no message', detail: `${what}: not JSON: ${reply.text.slice(0, 120)}` };
  }
}

/** A plain WebSocket whose messages queue up until read. */
class QueuedSocket {
  readonly ws: WebSocket;
  private readonly queue: Array<{ data: Buffer; binary: boolean }> = [];
  private wake: (() => void) | undefined;
  closeCode: number | undefined;

  constructor(url: string) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('message', (data: Buffer, binary: boolean) => {
      this.queue.push({ data, binary });
      this.wake?.();
    });
    this.ws.on('close', (code: number) => {
      this.closeCode = code;
      this.wake?.();
    });
    this.ws.on('error', () => undefined);
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  /** The next message that passes `accept`, `closed`, or `hang` after the timeout. */
  async next(accept: (m: { data: Buffer; binary: boolean }) => boolean): Promise<{ data: Buffer; binary: boolean } | 'closed' | 'hang'> {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      while (this.queue.length > 0) {
        const m = this.queue.shift() as { data: Buffer; binary: boolean };
        if (accept(m)) return m;
      }
      if (this.closeCode !== undefined) return 'closed';
      const left = deadline - Date.now();
      if (left <= 0) return 'hang';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  close(): void {
    this.ws.terminate();
  }
}

/** One fuzzing worker: its own socket.io socket and `/vis_socket`, reopened when closed. */
export class FuzzClient {
  private socket: TestSocket | undefined;
  private vis: QueuedSocket | undefined;
  private nextId = 1;
  /** Ack ids for hand-written packets, far above socket.io-client's own counter. */
  private rawAckId = 1_000_000_000;

  constructor(
    private readonly url: string,
    private readonly limit: number,
    private readonly worker: number,
  ) {}

  async run(c: FuzzCase): Promise<Outcome> {
    switch (c.kind) {
      case 'http':
        // Only the API answers in JSON; the static UI's 404s are express's own text.
        return this.http(c.method, c.path, c.body, c.contentType, c.encoding, c.path.startsWith('/api/'));
      case 'visdom':
        return this.http('POST', c.route, c.body, c.contentType, undefined, false);
      case 'socket':
        return this.socketEvent(c.event, c.payload);
      case 'socket-raw':
        return this.socketRaw(c.packet);
      case 'vis-socket':
        return this.visSocket(c.frame, c.binary);
    }
  }

  private async http(method: string, path: string, body: RawBody | undefined, type?: string, encoding?: string, json = true): Promise<Outcome> {
    const headers: Record<string, string> = {};
    if (type !== undefined) headers['content-type'] = type;
    if (encoding !== undefined) headers['content-encoding'] = encoding;
    try {
      return judgeHttp(await httpCall(this.url, method, path, body === undefined ? undefined : materialize(body), headers), method, path, json);
    } catch (err) {
      const message = (err as Error).message;
      if (message === 'hang') return { problem: 'hang', detail: `${method} ${path}` };
      // The server may close after answering an oversized body or a model it will not read.
      if (isOversized(body) || path.startsWith('/api/models/')) return { protocolClose: true };
      return { problem: 'dropped', detail: `${method} ${path}: ${message}` };
    }
  }

  private async openSocket(): Promise<TestSocket> {
    if (this.socket?.connected !== true) {
      this.socket?.close();
      this.socket = await connectSocket(this.url);
    }
    return this.socket;
  }

  private async socketEvent(event: string, payload: unknown): Promise<Outcome> {
    if (hasDeep(payload)) return this.socketEventRaw(event, payload);
    const socket = await this.openSocket();
    const emit = socket.timeout(TIMEOUT_MS).emit.bind(socket) as unknown as (e: string, p: unknown, ack: (err: Error | null, r: unknown) => void) => void;
    const size = approxSize(payload);
    return new Promise((resolve) => {
      emit(event, payload, (err, res) => {
        if (err === null) return resolve(judgeEnvelope(res, `socket ${event}`));
        // Over socket.io's maxHttpBufferSize, engine.io closes the connection: that is its answer.
        if (!socket.connected && size > this.limit * 0.9) return resolve({ protocolClose: true });
        resolve({ problem: socket.connected ? 'hang' : 'dropped', detail: `socket ${event} (${size} bytes): ${err.message}` });
      });
    });
  }

  /** An event whose payload socket.io-client cannot serialize (too deep): written as a packet, its ack read as one. */
  private async socketEventRaw(event: string, payload: unknown): Promise<Outcome> {
    const socket = await this.openSocket();
    const engine = socket.io.engine as unknown as {
      write(p: string): void;
      on(e: 'packet', fn: (p: { type: string; data?: unknown }) => void): void;
      off(e: 'packet', fn: (p: { type: string; data?: unknown }) => void): void;
    };
    const id = this.rawAckId++;
    const text = jsonText([event, payload]);
    const what = `socket ${event} (raw, ${text.length} bytes)`;
    return new Promise((resolve) => {
      const finish = (out: Outcome) => {
        clearTimeout(timer);
        engine.off('packet', onPacket);
        socket.off('disconnect', onDisconnect);
        resolve(out);
      };
      const timer = setTimeout(() => finish({ problem: 'hang', detail: what }), TIMEOUT_MS);
      const head = `3${id}[`;
      const onPacket = (p: { type: string; data?: unknown }) => {
        if (p.type === 'message' && typeof p.data === 'string' && p.data.startsWith(head)) {
          finish(judgeEnvelope((JSON.parse(p.data.slice(head.length - 1)) as unknown[])[0], what));
        }
      };
      const onDisconnect = () => finish(text.length > this.limit * 0.9 ? { protocolClose: true } : { problem: 'dropped', detail: what });
      engine.on('packet', onPacket);
      socket.on('disconnect', onDisconnect);
      engine.write(`2${id}${text}`);
    });
  }

  /** A broken packet may close the connection (socket.io's parse error); otherwise the socket must still answer. */
  private async socketRaw(packet: string): Promise<Outcome> {
    const socket = await this.openSocket();
    (socket.io.engine as unknown as { write(p: string): void }).write(packet);
    const out = await this.socketEvent('env:list', {});
    if (out.problem === 'dropped') return { protocolClose: true };
    return out;
  }

  private async openVis(): Promise<QueuedSocket> {
    if (this.vis === undefined || this.vis.closeCode !== undefined) {
      this.vis = new QueuedSocket(`${this.url.replace('http', 'ws')}/vis_socket`);
      await this.vis.opened();
    }
    return this.vis;
  }

  /** Garbage, then an echo command: the echo coming back shows the socket still works. */
  private async visSocket(frame: string | Uint8Array, binary: boolean): Promise<Outcome> {
    const vis = await this.openVis();
    const probe = `w${this.worker}-${this.nextId++}`;
    vis.ws.send(frame, { binary });
    vis.ws.send(JSON.stringify({ cmd: 'echo', probe }));
    const m = await vis.next((msg) => msg.data.toString().includes(probe));
    if (m === 'hang') return { problem: 'hang', detail: 'vis_socket echo' };
    if (m === 'closed') return { problem: 'dropped', detail: `vis_socket closed ${vis.closeCode}` };
    return {};
  }

  close(): void {
    this.socket?.close();
    this.vis?.close();
  }
}

/** Roughly how many bytes a payload takes as JSON (binary attachments counted raw). */
function approxSize(payload: unknown): number {
  try {
    return jsonText(payload).length;
  } catch {
    return Infinity;
  }
}
