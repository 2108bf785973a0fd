/**
 * A graph window's kept runs over HTTP: one run whole, the comparison of two, and attributions
 * (kept ones, and a new one followed through its server-sent progress events).
 * @module
 */
import type { AttributionRequest, AttributionResult, CompareResult, ErrorBody, JobProgress, KeptAttribution, RunDetail } from '@cnnvis/protocol';
import { LRUCache } from 'lru-cache';
import { ClientRequestError, getJson, responseError } from './types';

export interface RunsApi {
  detail(runId: string): Promise<RunDetail>;
  compare(a: string, b: string): Promise<CompareResult>;
}

/** @example const runs = createRunsApi(toUrl); const { graph, run } = await runs.detail('run_ab12'); */
export function createRunsApi(toUrl: (path: string) => string): RunsApi {
  const run = (id: string) => toUrl(`/api/runs/${encodeURIComponent(id)}`);
  // A kept run never changes: stepping back and forth fetches it once (a few dozen kept).
  const details = new LRUCache<string, RunDetail>({ max: 64, fetchMethod: (runId) => getJson<RunDetail>(run(runId)) });
  return {
    detail: (runId) => details.forceFetch(runId),
    compare: (a, b) => getJson<CompareResult>(`${run(a)}/compare/${encodeURIComponent(b)}`),
  };
}

/** What the panel may set of an attribution of a kept run. */
export type RunAttributionFields = Pick<AttributionRequest, 'method' | 'target' | 'layer' | 'patch' | 'stride' | 'fill'>;

export interface AttributionsApi {
  /** The heatmaps kept with run `runId`, oldest first. */
  kept(runId: string): Promise<KeptAttribution[]>;
  /** Explain run `runId`'s prediction; `onProgress` hears each push (with the planned passes). */
  start(runId: string, fields: RunAttributionFields, onProgress: (p: JobProgress) => void): Promise<AttributionResult>;
}

/** Reads `event: x\ndata: {...}\n\n` blocks from a stream until a `result` or `error`. */
async function readEvents(body: ReadableStream<Uint8Array>, onProgress: (p: JobProgress) => void): Promise<AttributionResult> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new ClientRequestError('INTERNAL', 'the server closed the progress stream before the result');
    text += decoder.decode(value, { stream: true });
    for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as unknown;
      if (event === 'progress') onProgress(data as JobProgress);
      if (event === 'result') return data as AttributionResult;
      if (event === 'error') throw new ClientRequestError((data as ErrorBody).code, (data as ErrorBody).message);
    }
  }
}

/** @example const api = createAttributionsApi(toUrl); await api.start(run.runId, { method: 'occlusion' }, (p) => show(p.passes)); */
export function createAttributionsApi(toUrl: (path: string) => string): AttributionsApi {
  return {
    kept: (runId) => getJson<KeptAttribution[]>(toUrl(`/api/runs/${encodeURIComponent(runId)}/attributions`)),
    async start(runId, fields, onProgress) {
      const query = new URLSearchParams({ runId });
      for (const [key, value] of Object.entries(fields)) if (value !== undefined) query.set(key, String(value));
      const url = toUrl(`/api/attributions?${query.toString()}`);
      const res = await fetch(url, { method: 'POST', headers: { accept: 'text/event-stream' } });
      if (!res.ok) throw await responseError(res, url);
      if (res.body === null) throw new ClientRequestError('INTERNAL', 'no progress stream');
      return readEvents(res.body, onProgress);
    },
  };
}
