/**
 * A read-only client over the REST read API (`?static`): one snapshot, no live updates, no writes,
 * for a busy env or a proxy that blocks socket.io.
 * @module
 */
import type { EnvSummary, Window } from '@cnnvis/protocol';
import { withBase } from '../base-path';
import { ClientRequestError, getJson, type ClientOptions, type CnnvisClient } from './types';

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
