/**
 * A classifier's output (a 1×N layer) as bars of its top-k classes, named by
 * the run's labels where it has them, with softmax where the values are logits.
 * @module
 */
import type { FeatureMap } from '../../client/run-data';
import { dequantize } from '../../graph/dequantize';
import { formatNumber } from '../../graph/labels';
import { topK } from '../../graph/top-k';

/** Classes shown. */
export const TOP_K = 5;

/**
 * @example section.append(renderTopK(map, run.labels, layer.op));
 */
export function renderTopK(map: FeatureMap, labels: readonly string[] | undefined, op: string | undefined): HTMLElement {
  const min = map.meta.channelMin[0] ?? 0;
  const max = map.meta.channelMax[0] ?? 0;
  const values = map.values ?? Float64Array.from(map.bytes, (q) => dequantize(q, min, max));
  const { entries, softmax } = topK(values, TOP_K, op);
  const el = document.createElement('div');
  el.className = 'top-k';
  el.dataset['testid'] = 'top-k';
  el.dataset['softmax'] = String(softmax);
  const title = document.createElement('div');
  title.className = 'maps-role';
  title.textContent = `Top ${entries.length} of ${values.length} classes`;
  el.append(title);
  for (const e of entries) {
    const row = document.createElement('div');
    row.className = 'top-k-row';
    row.dataset['index'] = String(e.index);
    row.dataset['probability'] = String(e.probability);
    const name = document.createElement('span');
    name.className = 'top-k-name';
    name.textContent = labels?.[e.index] ?? `class ${e.index}`;
    name.title = `${name.textContent} (index ${e.index}) · value ${formatNumber(e.value)}`;
    const track = document.createElement('span');
    track.className = 'top-k-track';
    const bar = document.createElement('span');
    bar.className = 'top-k-bar';
    bar.style.width = `${(e.probability * 100).toFixed(1)}%`;
    track.append(bar);
    const pct = document.createElement('span');
    pct.className = 'top-k-pct';
    pct.textContent = `${(e.probability * 100).toFixed(1)}%`;
    row.append(name, track, pct);
    el.append(row);
  }
  const note = document.createElement('div');
  note.className = 'map-note';
  note.textContent = `${softmax ? 'softmax of the logits' : 'probabilities as the layer gives them'}${map.values ? '' : " · values to 1/255 of the output's range"}`;
  el.append(note);
  return el;
}
