/**
 * One entry point for laying out a visible graph, choosing the engine by
 * size: ELK while its drawing is better and its time is fine, our own layered
 * layout past that (LAYOUT.md says why).
 * @module
 */
import { runLayout } from './elk-layout';
import { buildLayoutInput, COMPOUND_LIMIT, type MeasureText } from './layout-input';
import { readLayout, type GraphLayout } from './layout-result';
import { assembleLayered, layeredInput } from './layered-layout';
import { layeredGeometryOffThread } from './layered-worker-client';
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
  const layout = engine === 'layered' ? await layOutLayeredOffThread(vis, measure) : readLayout(await runLayout(buildLayoutInput(vis, measure)), vis);
  return { layout, ms: performance.now() - started, engine };
}

/** Our layered layout with its geometry in the worker; sizes are measured here, where the canvas fonts are. */
async function layOutLayeredOffThread(vis: VisibleGraph, measure: MeasureText): Promise<GraphLayout> {
  const { input, kept } = layeredInput(vis, measure);
  return assembleLayered(vis, input, kept, await layeredGeometryOffThread(input));
}
