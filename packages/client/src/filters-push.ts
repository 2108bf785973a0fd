/**
 * `viz.filters`, step by step: read the model's graph, run it once so the
 * server stores the chosen conv layers' weights, fetch each layer's weights
 * (8-bit) and push them as an image grid and a histogram.
 * @module
 */
import type { AnalyzeRequest, FeatureMapsResult, FilterMeta, LayerGraph, WindowAck } from '@cnnvis/protocol';
import { toAnalyzeInput } from './feature-maps';
import { filterGrid, histogramBars, pickFilterLayers, safeWinPart, zerosInput } from './filters';
import { apiUrl, getBytes, getJson } from './http-api';
import type { ImageBatch } from './image-grid';
import type { BarOptions, FiltersOptions, ImagesOptions } from './options';
import type { BarData } from './plot-requests';

/** One layer's filters as pushed. */
export interface LayerFilters {
  node: string;
  /** [O, I, kh, kw] */
  shape: number[];
  min: number;
  max: number;
  /** The image grid's window. */
  win: string;
  /** The weight histogram's window. */
  histogramWin: string;
}

/** What `viz.filters` resolves with. */
export interface FiltersResult {
  runId: string;
  modelId: string;
  layers: LayerFilters[];
}

/** What the steps need from the client. */
export interface FiltersDeps {
  baseUrl: string;
  /** The server's access token, if it has one. */
  token: string | undefined;
  analyze(req: AnalyzeRequest): Promise<FeatureMapsResult>;
  images(batch: ImageBatch, opts: ImagesOptions): Promise<WindowAck>;
  bars(data: BarData, opts: BarOptions): Promise<WindowAck>;
}

/** Default prefix of the filter windows. */
export const DEFAULT_FILTERS_PREFIX = 'filters';

/**
 * @example
 * await pushFilters(deps, { modelId, env: 'main', layer: 'conv1', opts: {} });
 */
export async function pushFilters(
  deps: FiltersDeps,
  target: { modelId: string; env: string; layer: string | undefined; opts: FiltersOptions },
): Promise<FiltersResult> {
  const { modelId, env, layer, opts } = target;
  const graph = await getJson<LayerGraph>(apiUrl(deps.baseUrl, `/api/models/${modelId}/graph`), 'model graph', deps.token);
  const nodes = pickFilterLayers(graph, layer);
  const prefix = opts.winPrefix ?? DEFAULT_FILTERS_PREFIX;
  // One channel per layer is plenty: this run is for the weights, not the maps.
  const run = await deps.analyze({
    env,
    modelId,
    input: await toAnalyzeInput(opts.input ?? zerosInput(graph)),
    layers: nodes.map((n) => n.id),
    maxChannels: 1,
    winPrefix: prefix,
  });
  const layers: LayerFilters[] = [];
  for (const node of nodes) {
    const path = `/api/runs/${encodeURIComponent(run.runId)}/filters/${encodeURIComponent(node.id)}`;
    const meta = await getJson<FilterMeta>(apiUrl(deps.baseUrl, path), `filters of ${node.id}`, deps.token);
    const data = await getBytes(apiUrl(deps.baseUrl, meta.url), `filters of ${node.id}`, deps.token);
    const grid = filterGrid(meta, data, opts.maxFilters ?? 64, opts.maxInputs ?? 8);
    const win = `${prefix}-${safeWinPart(node.id)}`;
    const histogramWin = `${win}-hist`;
    await deps.images(grid.batch, { env, win, nrow: grid.nrow, caption: grid.caption, title: `filters: ${node.id}` });
    await deps.bars(histogramBars(meta.histogram), { env, win: histogramWin, title: `weights: ${node.id}`, xlabel: 'weight', ylabel: 'count' });
    layers.push({ node: node.id, shape: meta.shape, min: meta.min, max: meta.max, win, histogramWin });
  }
  return { runId: run.runId, modelId, layers };
}
