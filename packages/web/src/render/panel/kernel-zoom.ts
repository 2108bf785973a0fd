/**
 * One filter's kernel, enlarged with its values printed in the cells: what a
 * click on a filter tile opens. Values are the stored bytes dequantised over
 * the whole weight tensor's range, so each is within half a step of the weight.
 * @module
 */
import { formatNumber } from '../../graph/labels';

export interface KernelView {
  /** e.g. `filter 3 · input channel 5`. */
  title: string;
  /** One kh×kw plane per input shown (three for an RGB first layer), row-major. */
  planes: Array<{ label: string; values: number[] }>;
  kh: number;
  kw: number;
  /** Half the quantisation step: how far a printed value may be from the weight. */
  error: number;
  /** The value → CSS colour of the grid it was picked from. */
  colour(value: number): string;
}

/** The largest kernel side printed cell by cell; bigger ones show their top-left corner. */
const MAX_SIDE = 12;

/**
 * @example el.replaceChildren(renderKernel({ title: 'filter 0 · input 0', planes: [{ label: '', values }], kh: 3, kw: 3, error: 0.001, colour }));
 */
export function renderKernel(k: KernelView): HTMLElement {
  const el = document.createElement('div');
  el.className = 'kernel-zoom';
  el.dataset['testid'] = 'kernel-zoom';
  const head = document.createElement('div');
  head.className = 'kernel-title';
  head.textContent = `${k.title} · ${k.kh}×${k.kw}${k.kh > MAX_SIDE || k.kw > MAX_SIDE ? ` (top-left ${MAX_SIDE}×${MAX_SIDE})` : ''}`;
  el.append(head);
  const rows = Math.min(k.kh, MAX_SIDE);
  const cols = Math.min(k.kw, MAX_SIDE);
  const planes = document.createElement('div');
  planes.className = 'kernel-planes';
  for (const plane of k.planes) {
    const box = document.createElement('div');
    const table = document.createElement('table');
    table.className = 'kernel-values';
    for (let y = 0; y < rows; y++) {
      const tr = table.insertRow();
      for (let x = 0; x < cols; x++) {
        const v = plane.values[y * k.kw + x] ?? 0;
        const td = tr.insertCell();
        td.textContent = formatNumber(v);
        td.dataset['value'] = String(v);
        td.style.background = k.colour(v);
      }
    }
    if (plane.label) {
      const label = document.createElement('div');
      label.className = 'map-note';
      label.textContent = plane.label;
      box.append(label);
    }
    box.append(table);
    planes.append(box);
  }
  const note = document.createElement('div');
  note.className = 'map-note';
  note.textContent = `values ± ${formatNumber(k.error)} (stored as 8 bits over the layer's weight range)`;
  el.append(planes, note);
  return el;
}
