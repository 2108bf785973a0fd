/**
 * The panel's attribution of the shown run: form, Run button, progress, errors and the
 * kept heatmaps over the input picture. One per run, so a job outlives panel redraws.
 * @module
 */
import type { AnalysisRun, KeptAttribution, LayerGraph } from '@cnnvis/protocol';
import type { AttributionsApi } from '../../client/runs-api';
import type { FeatureMap, RunData } from '../../client/run-data';
import { heatmapMap } from '../../graph/attribution-plan';
import { flatValues } from '../../graph/dequantize';
import { topK } from '../../graph/top-k';
import { createAttributionForm } from './attribution-form';
import { TOP_K } from './top-k-view';
import { button, element } from '../../dom';

export interface AttributionSectionOptions {
  api: AttributionsApi;
  runData: RunData;
  run: AnalysisRun;
  graph: LayerGraph;
  /** Lay a heatmap over the input picture. */
  overlay(map: FeatureMap): void;
}

export interface AttributionSection {
  readonly el: HTMLElement;
  readonly runId: string;
  /** The panel redrew: lay the chosen heatmap over its new picture. */
  reapply(): void;
}

/** `occlusion · tench (0) · 8 px, stride 4 · 64 passes`. */
function describe(a: KeptAttribution): string {
  const target = `${a.targetLabel ?? 'class'} (${a.target})`;
  const how = a.method === 'occlusion' ? `${a.patch ?? '?'} px, stride ${a.stride ?? '?'}` : (a.layer ?? '');
  return `${a.method === 'occlusion' ? 'occlusion' : 'Score-CAM'} · ${target} · ${how} · ${a.passes} passes`;
}

/** @example const section = createAttributionSection({ api, runData, run, graph, overlay: (m) => extras.overlay(m, 0) }); */
export function createAttributionSection(o: AttributionSectionOptions): AttributionSection {
  const el = element('section', 'panel-section attribution-section', { testid: 'panel-attribution' });
  el.innerHTML = '<h4>Where the model looks</h4>';
  const inputTensor = o.run.input?.tensor ?? o.graph.inputs[0]?.name;
  const shape = o.graph.edges.find((e) => e.tensor === inputTensor)?.shape;
  const [, , h, w] = shape ?? [];
  if (shape?.length !== 4 || typeof h !== 'number' || typeof w !== 'number') {
    el.insertAdjacentHTML('beforeend', '<div class="map-missing">Attribution needs one [N, C, H, W] input.</div>');
    return { el, runId: o.run.runId, reapply: () => undefined };
  }
  const form = createAttributionForm(o.graph, [h, w]);
  const start = button('attr-run', 'Run');
  start.dataset['testid'] = 'attr-run';
  form.el.append(start);
  const progress = element('div', 'attr-progress', { testid: 'attr-progress' });
  progress.hidden = true;
  progress.innerHTML = '<span class="job-bar"></span><span class="attr-progress-text"></span>';
  const error = element('div', 'attr-error', { testid: 'attr-error' });
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const list = element('div', 'attr-kept', { testid: 'attr-kept' });
  el.append(form.el, progress, error, list);

  let kept: KeptAttribution[] = [];
  let chosen: KeptAttribution | undefined;
  const show = (a: KeptAttribution | undefined) => {
    chosen = a;
    for (const b of list.querySelectorAll<HTMLElement>('button')) b.setAttribute('aria-pressed', String(b.dataset['id'] === String(a?.id)));
    if (a) o.overlay(heatmapMap(a, describe(a)));
  };
  const renderList = () => {
    list.replaceChildren(
      ...kept.map((a) => {
        const b = button('', describe(a), 'Lay this heatmap over the input picture');
        b.dataset['id'] = String(a.id);
        b.addEventListener('click', () => show(a));
        return b;
      }),
    );
    if (kept.length > 0) list.prepend(Object.assign(document.createElement('div'), { className: 'maps-role', textContent: 'Kept with this run · drawn over the input picture above' }));
  };
  const load = () =>
    o.api.kept(o.run.runId).then((all) => {
      kept = all.reverse(); // newest first
      renderList();
      show(kept[0]);
    });
  load().catch(() => undefined); // none kept, or the run went: the form still shows
  const output = o.graph.outputs[0]?.name;
  if (output !== undefined) {
    o.runData.map(o.run.runId, output).then(
      (map) => form.setTargets(topK(flatValues(map), TOP_K).entries, o.run.labels),
      () => undefined, // no output stored: the top-1 class stays the only target
    );
  }

  const bar = progress.querySelector<HTMLElement>('.job-bar');
  const text = progress.querySelector<HTMLElement>('.attr-progress-text');
  start.addEventListener('click', () => {
    start.disabled = true;
    error.hidden = true;
    progress.hidden = false;
    el.dataset['state'] = 'running';
    if (bar) bar.style.width = '0%';
    if (text) text.textContent = 'queued';
    let passes = '';
    o.api
      .start(o.run.runId, form.fields(), (p) => {
        if (bar) bar.style.width = `${(p.fraction * 100).toFixed(1)}%`;
        // The stages after the last pass (store, done) keep its count beside them.
        if (p.passes) passes = `${p.passes.done} / ${p.passes.total} passes`;
        if (text) text.textContent = p.passes || passes === '' ? (passes || p.stage) : `${passes} · ${p.stage}`;
      })
      .then(load)
      .then(
        () => (el.dataset['state'] = 'done'),
        (err: unknown) => {
          error.textContent = `Attribution failed: ${err instanceof Error ? err.message : String(err)}`;
          error.hidden = false;
          el.dataset['state'] = 'failed';
        },
      )
      .finally(() => {
        start.disabled = false;
        progress.hidden = el.dataset['state'] === 'failed';
      });
  });
  return { el, runId: o.run.runId, reapply: () => show(chosen) };
}
