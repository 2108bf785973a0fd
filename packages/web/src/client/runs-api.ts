/**
 * A graph window's kept runs, read on demand: one run whole (its model's
 * graph and its layers, for the slider) and the comparison of two.
 * @module
 */
import type { CompareResult, ErrorBody, RunDetail } from '@cnnvis/protocol';
import { ClientRequestError } from './types';

export interface RunsApi {
  detail(runId: string): Promise<RunDetail>;
  compare(a: string, b: string): Promise<CompareResult>;
}

/** @example const runs = createRunsApi(toUrl); const { graph, run } = await runs.detail('run_ab12'); */
export function createRunsApi(toUrl: (path: string) => string): RunsApi {
  const details = new Map<string, Promise<RunDetail>>();
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(toUrl(path), { headers: { accept: 'application/json' } });
    if (res.ok) return (await res.json()) as T;
    const body = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
    throw new ClientRequestError(body?.error?.code ?? 'INTERNAL', body?.error?.message ?? `${path}: HTTP ${res.status}`);
  };
  const run = (id: string) => `/api/runs/${encodeURIComponent(id)}`;
  return {
    detail(runId) {
      // A kept run never changes: stepping back and forth fetches it once (a few dozen kept).
      const hit = details.get(runId) ?? get<RunDetail>(run(runId));
      if (details.size >= 64) details.delete(details.keys().next().value ?? '');
      details.set(runId, hit);
      hit.catch(() => details.delete(runId));
      return hit;
    },
    compare: (a, b) => get<CompareResult>(`${run(a)}/compare/${encodeURIComponent(b)}`),
  };
}
