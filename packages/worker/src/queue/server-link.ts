/** How a remote worker reaches its server's HTTP API. @module */
import { WorkerError } from '../worker-error';

/** The server a worker fetches models from and posts results to. */
export interface ServerLink {
  /** e.g. `https://cnnvis.example.org` (a path prefix is kept). */
  url: string;
  token: string | undefined;
}

/**
 * `fetch` against the server's API with the token; rejects with a WorkerError unless the answer is 2xx.
 * @example
 * await serverRequest(link, `/api/models/${id}/file`);
 */
export async function serverRequest(link: ServerLink, path: string, init: RequestInit = {}): Promise<Response> {
  const url = link.url.replace(/\/+$/, '') + path;
  const headers = new Headers(init.headers);
  if (link.token !== undefined) headers.set('authorization', `Bearer ${link.token}`);
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers });
  } catch (err) {
    throw new WorkerError('INTERNAL', `cannot reach the server at ${link.url}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
  }
  if (res.ok) return res;
  const text = await res.text().catch(() => '');
  let message = text.slice(0, 300);
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
  } catch {
    // not JSON: the text as it came
  }
  throw new WorkerError('INTERNAL', `${init.method ?? 'GET'} ${path} answered ${res.status}: ${message}`);
}
