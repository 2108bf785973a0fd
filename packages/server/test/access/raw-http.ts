/**
 * HTTP and WebSocket requests with full control of the headers (Host, Origin,
 * Cookie), which fetch does not give, for the access tests.
 */
import { request } from 'node:http';
import WebSocket from 'ws';

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export function rawRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const headers = { ...init.headers, ...(init.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(init.body)) }) };
    // A connection per request: a refused request must not leave state behind for the next one to trip on.
    // The path goes out as written: a URL object would resolve dot segments and backslashes first.
    const { host, port } = new URL(url);
    const path = url.slice(url.indexOf(host) + host.length) || '/';
    const req = request({ host: host.replace(/:\d+$/, ''), port, path, method: init.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Try to open a WebSocket: 'open', or the HTTP status and body that refused it. */
export function tryWebSocket(url: string, headers: Record<string, string> = {}): Promise<{ opened: boolean; status?: number; text?: string; first?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ opened: false, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        ws.terminate();
      });
    });
    ws.once('message', (data) => {
      resolve({ opened: true, first: String(data) });
      ws.close();
    });
    ws.once('error', () => resolve({ opened: false }));
  });
}
