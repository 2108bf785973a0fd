/**
 * A layer-graph pane: the laid-out graph on a canvas, with search, folding of name-prefix groups,
 * colouring by a run's statistics, run slider and compare, and a panel for the clicked layer.
 * @module
 */
import type { CompareResult, GraphContent, Window } from '@cnnvis/protocol';
import type { RunData } from '../client/run-data';
import type { Hit } from '../graph/viewport';
import { layerSequence, stepFrom, tensorLinks } from '../graph/navigation';
import { foldedCount, groupKey } from '../graph/visible-graph';
import { buildStatScale, divergenceScale, type NodeStat } from '../graph/stat-scale';
import { createRunsApi } from '../client/runs-api';
import { compareSection } from './runs/compare-section';
import { createRunSlider } from './runs/run-slider';
import type { JobTracker } from '../state/job-tracker';
import { downloadCanvas } from './download';
import { snapshotElement } from './snapshot';
import { createGraphState, relayout, revealLayer, runSearch, setAllNodes, shownGraph, type GraphModelState } from './graph/graph-model-state';
import { renderLegend } from './graph/graph-legend';
import { createGraphStage } from './graph/graph-stage';
import { describeLayout } from './graph/graph-debug';
import { createAllNodesToggle, createToolbar } from './graph/graph-toolbar';
import { attachLayerKeys } from './graph/layer-keys';
import { showTooltip } from './graph/graph-tooltip';
import type { Scene } from './graph/graph-painter';
import { createLayerPanel } from './panel/layer-panel';
import { renderLayerNav } from './panel/layer-nav';
import type { PaneView, ViewHooks } from './pane-view';
import { element } from '../dom';

export interface GraphViewOptions {
  runData: RunData;
  jobs: JobTracker;
  onError(message: string): void;
  /** Visible boxes a big model starts with. @default 150 */
  budget?: number;
  /** Puts a server path under the UI's base path; without it the pane has no run slider. */
  toUrl?: (path: string) => string;
}

/** @example const view = createGraphView(body, hooks, { runData, jobs, onError }); view.render(win, { type: 'full' }); */
export function createGraphView(body: HTMLElement, hooks: ViewHooks, opts: GraphViewOptions): PaneView {
  const root = element('div', 'graph-view', { testid: 'graph-view' });
  let state: GraphModelState | undefined;
  let scene: Scene | undefined;
  let stat: NodeStat = 'none';
  let matchIndex = -1;
  /** The window's own content (its newest run), and the compare shown, if any. */
  let windowContent: GraphContent | undefined;
  let compared: CompareResult | null = null;
  let pickSeq = 0;
  const toUrl = opts.toUrl;
  const runsApi = toUrl === undefined ? undefined : createRunsApi(toUrl);
  const slider =
    toUrl === undefined
      ? undefined
      : createRunSlider({
          toUrl,
          pick: (runId) => void pick(runId),
          compare: (pair) => void startCompare(pair?.a.runId, pair?.b.runId),
        });

  const toolbar = createToolbar({
    search: (q) => {
      // Typing only highlights (and shows a visible first hit); Enter jumps, opening folded groups.
      if (!state || !scene) return;
      scene.matches = runSearch(state, q);
      matchIndex = -1;
      toolbar.setMatches(-1, state.matches.length);
      const first = [...scene.matches].map((id) => state?.layout?.byId.get(id)).find((p) => p !== undefined);
      if (first) stage.ensureVisible(first);
      draw(false);
    },
    step: (d) => void jump(d),
    colorBy: (s) => {
      stat = s;
      draw(true);
    },
    expandAll: () => state && void refold(new Set()),
    // A folded graph is small: show it whole and centred, wherever the view was.
    collapseAll: () => state && void refold(new Set(state.tree.groups.keys())).then(() => stage.fit()),
    fit: () => stage.fitAll(),
  });
  const allNodes = createAllNodesToggle((on) => {
    if (!state) return;
    setAllNodes(state, on);
    void refold(state.collapsed);
  });
  toolbar.el.querySelector('.spacer')?.before(allNodes.el);
  const stage = createGraphStage({ click, hover: (hit, at) => hover(hit, at) });
  const legend = element('div', 'graph-legend');
  const tooltip = element('div', 'graph-tooltip');
  tooltip.hidden = true;
  stage.el.append(legend, tooltip);
  const panel = createLayerPanel({
    runData: opts.runData,
    ...(toUrl === undefined ? {} : { toUrl }),
    extraSection: (layer, width) =>
      compared === null || runsApi === undefined ? null : compareSection({ result: compared, runData: opts.runData, runs: runsApi }, layer, width),
    onClose: () => select(null),
    groupsOf: (layerId) => (state?.tree.chains.get(layerId) ?? []).map((path) => ({ path, name: state?.tree.groups.get(path)?.name ?? path })),
    onFold: (path) => {
      if (!state) return;
      // The open layer folds away with its group: keep the group's box where the layer was.
      const from = scene?.selected ?? undefined;
      select(null);
      void refold(new Set([...state.collapsed, path]), from, groupKey(path));
    },
    nav: (node) => state && renderLayerNav(tensorLinks(shownGraph(state), state.vis, node.id), { go: (id) => void go(id), step: (d) => void step(d) }),
  });
  const keys = attachLayerKeys({ isOpen: () => !panel.el.hidden, step: (d) => void step(d) });
  const main = element('div', 'graph-main');
  main.append(stage.el, panel.el);
  root.append(toolbar.el, toolbar.progress, ...(slider ? [slider.el] : []), main);
  body.append(root);
  (root as unknown as { graphDebug: unknown }).graphDebug = {
    clientRect: (id: string) => stage.clientRect(id),
    transform: () => stage.transform,
    layout: () => describeLayout(state?.layout),
  };

  const unsubscribe = opts.jobs.subscribe(() => state && toolbar.setJobs(opts.jobs.active(state.content.graph.modelId)));

  /** Repaint; `full` when the layout, the run or the colouring changed (not for hover or selection). */
  function draw(full: boolean): void {
    if (!state?.layout || !scene) return;
    if (full) {
      scene.layout = state.layout;
      scene.scale = compared ? divergenceScale(state.vis.nodes, compared) : buildStatScale(state.vis.nodes, state.content.run, stat, state.content.dataset);
      renderLegend(legend, state.layout, scene.scale);
      root.dataset['visibleNodes'] = String(state.layout.nodes.length);
    }
    stage.setScene(scene, full);
  }

  /** Fold or unfold groups, keeping what stood at `anchor` (a visible id) still on screen, as `anchorAfter` when its id changes. */
  async function refold(collapsed: Set<string>, anchor?: string, anchorAfter = anchor): Promise<void> {
    if (!state) return;
    const before = anchor === undefined ? undefined : state.layout?.byId.get(anchor);
    state.collapsed = collapsed;
    if (!(await relayout(state)) || !state.layout) return;
    const after = anchorAfter === undefined ? undefined : state.layout.byId.get(anchorAfter);
    const t = stage.transform;
    if (before && after) stage.setTransform({ ...t, x: t.x + (before.x - after.x) * t.k, y: t.y + (before.y - after.y) * t.k });
    if (scene) scene.matches = runSearch(state, toolbar.query);
    root.dataset['layoutMs'] = state.layoutMs.toFixed(1);
    draw(true);
  }

  async function jump(direction: 1 | -1): Promise<void> {
    if (!state || !scene || state.matches.length === 0) return;
    matchIndex = (matchIndex + direction + state.matches.length) % state.matches.length;
    toolbar.setMatches(matchIndex, state.matches.length);
    const layer = state.matches[matchIndex];
    if (layer === undefined) return;
    if (revealLayer(state, layer.id)) await refold(state.collapsed);
    const placed = state.layout?.byId.get(`L:${layer.id}`);
    if (!placed) return;
    scene.focused = placed.node.id;
    root.dataset['focused'] = placed.node.id;
    stage.reveal(placed, 0.8);
    draw(false);
  }

  /** Open visible node `id`, first opening any folded group that hides it. */
  async function go(id: string): Promise<void> {
    if (!state) return;
    if (id.startsWith('L:') && revealLayer(state, id.slice(2))) await refold(state.collapsed);
    select(id);
  }

  /** The next or previous node in the model's order from the open one. */
  async function step(direction: 1 | -1): Promise<void> {
    const from = scene?.selected;
    if (!state || !from) return;
    const next = stepFrom(layerSequence(shownGraph(state), state.vis), from, direction);
    if (next !== null) await go(next);
  }

  function select(id: string | null): void {
    if (!scene || !state) return;
    scene.selected = id;
    root.dataset['selected'] = id ?? '';
    const placed = id === null ? undefined : state.layout?.byId.get(id);
    if (placed === undefined) panel.hide();
    else {
      panel.show(placed.node, state.content);
      keys.claim();
    }
    // The panel took width from the stage: keep the chosen layer in sight.
    if (placed) stage.ensureVisible(placed);
    draw(false);
  }

  function click(hit: Hit | null): void {
    tooltip.hidden = true; // the view may move under it
    if (!state || hit === null) return;
    const { node } = hit.placed;
    if (hit.type === 'box' && node.group) return void refold(new Set([...state.collapsed, node.group]), node.id);
    if (node.kind === 'group' && node.group) {
      const next = new Set(state.collapsed);
      next.delete(node.group);
      return void refold(next, node.id);
    }
    select(node.id);
  }

  function hover(hit: Hit | null, at: { x: number; y: number } | null): void {
    if (!scene) return;
    const id = hit?.type === 'node' ? hit.placed.node.id : null;
    stage.el.classList.toggle('pointing', hit !== null);
    showTooltip(tooltip, hit, at, state?.content.run ?? null, scene.scale);
    if (id !== scene.hovered) {
      scene.hovered = id;
      draw(false);
    }
  }

  async function load(content: GraphContent): Promise<void> {
    state = createGraphState(content, opts.budget);
    allNodes.setFolded(foldedCount(content.graph));
    scene = undefined;
    hooks.ready(false);
    if (!(await relayout(state)) || !state.layout) return;
    scene = { layout: state.layout, selected: null, focused: null, hovered: null, matches: new Set(), scale: null };
    root.dataset['layoutMs'] = state.layoutMs.toFixed(1);
    draw(true);
    stage.fit();
    hooks.ready(true);
  }

  /** Show a kept run of the window (the slider moved): its graph, layers and maps, the open layer kept open. */
  async function pick(runId: string): Promise<void> {
    if (!windowContent || !runsApi) return;
    const seq = ++pickSeq;
    let content: GraphContent = windowContent;
    if (runId !== windowContent.run?.runId) {
      try {
        const d = await runsApi.detail(runId);
        const { runs, dataset } = windowContent;
        content = { kind: 'graph', graph: d.graph, run: d.run, ...(runs ? { runs } : {}), ...(dataset ? { dataset } : {}) };
      } catch (err) {
        return opts.onError(`Run ${runId}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (seq === pickSeq) show(content);
  }

  async function startCompare(a: string | undefined, b: string | undefined): Promise<void> {
    if (!runsApi) return;
    try {
      compared = a === undefined || b === undefined ? null : await runsApi.compare(a, b);
    } catch (err) {
      compared = null;
      opts.onError(`Compare: ${err instanceof Error ? err.message : String(err)}`);
    }
    root.dataset['compare'] = compared ? `${compared.a.runId}/${compared.b.runId}` : '';
    if (state) panel.refresh(state.content);
    draw(true);
  }

  /** Same layers (node names in order): a checkpoint of the same model keeps folds, view and the open layer. */
  const sameGraph = (x: GraphContent, y: GraphContent) =>
    x.graph.nodes.length === y.graph.nodes.length && x.graph.nodes.every((n, i) => n.id === y.graph.nodes[i]?.id);

  function show(content: GraphContent): void {
    toolbar.setRun(content.run, content.dataset);
    toolbar.setJobs(opts.jobs.active(content.graph.modelId));
    root.dataset['runId'] = content.run?.runId ?? '';
    const same = state && sameGraph(state.content, content);
    if (!same || !state) {
      panel.hide();
      load(content).catch((err: unknown) => opts.onError(`Graph layout failed: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    // The same model, maybe a new run or dataset: keep folds, view and selection; recolour, and show the new maps.
    const changed = content.run?.runId !== state.content.run?.runId || content.dataset !== state.content.dataset;
    state.content = content;
    if (changed) panel.refresh(content);
    draw(true);
  }

  return {
    render(win: Window) {
      if (win.content.kind !== 'graph') return;
      // A new run while the slider stands on an older one: the list grows, the view stays.
      const follow = !slider || !windowContent || slider.atLatest();
      windowContent = win.content;
      slider?.update(win.content.runs ?? [], follow ? win.content.run?.runId : state?.content.run?.runId);
      if (follow) {
        pickSeq++;
        show(win.content);
      }
    },
    resize() {
      stage.resize();
    },
    async download(filename) {
      // What the pane shows: toolbar, graph, legend and the open layer panel, its scrolled-away part included.
      await downloadCanvas(snapshotElement(root), filename);
    },
    dispose() {
      unsubscribe();
      keys.dispose();
      stage.dispose();
      panel.dispose();
      root.remove();
    },
  };
}
