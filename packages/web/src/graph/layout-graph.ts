/**
 * Lays out a visible graph in a Web Worker, so the page never freezes: ELK while small, our own
 * layered layout past that (LAYOUT.md), on this thread only where its worker cannot run.
 * @module
 */
import ELK, { type ELK as ElkApi, type ElkNode } from 'elkjs/lib/elk-api';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { buildLayoutInput, COMPOUND_LIMIT, type MeasureText } from './layout-input';
import { readLayout, type GraphLayout } from './layout-result';
import { assembleLayered, layeredGeometry, layeredInput, type LayeredGeometry, type LayeredInput } from './layered-layout';
import type { LayeredReply, LayeredRequest } from './layered-worker';
import type { VisibleGraph } from './visible-graph';

export type LayoutEngine = 'elk' | 'layered';

/**
 * Above {@link COMPOUND_LIMIT} visible nodes ELK would lay out flat anyway, and our layered layout replaces it.
 * @example pickEngine(1000) // 'layered'
 */
export function pickEngine(nodeCount: number): LayoutEngine {
  return nodeCount > COMPOUND_LIMIT ? 'layered' : 'elk';
}

export interface GraphLayoutRun {
  layout: GraphLayout;
  /** Wall time as the page sees it: building ELK's input, the worker round trip and reading the answer included. */
  ms: number;
  engine: LayoutEngine;
}

/**
 * @example
 * const { layout, ms } = await layOutGraph(vis, measureText);
 * const elkOnly = await layOutGraph(vis, measureText, 'elk'); // for comparison
 */
export async function layOutGraph(vis: VisibleGraph, measure: MeasureText, engine = pickEngine(vis.nodes.length)): Promise<GraphLayoutRun> {
  const started = performance.now();
  const layout = engine === 'layered' ? await layOutLayeredOffThread(vis, measure) : readLayout(await runElk(buildLayoutInput(vis, measure)), vis);
  return { layout, ms: performance.now() - started, engine };
}

/** Our layered layout with its geometry in the worker; sizes are measured here, where the canvas fonts are. */
async function layOutLayeredOffThread(vis: VisibleGraph, measure: MeasureText): Promise<GraphLayout> {
  const { input, kept } = layeredInput(vis, measure);
  return assembleLayered(vis, input, kept, await layeredGeometryOffThread(input));
}

let elk: ElkApi | undefined;

/** Lay out `input` in ELK's worker. */
function runElk(input: ElkNode): Promise<ElkNode> {
  // A classic worker: the script sets `self.onmessage` itself.
  elk ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl, { name: 'cnnvis-elk' }) });
  return elk.layout(input);
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (g: LayeredGeometry) => void; reject: (err: Error) => void }>();

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
  worker?.terminate();
  worker = undefined;
}

function start(): Worker {
  const w = new Worker(new URL('./layered-worker.ts', import.meta.url), { type: 'module', name: 'cnnvis-layered' });
  w.onmessage = ({ data }: MessageEvent<LayeredReply>) => {
    const p = pending.get(data.id);
    pending.delete(data.id);
    if ('geometry' in data) p?.resolve(data.geometry);
    else p?.reject(new Error(data.error));
  };
  w.onerror = (e) => failAll(new Error(`the layout worker failed: ${e.message}`));
  return w;
}

/** Our layered geometry, computed in its worker. */
async function layeredGeometryOffThread(input: LayeredInput): Promise<LayeredGeometry> {
  try {
    worker ??= start();
  } catch {
    return layeredGeometry(input);
  }
  const w = worker;
  const id = nextId++;
  try {
    return await new Promise<LayeredGeometry>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ id, input } satisfies LayeredRequest);
    });
  } catch (err) {
    // A worker that broke (not a layout that threw in it) costs this thread the work, not the drawing.
    if (worker === w) throw err;
    return layeredGeometry(input);
  }
}
