/**
 * A window's row, the same on both stores: what its `content` column holds for each kind, and the
 * window read back from it. A graph window showing a kept run holds only the run's id, so a big
 * model's graph and run are not written twice.
 * @module
 */
import type { AnalysisRun, Content, GraphDataset, ImageRef, PaneLayout, PlotContent, Trace, Window, WindowOpts } from '@cnnvis/protocol';
import { SERVER_DEFAULTS } from '../options';
import * as runs from './runs';
import type { Steps } from './sql-steps';
import type { CreateWindowInput, StoreLimits } from './window-store';

export interface WindowRow {
  env: string;
  id: string;
  kind: Window['kind'];
  opts: string;
  content: string | null;
  position: number;
  layout: string | null;
  rev: number;
  updated_at: number;
}

/** An image window's row: its images' metadata, their bytes elsewhere. */
export type ImageMeta = { kind: 'image'; nrow: number; padding: number; selected?: number; images: Array<Omit<ImageRef, 'url'>> };

/** A graph window's row when its run is kept in the runs table. */
interface KeptRunGraph {
  kind: 'graph';
  runId: string;
  dataset?: GraphDataset;
}

const MIME = { png: 'image/png', jpeg: 'image/jpeg', raw: 'image/png' } as const;

/** The store's limits, the server's defaults where not given. */
export function resolveStoreLimits(limits: Partial<StoreLimits>): StoreLimits {
  return {
    maxPointsPerTrace: limits.maxPointsPerTrace ?? SERVER_DEFAULTS.maxPointsPerTrace,
    maxWindowsPerEnv: limits.maxWindowsPerEnv ?? SERVER_DEFAULTS.maxWindowsPerEnv,
    maxRunsPerWindow: limits.maxRunsPerWindow ?? SERVER_DEFAULTS.maxRunsPerWindow,
  };
}

/**
 * Where a stored image can be fetched. The rev in the query makes the URL
 * change whenever the window does, so browsers may cache it forever.
 */
export function imageUrl(env: string, win: string, index: number, rev: number): string {
  return `/api/envs/${encodeURIComponent(env)}/windows/${encodeURIComponent(win)}/images/${index}?rev=${rev}`;
}

export function imageMeta(content: Extract<CreateWindowInput['content'], { kind: 'image' }>): ImageMeta {
  const meta: ImageMeta = {
    kind: 'image',
    nrow: content.nrow,
    padding: content.padding,
    images: content.images.map((img) => {
      const ref: Omit<ImageRef, 'url'> = { mime: MIME[img.encoding], width: img.width, height: img.height };
      if (img.caption !== undefined) ref.caption = img.caption;
      return ref;
    }),
  };
  if (content.selected !== undefined) meta.selected = content.selected;
  return meta;
}

/** An image window's content as read: its metadata with each image's URL. */
export function withImageUrls(meta: ImageMeta, env: string, win: string, rev: number): Extract<Content, { kind: 'image' }> {
  return { ...meta, images: meta.images.map((img, i) => ({ ...img, url: imageUrl(env, win, i, rev) })) };
}

/** The `content` column of a window being written. */
export function rowContent(content: CreateWindowInput['content'], run: AnalysisRun | null, keptRun: boolean): string | null {
  switch (content.kind) {
    case 'text':
    case 'properties':
    case 'network':
      return JSON.stringify(content);
    case 'image':
      return JSON.stringify(imageMeta(content));
    case 'plot':
      return content.layout === undefined ? null : JSON.stringify({ layout: content.layout });
    case 'graph': {
      const { graph, dataset } = content;
      if (run !== null && keptRun) return JSON.stringify({ kind: 'graph', runId: run.runId, dataset } satisfies KeptRunGraph);
      return JSON.stringify({ kind: 'graph', graph, run, dataset });
    }
  }
}

/** A window's fields but its content. */
export function windowFields(row: Pick<WindowRow, 'env' | 'id' | 'opts' | 'rev' | 'position' | 'layout' | 'updated_at'>) {
  const layout = row.layout === null ? null : (JSON.parse(row.layout) as PaneLayout);
  return { env: row.env, id: row.id, opts: JSON.parse(row.opts) as WindowOpts, rev: row.rev, position: row.position, layout, updatedAt: row.updated_at };
}

/**
 * A window's content from its row: a plot's `traces` read already, a graph's runs read here,
 * and their channels filled in by the store's `fill` (now, or when first read).
 */
export function* contentOf(row: WindowRow, traces: Trace[], fill: (runId: string, run: AnalysisRun) => Steps<AnalysisRun>): Steps<Content> {
  if (row.kind === 'plot') {
    const plot: PlotContent = { kind: 'plot', traces };
    if (row.content !== null) plot.layout = (JSON.parse(row.content) as Pick<PlotContent, 'layout'>).layout;
    return plot;
  }
  const stored = JSON.parse(row.content ?? 'null') as Content | ImageMeta | KeptRunGraph;
  if (stored.kind === 'graph' && 'runId' in stored) {
    const shown = yield* runs.shownRun(stored.runId);
    if (shown === undefined) throw new Error(`graph window ${row.env}/${row.id} names run ${stored.runId}, which is not kept`);
    const run = yield* fill(stored.runId, shown.run);
    const dataset = stored.dataset === undefined ? {} : { dataset: stored.dataset };
    return { kind: 'graph', graph: shown.graph, run, ...dataset, runs: yield* runs.listRuns(row.env, row.id) };
  }
  if (stored.kind === 'graph' && stored.run !== null) {
    const kept = yield* runs.listRuns(row.env, row.id);
    const run = yield* fill(stored.run.runId, stored.run);
    return kept.length === 0 ? { ...stored, run } : { ...stored, run, runs: kept };
  }
  return stored.kind === 'image' ? withImageUrls(stored, row.env, row.id, row.rev) : stored;
}
