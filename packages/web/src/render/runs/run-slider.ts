/**
 * Steps through a graph window's kept runs: a slider, the run's step, label, model and input,
 * and the A/B pick that starts a compare. Hidden below two runs.
 * @module
 */
import type { RunInfo } from '@cnnvis/protocol';
import { button, element } from '../../dom';

export interface RunSliderOptions {
  /** The slider moved to run `runId`. */
  pick(runId: string): void;
  /** Compare run `a` with run `b`; null leaves compare mode. */
  compare(pair: { a: RunInfo; b: RunInfo } | null): void;
  toUrl(path: string): string;
}

export interface RunSlider {
  readonly el: HTMLElement;
  /** The window's runs, oldest first, and the one shown. */
  update(runs: readonly RunInfo[], shown: string | undefined): void;
  /** Whether the slider stands on the newest run (new runs are then followed). */
  atLatest(): boolean;
}

/** `step 30 · epoch 3 · resnet18.onnx`: what names a run in the bar and in the compare view. */
export function runName(r: RunInfo): string {
  const parts = [r.step === null ? null : `step ${r.step}`, r.label, r.modelName ?? r.modelId.slice(0, 8)];
  return parts.filter((p): p is string => p !== null).join(' · ');
}

/** @example const slider = createRunSlider({ pick, compare, toUrl }); slider.update(content.runs ?? [], content.run?.runId); */
export function createRunSlider(opts: RunSliderOptions): RunSlider {
  const el = element('div', 'run-slider', { testid: 'run-slider' });
  el.hidden = true;
  const range = document.createElement('input');
  range.type = 'range';
  range.title = 'Step through the runs (← → Home End)';
  range.setAttribute('aria-label', 'run');
  const thumb = element('img', 'run-thumb');
  thumb.alt = 'input';
  const caption = element('span', 'run-caption', { testid: 'run-caption' });
  const setA = button('', 'A', 'Make this run A, the reference of a compare');
  const setB = button('', 'B', 'Make this run B, compared with A');
  const compare = button('', 'Compare A/B', 'Colour the graph by how much each layer changed from A to B, and show A, B and A−B maps');
  compare.dataset['testid'] = 'run-compare';
  const pair = element('span', 'run-pair');
  el.append(range, thumb, caption, setA, setB, compare, pair);

  let runs: readonly RunInfo[] = [];
  let a: RunInfo | undefined;
  let b: RunInfo | undefined;
  let comparing = false;

  const current = () => runs[Number(range.value)];
  const show = () => {
    const r = current();
    if (r === undefined) return;
    caption.textContent = `${Number(range.value) + 1}/${runs.length} · ${runName(r)}`;
    el.dataset['runId'] = r.runId;
    thumb.hidden = r.thumbnail === null;
    if (r.thumbnail !== null) thumb.src = opts.toUrl(r.thumbnail);
  };
  const showPair = () => {
    pair.textContent = `A: ${a ? runName(a) : '—'}   B: ${b ? runName(b) : '—'}`;
    compare.disabled = !comparing && (a === undefined || b === undefined || a.runId === b.runId);
    compare.classList.toggle('on', comparing);
    compare.textContent = comparing ? 'Leave compare' : 'Compare A/B';
  };
  range.addEventListener('input', () => {
    show();
    const r = current();
    if (r) opts.pick(r.runId);
  });
  setA.addEventListener('click', () => {
    a = current();
    showPair();
  });
  setB.addEventListener('click', () => {
    b = current();
    showPair();
  });
  compare.addEventListener('click', () => {
    comparing = !comparing && a !== undefined && b !== undefined;
    showPair();
    opts.compare(comparing && a && b ? { a, b } : null);
  });

  return {
    el,
    update(next, shown) {
      runs = next;
      el.hidden = runs.length < 2;
      range.max = String(Math.max(0, runs.length - 1));
      const at = runs.findIndex((r) => r.runId === shown);
      range.value = String(at >= 0 ? at : runs.length - 1);
      // A pick whose run the window dropped (past --max-runs-per-window) is forgotten.
      if (a && !runs.some((r) => r.runId === a?.runId)) a = undefined;
      if (b && !runs.some((r) => r.runId === b?.runId)) b = undefined;
      show();
      showPair();
    },
    atLatest: () => Number(range.value) >= runs.length - 1,
  };
}
