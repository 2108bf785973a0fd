/**
 * A classifier's 1×N output as bars of its top-k classes, named by the run's labels.
 * @module
 */
import type { FeatureMap } from '../../client/run-data';
import { flatValues } from '../../graph/dequantize';
import { formatNumber } from '../../graph/labels';
import { topK } from '../../graph/top-k';
import { element } from '../../dom';

/** Classes shown. */
export const TOP_K = 5;

/**
 * @example section.append(renderTopK(map, run.labels, layer.op));
 */
export function renderTopK(map: FeatureMap, labels: readonly string[] | undefined, op: string | undefined): HTMLElement {
  const values = flatValues(map);
  const { entries, softmax } = topK(values, TOP_K, op);
  const el = element('div', 'top-k', { testid: 'top-k' });
  el.dataset['softmax'] = String(softmax);
  const title = element('div', 'maps-role', { text: `Top ${entries.length} of ${values.length} classes` });
  el.append(title);
  for (const e of entries) {
    const row = element('div', 'top-k-row');
    row.dataset['index'] = String(e.index);
    row.dataset['probability'] = String(e.probability);
    const name = element('span', 'top-k-name', { text: labels?.[e.index] ?? `class ${e.index}` });
    name.title = `${name.textContent} (index ${e.index}) · value ${formatNumber(e.value)}`;
    const track = element('span', 'top-k-track');
    const bar = element('span', 'top-k-bar');
    bar.style.width = `${(e.probability * 100).toFixed(1)}%`;
    track.append(bar);
    const pct = element('span', 'top-k-pct', { text: `${(e.probability * 100).toFixed(1)}%` });
    row.append(name, track, pct);
    el.append(row);
  }
  const note = element('div', 'map-note', { text: `${softmax ? 'softmax of the logits' : 'probabilities as the layer gives them'}${map.values ? '' : " · values to 1/255 of the output's range"}` });
  el.append(note);
  return el;
}
