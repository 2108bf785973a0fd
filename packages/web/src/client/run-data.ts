/**
 * A run's feature maps and filters, fetched one tensor at a time when a layer opens and kept in
 * small LRU caches, so flipping between two layers costs nothing.
 * @module
 */
import type { FeatureMapMeta, FilterMeta } from '@cnnvis/protocol';
import { LRUCache } from 'lru-cache';
import { getJson, responseError } from './types';

/** A page of a stored map: the whole header, and the bytes of channels `first` … `first + count − 1`. */
export interface FeatureMap {
  meta: FeatureMapMeta;
  bytes: Uint8Array;
  first: number;
  count: number;
  /** A short flat map's exact values (the server sends them as a range per value; `meta` and `bytes` then hold one range for drawing). */
  values?: Float32Array;
}

/**
 * A flat map stored exactly (a range per value) as one range and its bytes,
 * as every other flat map is drawn, with the exact values beside.
 * @example exactFlat({ shape: [2], channelMin: [1, 3], channelMax: [1, 3], url }) // bytes [0, 255], values [1, 3]
 */
export function exactFlat(meta: FeatureMapMeta): { meta: FeatureMapMeta; bytes: Uint8Array; values: Float32Array } | null {
  const n = meta.shape.length === 1 ? (meta.shape[0] ?? 0) : 0;
  if (n < 2 || meta.channelMin.length !== n) return null;
  const values = Float32Array.from(meta.channelMin);
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const bytes = Uint8Array.from(values, (v) => (hi > lo ? Math.round(((v - lo) / (hi - lo)) * 255) : 0));
  return { meta: { ...meta, channelMin: [lo], channelMax: [hi] }, bytes, values };
}

export interface FilterSet {
  meta: FilterMeta;
  bytes: Uint8Array;
}

export interface RunData {
  /**
   * Channels `from` … `from + count − 1` (clipped; all without them) of the
   * stored map of `tensor` in run `runId`; rejects with NOT_FOUND when none was stored.
   */
  map(runId: string, tensor: string, from?: number, count?: number): Promise<FeatureMap>;
  /** A conv layer's weights; rejects with NOT_FOUND for layers without filters. */
  filters(runId: string, node: string): Promise<FilterSet>;
}

/** Bytes kept across layer clicks. */
const CACHE_BYTES = 48 * 1024 * 1024;
/** Map headers kept (each tensor's, fetched once for all its pages; a few KB of channel ranges each). */
const MAX_HEADERS = 256;

type Page = { meta: unknown; bytes: Uint8Array; first?: number; count?: number };
type Header = { url: string; shape?: number[] };

/**
 * @param toUrl puts a server path under the UI's base path
 * @example const data = createRunData(toUrl); const { meta, bytes } = await data.map(run.runId, '/conv1/Conv_output_0');
 */
export function createRunData(toUrl: (path: string) => string): RunData {
  // Both caches drop a failed fetch, so it is asked again: the run may still be storing. A fetch
  // evicted while in flight (by newer pages) still answers its caller (`ignoreFetchAbort`).
  const headers = new LRUCache<string, Header>({ max: MAX_HEADERS, ignoreFetchAbort: true, fetchMethod: (path) => getJson<Header>(toUrl(path)) });
  const pages = new LRUCache<string, Page>({
    maxSize: CACHE_BYTES,
    ignoreFetchAbort: true,
    sizeCalculation: (page) => Math.max(1, page.bytes.byteLength),
    async fetchMethod(key) {
      const [path = '', from, count] = key.split('\0');
      const meta = await headers.forceFetch(path);
      const page = from === undefined ? '' : `?from=${from}&count=${count ?? 1}`;
      const data = await fetch(toUrl(meta.url + page));
      if (!data.ok) throw await responseError(data, meta.url);
      const bytes = new Uint8Array(await data.arrayBuffer());
      const exact = 'channelMin' in meta ? exactFlat(meta as FeatureMapMeta) : null;
      if (exact) return { ...exact, first: 0, count: 1 };
      const [channels = 1, h = 1, w = 1] = meta.shape?.length === 3 ? meta.shape : [1, bytes.length, 1];
      const first = from === undefined ? 0 : Math.min(Number(from), channels);
      return { meta, bytes, first, count: Math.round(bytes.length / Math.max(1, h * w)) };
    },
  });
  const path = (runId: string, kind: string, name: string) => `/api/runs/${encodeURIComponent(runId)}/${kind}/${encodeURIComponent(name)}`;
  return {
    map: (runId, tensor, from, count) =>
      pages.forceFetch(from === undefined ? path(runId, 'maps', tensor) : `${path(runId, 'maps', tensor)}\0${from}\0${count ?? 1}`) as Promise<FeatureMap>,
    filters: (runId, node) => pages.forceFetch(path(runId, 'filters', node)) as Promise<FilterSet>,
  };
}
