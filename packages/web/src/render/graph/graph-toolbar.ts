/**
 * The graph pane's toolbar: search, colour-by, expand / collapse all, fit, the provider
 * badge, and a progress bar while a job for this model runs.
 * @module
 */
import type { AnalysisRun, GraphDataset } from '@cnnvis/protocol';
import { formatNumber } from '../../graph/labels';
import { DATASET_STATS, NODE_STATS, STAT_LABELS, type NodeStat } from '../../graph/stat-scale';
import type { Job } from '../../state/job-tracker';
import { button, element } from '../../dom';

export interface ToolbarHooks {
  search(query: string): void;
  step(direction: 1 | -1): void;
  colorBy(stat: NodeStat): void;
  expandAll(): void;
  collapseAll(): void;
  fit(): void;
}

export interface Toolbar {
  readonly el: HTMLElement;
  readonly progress: HTMLElement;
  /** The search box's text. */
  readonly query: string;
  /** `index` is 0-based, or -1 before the first jump; total 0 with a query means nothing matched. */
  setMatches(index: number, total: number): void;
  /** The run shown and the window's dataset statistics: each colouring needs the one it reads. */
  setRun(run: AnalysisRun | null, dataset?: GraphDataset): void;
  setJobs(jobs: readonly Job[]): void;
}

function toolbarButton(action: string, text: string, title: string): HTMLButtonElement {
  const b = button('graph-btn', text, title);
  b.dataset['action'] = action;
  return b;
}

/** @example const bar = createToolbar({ search, step, colorBy, expandAll, collapseAll, fit }); */
export function createToolbar(hooks: ToolbarHooks): Toolbar {
  const el = element('div', 'graph-toolbar');
  const search = element('input', 'graph-search', { testid: 'graph-search' });
  search.type = 'search';
  search.placeholder = 'Search layers by name or op…';
  search.setAttribute('aria-label', 'Search layers');
  const count = element('span', 'graph-count', { testid: 'graph-search-count' });
  const color = element('select', 'graph-select', { testid: 'graph-color' });
  color.setAttribute('aria-label', 'Colour nodes by');
  color.append(...NODE_STATS.map((s) => new Option(`Colour: ${STAT_LABELS[s]}`, s)));
  const badge = element('span', 'provider-badge', { testid: 'provider-badge' });
  const progress = element('div', 'graph-progress', { testid: 'graph-progress' });
  progress.hidden = true;
  progress.innerHTML = '<div class="graph-progress-bar"></div><span class="graph-progress-text"></span>';
  const spacer = element('span', 'spacer');
  /** Whether the last setRun had dataset statistics (a user's choice of colour is kept after). */
  let shownDataset = false;
  el.append(search, count, color, toolbarButton('expand', 'Expand all', 'Open every group'), toolbarButton('collapse', 'Collapse all', 'Fold every group'), toolbarButton('fit', 'Fit', 'Show the whole graph'), spacer, badge);

  search.addEventListener('input', () => hooks.search(search.value));
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') hooks.step(e.shiftKey ? -1 : 1);
    if (e.key === 'Escape') {
      search.value = '';
      hooks.search('');
    }
  });
  color.addEventListener('change', () => hooks.colorBy(color.value as NodeStat));
  el.addEventListener('click', (e) => {
    const action = (e.target as Element).closest<HTMLElement>('[data-action]')?.dataset['action'];
    if (action === 'expand') hooks.expandAll();
    if (action === 'collapse') hooks.collapseAll();
    if (action === 'fit') hooks.fit();
  });

  return {
    el,
    progress,
    get query() {
      return search.value;
    },
    setMatches(index, total) {
      const found = index < 0 ? `${total} found` : `${index + 1} / ${total}`;
      count.textContent = search.value.trim() === '' ? '' : total === 0 ? 'no match' : found;
      count.classList.toggle('none', total === 0);
    },
    setRun(run, dataset) {
      const off = (stat: string) => stat !== 'none' && (DATASET_STATS.has(stat as NodeStat) ? dataset === undefined : run === null);
      for (const option of color.options) option.disabled = off(option.value);
      // A graph that only has dataset statistics was made to find dead channels: open it coloured so.
      const pick = off(color.value) ? 'none' : run === null && dataset !== undefined && !shownDataset ? 'dead' : undefined;
      shownDataset = dataset !== undefined;
      if (pick !== undefined && pick !== color.value) {
        color.value = pick;
        hooks.colorBy(pick);
      }
      badge.hidden = run === null;
      if (run === null) return;
      badge.textContent = run.provider === 'cuda' ? 'CUDA' : 'CPU';
      badge.dataset['provider'] = run.provider;
      const t = run.timings;
      badge.title = `Ran on ONNX Runtime's ${run.provider.toUpperCase()} execution provider · run ${formatNumber(t.runMs)} ms, session ${formatNumber(t.sessionMs)} ms, total ${formatNumber(t.totalMs)} ms`;
    },
    setJobs(jobs) {
      progress.hidden = jobs.length === 0;
      const job = jobs[jobs.length - 1];
      if (job === undefined) return;
      const bar = progress.firstElementChild as HTMLElement;
      bar.style.width = `${Math.round(job.fraction * 100)}%`;
      (progress.lastElementChild as HTMLElement).textContent = `${job.stage} · ${Math.round(job.fraction * 100)}%`;
    },
  };
}

export interface AllNodesToggle {
  readonly el: HTMLElement;
  /** How many nodes are folded; 0 hides the switch. */
  setFolded(count: number): void;
}

/**
 * The "All nodes" switch: off, weight-only nodes are folded into the layers
 * that read them; on, the raw ONNX graph is drawn. Hidden when nothing is folded.
 * @example const toggle = createAllNodesToggle((on) => …); toolbar.el.append(toggle.el);
 */
export function createAllNodesToggle(onChange: (on: boolean) => void): AllNodesToggle {
  const el = element('label', 'graph-toggle', { testid: 'graph-all-nodes' });
  const box = document.createElement('input');
  box.type = 'checkbox';
  el.append(box, element('span', '', { text: 'All nodes' }));
  box.addEventListener('change', () => onChange(box.checked));
  return {
    el,
    setFolded(count) {
      el.hidden = count === 0;
      el.title = `Also draw the ${count} weight-only node${count === 1 ? '' : 's'} (Identity, Constant, … of weights) folded into the layers that read them`;
      box.checked = false; // a newly loaded graph starts folded
    },
  };
}
