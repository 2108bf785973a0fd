/**
 * The SDK's HTTP calls (model checks and uploads) on plain node:http, so a model streams from
 * disk with backpressure and an early answer (413, already stored) stops the upload at once.
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { CnnvisClientError } from './client-error';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequestInit {
  method: 'GET' | 'HEAD' | 'PUT';
  headers?: Record<string, string | number>;
  /** Bytes, or a stream (sent as it is read, with backpressure). */
  body?: Uint8Array | Readable;
  /** Called with the bytes sent so far. */
  onSent?: (bytes: number) => void;
  /** The server's access token, sent as `Authorization: Bearer`. */
  token?: string | undefined;
}

/** The Authorization header for a token, or none. */
export function authHeaders(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/**
 * `http://host:8097/base` + `/api/x` → `http://host:8097/base/api/x`.
 * @example
 * apiUrl('http://127.0.0.1:8097', `/api/models/${id}`);
 */
export function apiUrl(base: string, path: string): URL {
  const u = new URL(base);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
  return u;
}

/**
 * One HTTP exchange; resolves with any status, rejects with UNAVAILABLE when unreachable.
 * @example
 * const res = await httpRequest(apiUrl(url, `/api/models/${id}`), { method: 'HEAD' });
 */
export async function httpRequest(url: URL, init: HttpRequestInit): Promise<HttpResponse> {
  // Imported lazily so that browser bundles of the SDK do not pull in node:http.
  const http = (url.protocol === 'https:' ? await import('node:https') : await import('node:http')) as typeof import('node:http');
  return new Promise((resolve, reject) => {
    const { body, onSent } = init;
    const req = http.request(url, { method: init.method, headers: { ...init.headers, ...authHeaders(init.token) } });
    let answered = false;
    req.once('response', (res) => {
      answered = true;
      // An early answer (413, already stored): stop sending the rest.
      if (body !== undefined && !(body instanceof Uint8Array)) body.unpipe(req).destroy();
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => {
        // After an early answer the server closes; the unsent rest of the body is dropped.
        if (!req.writableFinished) req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.once('error', (err) => reject(unreachable(url, err)));
    });
    req.once('error', (err) => {
      if (!answered) reject(unreachable(url, err));
    });
    if (body === undefined) return void req.end();
    if (body instanceof Uint8Array) {
      req.end(body, () => onSent?.(body.byteLength));
      return;
    }
    let sent = 0;
    body.on('data', (chunk: Buffer) => {
      sent += chunk.byteLength;
      onSent?.(sent);
    });
    body.once('error', (err) => {
      req.destroy();
      reject(new CnnvisClientError({ code: 'BAD_REQUEST', message: `model: cannot read it: ${err.message}`, cause: err }));
    });
    body.pipe(req);
  });
}

function unreachable(url: URL, err: Error): CnnvisClientError {
  return new CnnvisClientError({
    code: 'UNAVAILABLE',
    message: `cannot reach the cnnvis server at ${url.origin}: ${err.message}`,
    cause: err,
  });
}

/** The error a non-2xx answer carries (its envelope), or one naming the status. */
export function httpError(res: HttpResponse, what: string): CnnvisClientError {
  try {
    const parsed: unknown = JSON.parse(res.body.toString('utf8'));
    const err = CnnvisClientError.from(parsed);
    if (err.code !== 'INTERNAL' || res.status === 500) return err;
  } catch {
    // not JSON: fall through
  }
  const code = res.status === 404 ? 'NOT_FOUND' : res.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INTERNAL';
  return new CnnvisClientError({ code, message: `${what}: the server answered ${res.status}` });
}
