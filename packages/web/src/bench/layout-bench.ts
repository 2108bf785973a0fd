/**
 * The `?bench=layout` page (`&nodes=`, `&runs=`, `&engine=elk`): lays out a synthetic ResNet
 * graph, prints the times and shows it; `window.cnnvisBench.layout(n)` runs it again.
 * @module
 */
import { ClientRequestError } from '../client/types';
import type { RunData } from '../client/run-data';
import { buildGroupTree } from '../graph/groups';
import { layOutGraph, pickEngine, type LayoutEngine } from '../graph/layout-graph';
import { createSyntheticGraph } from '../graph/synthetic-graph';
import { buildVisibleGraph } from '../graph/visible-graph';
import { measureText } from '../render/graph/graph-model-state';
import { createGraphView } from '../render/graph-view';
import { createJobTracker } from '../state/job-tracker';
import type { LayoutBenchResult } from './layout-bench-result';

export type { LayoutBenchResult } from './layout-bench-result';

/**
 * Lay out an `n`-layer graph with every group open (the slowest case) `runs` times after one cold run.
 * @example const { medianMs } = await measureLayout(1000);
 */
async function measureLayout(n = 1000, runs = 5, engine?: LayoutEngine): Promise<LayoutBenchResult> {
  const { graph } = createSyntheticGraph(n);
  const vis = buildVisibleGraph(graph, buildGroupTree(graph), new Set());
  const used = engine ?? pickEngine(vis.nodes.length);
  const coldMs = (await layOutGraph(vis, measureText, used)).ms;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await layOutGraph(vis, measureText, used)).ms);
  const sorted = [...times].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  return { engine: used, nodes: vis.nodes.length, edges: vis.edges.length, coldMs: round(coldMs), medianMs: round(sorted[Math.floor(sorted.length / 2)] ?? 0), minMs: round(sorted[0] ?? 0), runs: times.map(round) };
}

/** Maps of a synthetic graph do not exist: say so like the server would. */
const noRunData: RunData = {
  map: async () => Promise.reject(new ClientRequestError('NOT_FOUND', 'a synthetic graph has no stored feature maps')),
  filters: async () => Promise.reject(new ClientRequestError('NOT_FOUND', 'a synthetic graph has no stored filters')),
};

/** The `?bench=layout` page. */
export async function startLayoutBench(doc: Document, params: URLSearchParams): Promise<void> {
  (window as unknown as { cnnvisBench: unknown }).cnnvisBench = { layout: measureLayout };
  const n = Number(params.get('nodes') ?? 1000);
  const runs = Number(params.get('runs') ?? 5);
  const engine = params.get('engine');
  doc.body.classList.add('bench');
  doc.body.innerHTML = '<pre class="bench-out" data-testid="bench">laying out…</pre><div class="bench-pane pane"><div class="pane-body"></div></div>';
  const out = doc.querySelector('[data-testid="bench"]') as HTMLElement;
  const result = await measureLayout(n, runs, engine === 'elk' || engine === 'layered' ? engine : undefined);
  out.textContent = `${result.engine} layout of ${result.nodes} nodes / ${result.edges} edges: median ${result.medianMs} ms, min ${result.minMs} ms, cold ${result.coldMs} ms (runs: ${result.runs.join(', ')})`;
  out.dataset['result'] = JSON.stringify(result);
  console.log(`cnnvis bench layout ${JSON.stringify(result)}`);

  const { graph, run } = createSyntheticGraph(n);
  const body = doc.querySelector('.bench-pane .pane-body') as HTMLElement;
  const view = createGraphView(body, { ready: (r) => (body.dataset['ready'] = String(r)), emit: () => {} }, { runData: noRunData, jobs: createJobTracker(), onError: (m) => console.error(m), budget: Infinity });
  const win = { env: 'bench', id: 'bench-graph', kind: 'graph' as const, opts: {}, content: { kind: 'graph' as const, graph, run }, rev: 1, position: 0, layout: null, updatedAt: 0 };
  view.render(win, { type: 'full' });
}
