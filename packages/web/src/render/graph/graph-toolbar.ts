/**
 * The graph pane's toolbar: search (Enter jumps to the next hit), the
 * statistic nodes are coloured by, expand / collapse all, fit, the execution
 * provider badge, and a progress bar while a job for this model runs.
 * @module
 */
import type { AnalysisRun } from '@cnnvis/protocol';
import { formatNumber } from '../../graph/labels';
import { NODE_STATS, STAT_LABELS, type NodeStat } from '../../graph/stat-scale';
import type { Job } from '../../state/job-tracker';

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
  setRun(run: AnalysisRun | null): void;
  setJobs(jobs: readonly Job[]): void;
}

function button(action: string, text: string, title: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'graph-btn';
  b.dataset['action'] = action;
  b.textContent = text;
  b.title = title;
  return b;
}

/** @example const bar = createToolbar({ search, step, colorBy, expandAll, collapseAll, fit }); */
export function createToolbar(hooks: ToolbarHooks): Toolbar {
  const el = document.createElement('div');
  el.className = 'graph-toolbar';
  const search = document.createElement('input');
  search.type = 'search';
  search.className = 'graph-search';
  search.placeholder = 'Search layers by name or op…';
  search.setAttribute('aria-label', 'Search layers');
  search.dataset['testid'] = 'graph-search';
  const count = document.createElement('span');
  count.className = 'graph-count';
  count.dataset['testid'] = 'graph-search-count';
  const color = document.createElement('select');
  color.className = 'graph-select';
  color.setAttribute('aria-label', 'Colour nodes by');
  color.dataset['testid'] = 'graph-color';
  color.append(...NODE_STATS.map((s) => new Option(`Colour: ${STAT_LABELS[s]}`, s)));
  const badge = document.createElement('span');
  badge.className = 'provider-badge';
  badge.dataset['testid'] = 'provider-badge';
  const progress = document.createElement('div');
  progress.className = 'graph-progress';
  progress.dataset['testid'] = 'graph-progress';
  progress.hidden = true;
  progress.innerHTML = '<div class="graph-progress-bar"></div><span class="graph-progress-text"></span>';
  const spacer = document.createElement('span');
  spacer.className = 'spacer';
  el.append(search, count, color, button('expand', 'Expand all', 'Open every group'), button('collapse', 'Collapse all', 'Fold every group'), button('fit', 'Fit', 'Show the whole graph'), spacer, badge);

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
    setRun(run) {
      for (const option of color.options) option.disabled = option.value !== 'none' && run === null;
      if (run === null && color.value !== 'none') {
        color.value = 'none';
        hooks.colorBy('none');
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
