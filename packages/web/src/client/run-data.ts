/**
 * Feature maps and filters of a run, fetched one tensor at a time when a
 * layer is opened (never all layers: a 200-layer model would flood the page).
 * The JSON header comes first, then the bytes; both are kept in a small
 * cache, bounded by bytes, so flipping between two layers costs nothing.
 * @module
 */
import type { ErrorBody, FeatureMapMeta, FilterMeta } from '@cnnvis/protocol';
import { ClientRequestError } from './types';

export interface FeatureMap {
  meta: FeatureMapMeta;
  bytes: Uint8Array;
}

export interface FilterSet {
  meta: FilterMeta;
  bytes: Uint8Array;
}

export interface RunData {
  /** The stored maps of `tensor` in run `runId`; rejects with NOT_FOUND when none were stored. */
  map(runId: string, tensor: string): Promise<FeatureMap>;
  /** A conv layer's weights; rejects with NOT_FOUND for layers without filters. */
  filters(runId: string, node: string): Promise<FilterSet>;
}

/** Bytes kept across layer clicks. */
const CACHE_BYTES = 48 * 1024 * 1024;

async function fail(res: Response, url: string): Promise<never> {
  const body = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
  throw new ClientRequestError(body?.error?.code ?? (res.status === 404 ? 'NOT_FOUND' : 'INTERNAL'), body?.error?.message ?? `${url}: HTTP ${res.status}`);
}

/**
 * @param toUrl puts a server path under the UI's base path
 * @example const data = createRunData(toUrl); const { meta, bytes } = await data.map(run.runId, '/conv1/Conv_output_0');
 */
export function createRunData(toUrl: (path: string) => string): RunData {
  const cache = new Map<string, Promise<{ meta: unknown; bytes: Uint8Array }>>();
  const sizes = new Map<string, number>();
  let total = 0;

  const load = async (path: string) => {
    const url = toUrl(path);
    const head = await fetch(url, { headers: { accept: 'application/json' } });
    if (!head.ok) await fail(head, url);
    const meta = (await head.json()) as { url: string };
    const data = await fetch(toUrl(meta.url));
    if (!data.ok) await fail(data, meta.url);
    return { meta, bytes: new Uint8Array(await data.arrayBuffer()) };
  };
  const get = (path: string) => {
    const hit = cache.get(path);
    if (hit) {
      // Most recently used goes last, so eviction takes the oldest first.
      cache.delete(path);
      cache.set(path, hit);
      return hit;
    }
    const pending = load(path);
    cache.set(path, pending);
    pending.then(
      ({ bytes }) => {
        sizes.set(path, bytes.byteLength);
        total += bytes.byteLength;
        for (const [key] of cache) {
          if (total <= CACHE_BYTES || key === path) break;
          total -= sizes.get(key) ?? 0;
          sizes.delete(key);
          cache.delete(key);
        }
      },
      () => cache.delete(path), // a failure is not cached: the run may still be storing
    );
    return pending;
  };
  const path = (runId: string, kind: string, name: string) => `/api/runs/${encodeURIComponent(runId)}/${kind}/${encodeURIComponent(name)}`;
  return {
    map: (runId, tensor) => get(path(runId, 'maps', tensor)) as Promise<FeatureMap>,
    filters: (runId, node) => get(path(runId, 'filters', node)) as Promise<FilterSet>,
  };
}
