/**
 * A read-only client over the REST read API: one snapshot, no live updates,
 * no writes. Chosen with `?static=1`, e.g. to look at a busy env without the
 * stream, or where a proxy in front of the server blocks socket.io.
 * @module
 */
import type { EnvSummary, ErrorBody, Window } from '@cnnvis/protocol';
import { withBase } from '../base-path';
import { ClientRequestError, type ClientOptions, type CnnvisClient } from './types';

/** The read API answers with the bare value on success and `{ error }` on failure. */
async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const body = (await res.json().catch(() => null)) as T | { error: ErrorBody } | null;
  if (res.ok && body !== null) return body as T;
  const error = body !== null && typeof body === 'object' && 'error' in body ? body.error : undefined;
  throw new ClientRequestError(error?.code ?? 'INTERNAL', error?.message ?? `${url}: HTTP ${res.status}`);
}

function readOnly(): never {
  throw new ClientRequestError('FORBIDDEN', 'this view is read-only (static mode)');
}

/** Fetch snapshots over HTTP; report the `static` connection state once. */
export function createStaticClient({ basePath, listener }: ClientOptions): CnnvisClient {
  const api = (path: string) => withBase(basePath, `/api${path}`);
  // Report after the caller has finished wiring up, as the socket client would.
  queueMicrotask(() => listener.connection('static'));
  return {
    listEnvs: () => getJson<EnvSummary[]>(api('/envs')),
    async subscribe(env) {
      const windows = await getJson<Window[]>(api(`/envs/${encodeURIComponent(env)}/windows`));
      return { env, windows };
    },
    closeWindow: async () => readOnly(),
    saveLayout: async () => readOnly(),
    runAnalysis: async () => readOnly(),
    uiEvent: async () => readOnly(),
    dispose() {},
  };
}
