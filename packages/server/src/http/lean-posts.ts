/**
 * A lean HTTP/1.1 path for small POSTs on kept-alive connections: the stock
 * Visdom client's calls (`/update`, `/events`, `/win_exists`, …) through one
 * `requests.Session`. node:http's parser, IncomingMessage and ServerResponse
 * cost more per request than a bare server's whole answer leaves room for:
 * a bare node:http server answered ~4,400–6,100 line appends/s on the 2-core
 * VM, a raw socket answering the same bytes ~1.3–1.6× that.
 *
 * Every connection starts here. A request is answered here only when it is a
 * plain one: `POST <path> HTTP/1.1`, a Host, a Content-Length body within the
 * limit, no Transfer-Encoding, Expect, Upgrade, Content-Encoding or
 * `Connection: close`, no header given twice, and `take` accepts it (the
 * access gate lets it through and a route wants it). At the first request that
 * is not, the connection is handed, with every byte not yet answered, to
 * node:http for the rest of its life: browsers, the SDK's upgrade and
 * socket.io go there at their first bytes, and so does anything unusual,
 * including every refusal (node:http gives it its usual answer).
 * @module
 */
import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestHead } from '../access/request-path';

/** How a taken request is answered, from its body. */
export type LeanAnswer = (body: Buffer) => { status: number; text: string };

/** A request's head as the lean path read it (header names lower-case, each once). */
export interface LeanHead extends RequestHead {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
}

export interface LeanPostsOptions {
  /** Bodies over this go to node:http (which streams them, and answers 413 past the server's limit). */
  maxBodyBytes: number;
  /** A connection idle this long is closed, as node:http's keepAliveTimeout does. */
  keepAliveMs: number;
}

export interface LeanPosts {
  /** Close the connections the lean path holds (the server is closing). */
  closeAll(): void;
}

/** Longest request head read here; a longer one goes to node:http. */
const MAX_HEAD = 16 * 1024;
/** A request still not whole this long after its first byte is dropped (node:http's headersTimeout). */
const REQUEST_TIMEOUT_MS = 60_000;
const HEAD_END = Buffer.from('\r\n\r\n');
const POST = Buffer.from('POST ');
const REQUEST_LINE = /^POST (\/[\x21-\x7e]*) HTTP\/1\.1$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const HANDED_TO_NODE = new Set(['transfer-encoding', 'expect', 'upgrade', 'content-encoding']);

/** The Date header's value, made at most once a second. */
let dateSecond = -1;
let dateValue = '';
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateValue = new Date(now).toUTCString();
  }
  return dateValue;
}

function response(status: number, text: string, keepAliveMs: number): string {
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nServer: cnnvis\r\nContent-Type: text/plain; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(text)}\r\nDate: ${httpDate()}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(keepAliveMs / 1000)}\r\n\r\n${text}`
  );
}

const SPACE = 0x20;
const TAB = 0x09;

/** Whether `text` between `from` and `to` holds a control byte other than a tab (field values may not). */
function hasControl(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c < SPACE && c !== TAB) || c === 0x7f) return true;
  }
  return false;
}

/** The head of a plain request, or undefined when node:http should read it. One pass, no split: it runs on every request. */
function readHead(text: string, maxBodyBytes: number): { head: LeanHead; length: number } | undefined {
  const firstEnd = text.indexOf('\r\n');
  const url = REQUEST_LINE.exec(firstEnd < 0 ? text : text.slice(0, firstEnd))?.[1];
  if (url === undefined) return undefined;
  const headers: Record<string, string> = {};
  let at = firstEnd < 0 ? text.length : firstEnd + 2;
  while (at < text.length) {
    let end = text.indexOf('\r\n', at);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', at);
    if (colon <= at || colon > end) return undefined;
    const name = text.slice(at, colon).toLowerCase();
    if (!TOKEN.test(name) || HANDED_TO_NODE.has(name) || Object.hasOwn(headers, name) || hasControl(text, colon + 1, end)) return undefined;
    // Optional whitespace around the value: spaces and tabs only, as node:http trims.
    let from = colon + 1;
    let to = end;
    while (from < to && (text.charCodeAt(from) === SPACE || text.charCodeAt(from) === TAB)) from++;
    while (to > from && (text.charCodeAt(to - 1) === SPACE || text.charCodeAt(to - 1) === TAB)) to--;
    headers[name] = text.slice(from, to);
    at = end + 2;
  }
  // HTTP/1.1 needs a Host (node:http answers 400 without one).
  if (headers['host'] === undefined) return undefined;
  const connection = headers['connection'];
  if (connection !== undefined && connection.toLowerCase() !== 'keep-alive') return undefined;
  const length = headers['content-length'];
  if (length === undefined || !/^\d{1,10}$/.test(length) || Number(length) > maxBodyBytes) return undefined;
  return { head: { method: 'POST', url, headers }, length: Number(length) };
}

/**
 * Answer plain POSTs on `server`'s connections with `take`, and hand the rest to node:http.
 * @example
 * const lean = serveLeanPosts(httpServer, (head) => visdomAnswer(head), { maxBodyBytes, keepAliveMs: 5000 });
 */
export function serveLeanPosts(server: Server, take: (head: LeanHead) => LeanAnswer | undefined, opts: LeanPostsOptions): LeanPosts {
  const nodeListener = server.listeners('connection').find((l) => l.name === 'connectionListener') as ((socket: Socket) => void) | undefined;
  const held = new Set<Socket>();
  const lean: LeanPosts = { closeAll: () => held.forEach((s) => s.destroy()) };
  // A node:http whose connection handling looks different: leave every connection to it.
  if (nodeListener === undefined) return lean;
  server.removeListener('connection', nodeListener);

  server.on('connection', (socket: Socket) => {
    // Refused by a listener before this one (the connection cap): it is closing.
    if (socket.destroyed || socket.writableEnded) return;
    let pending: Buffer | undefined;
    let pendingSince = 0;
    const handOver = (rest: Buffer | undefined) => {
      socket.removeListener('data', onData);
      socket.removeListener('error', onError);
      socket.removeListener('end', onEnd);
      socket.removeListener('drain', onDrain);
      socket.removeListener('timeout', onIdle);
      socket.setTimeout(0);
      socket.resume();
      held.delete(socket);
      nodeListener.call(server, socket);
      // node:http reads from here on; the bytes already read go to its parser first.
      if (rest !== undefined && rest.length > 0) socket.emit('data', rest);
    };
    const onError = () => socket.destroy();
    const onIdle = () => socket.destroy();
    // The client has sent all it will (node:http's server is half-open): finish the answers, then close.
    const onEnd = () => socket.end();
    const onDrain = () => socket.resume();
    function onData(chunk: Buffer): void {
      // A request trickling in a byte at a time keeps the idle timer away, but not this.
      if (pending !== undefined && Date.now() - pendingSince > REQUEST_TIMEOUT_MS) return void socket.destroy();
      const data = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
      const since = pending === undefined ? Date.now() : pendingSince;
      pending = undefined;
      let at = 0;
      let out = '';
      /** Keeps the request at `at`, not whole yet, for the next chunk, timed from its first byte. */
      const keep = () => {
        [pending, pendingSince] = [data.subarray(at), at === 0 ? since : Date.now()];
        at = data.length;
      };
      while (at < data.length) {
        // Anything but a POST goes to node:http at its first bytes.
        const start = Math.min(POST.length, data.length - at);
        if (data.compare(POST, 0, start, at, at + start) !== 0) break;
        const headEnd = data.indexOf(HEAD_END, at);
        if (headEnd < 0) {
          if (data.length - at > MAX_HEAD) break;
          keep();
          continue;
        }
        const read = headEnd - at <= MAX_HEAD ? readHead(data.toString('latin1', at, headEnd), opts.maxBodyBytes) : undefined;
        const answer = read === undefined ? undefined : take(read.head);
        if (read === undefined || answer === undefined) break;
        const end = headEnd + HEAD_END.length + read.length;
        if (end > data.length) {
          keep();
          continue;
        }
        const { status, text } = answer(data.subarray(headEnd + HEAD_END.length, end));
        out += response(status, text, opts.keepAliveMs);
        at = end;
      }
      // Pipelined answers go out in one write, in order, before anything node:http answers; a client
      // that sends without reading its answers is not read from until they drain (as node:http does).
      if (out !== '' && !socket.write(out)) socket.pause();
      if (at < data.length) handOver(data.subarray(at));
    }
    held.add(socket);
    socket.once('close', () => held.delete(socket));
    socket.setNoDelay(true);
    socket.setTimeout(opts.keepAliveMs, onIdle);
    socket.on('error', onError);
    socket.on('end', onEnd);
    socket.on('drain', onDrain);
    socket.on('data', onData);
  });
  return lean;
}
