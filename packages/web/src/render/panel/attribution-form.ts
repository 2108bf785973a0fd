/**
 * An attribution's controls in the layer panel (method, target, occlusion's patch, stride
 * and fill, Score-CAM's layer), with the forward passes they make shown before the run.
 * @module
 */
import { occlusionPlan } from '@cnnvis/protocol/plain';
import type { RunAttributionFields } from '../../client/runs-api';
import { camLayers, defaultCamLayer, plannedPasses, type AttributionChoice } from '../../graph/attribution-plan';
import type { LayerGraph } from '@cnnvis/protocol';
import type { TopEntry } from '../../graph/top-k';
import { element } from '../../dom';

export interface AttributionForm {
  readonly el: HTMLElement;
  /** The request's fields as set. */
  fields(): RunAttributionFields;
  /** Offer the stored output's top classes as targets. */
  setTargets(entries: readonly TopEntry[], labels: readonly string[] | undefined): void;
}

function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  const label = document.createElement('label');
  label.append(`${text} `, control);
  return label;
}

function numberInput(testid: string, placeholder: number, title: string): HTMLInputElement {
  const input = element('input', '', { testid });
  input.type = 'number';
  input.min = testid === 'attr-fill' ? '' : '1';
  input.step = testid === 'attr-fill' ? 'any' : '1';
  input.placeholder = String(placeholder);
  input.title = title;
  return input;
}

/** @example const form = createAttributionForm(graph, [224, 224]); section.append(form.el); */
export function createAttributionForm(graph: LayerGraph, size: readonly [number, number]): AttributionForm {
  const el = element('div', 'attr-form');
  const method = element('select', '', { testid: 'attr-method' });
  method.append(new Option('occlusion', 'occlusion'), new Option('Score-CAM', 'score-cam'));
  const target = element('select', '', { testid: 'attr-target' });
  target.append(new Option('top-1 class', ''));
  const defaults = occlusionPlan(size[0], size[1]);
  const patch = numberInput('attr-patch', defaults.patch, 'Side of the square patch, in input pixels (default: a seventh of the shorter side)');
  const stride = numberInput('attr-stride', defaults.stride, 'Step between patches (default: half the patch)');
  const fill = numberInput('attr-fill', 0, "The patch's value, in the model's input units (0: the mean of a normalised input)");
  const occlusion = element('span', 'attr-options');
  occlusion.append(labelled('patch', patch), labelled('stride', stride), labelled('fill', fill));
  const layers = camLayers(graph);
  const fallback = defaultCamLayer(layers);
  const layer = element('select', '', { testid: 'attr-layer' });
  layer.append(new Option(`last spatial conv${fallback ? ` (${fallback.id})` : ''}`, ''), ...layers.map((l) => new Option(`${l.id} · ${l.channels} ch`, l.id)));
  const cam = labelled('layer', layer);
  cam.className = 'attr-options';
  const passes = element('span', 'attr-passes', { testid: 'attr-passes' });
  el.append(labelled('method', method), labelled('target', target), occlusion, cam, passes);

  const num = (input: HTMLInputElement) => (input.value === '' || !Number.isFinite(input.valueAsNumber) ? undefined : input.valueAsNumber);
  const choice = (): AttributionChoice => {
    const m = method.value === 'score-cam' ? 'score-cam' : 'occlusion';
    if (m === 'score-cam') return { method: m, ...(layer.value === '' ? {} : { layer: layer.value }) };
    const [p, s] = [num(patch), num(stride)];
    return { method: m, ...(p === undefined ? {} : { patch: p }), ...(s === undefined ? {} : { stride: s }) };
  };
  const update = () => {
    const c = choice();
    // The default stride follows the patch, shown as a number: words do not fit the input.
    const p = c.method === 'occlusion' ? c.patch : undefined;
    stride.placeholder = String(occlusionPlan(size[0], size[1], p !== undefined && Number.isInteger(p) && p >= 1 ? p : undefined).stride);
    occlusion.hidden = c.method !== 'occlusion';
    cam.hidden = c.method !== 'score-cam';
    const n = plannedPasses(c, size, layers);
    passes.dataset['passes'] = n === null ? '' : String(n);
    passes.textContent = n === null ? (c.method === 'occlusion' ? 'patch and stride: whole numbers ≥ 1' : '') : `${n.toLocaleString('en')} forward pass${n === 1 ? '' : 'es'}`;
  };
  el.addEventListener('input', update);
  el.addEventListener('change', update);
  update();
  return {
    el,
    fields() {
      const f: RunAttributionFields = { ...choice() };
      const [t, v] = [target.value, num(fill)];
      if (t !== '') f.target = Number(t);
      if (f.method === 'occlusion' && v !== undefined) f.fill = v;
      return f;
    },
    setTargets(entries, labels) {
      const name = (i: number) => labels?.[i] ?? `class ${i}`;
      const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
      const [top, ...rest] = entries;
      target.replaceChildren(
        new Option(top ? `top-1: ${name(top.index)} (${pct(top.probability)})` : 'top-1 class', ''),
        ...rest.map((e) => new Option(`${name(e.index)} (${pct(e.probability)})`, String(e.index))),
      );
    },
  };
}
