/**
 * The hover card over a graph node: name, op, shape and the coloured statistic's value.
 * @module
 */
import type { AnalysisRun } from '@cnnvis/protocol';
import type { Hit } from '../../graph/viewport';
import { formatCount, formatNumber, formatShape } from '../../graph/labels';
import { isFraction, STAT_LABELS, type StatScale } from '../../graph/stat-scale';
import type { VisibleNode } from '../../graph/visible-graph';
import { element } from '../../dom';

const line = (text: string, cls = '') => element('div', cls, { text });

/** Show the card for what the pointer is on, near `at` (stage px), or hide it. */
export function showTooltip(el: HTMLElement, hit: Hit | null, at: { x: number; y: number } | null, run: AnalysisRun | null, scale: StatScale | null): void {
  if (hit === null || at === null) {
    el.hidden = true;
    return;
  }
  const node: VisibleNode = hit.placed.node;
  const rows: HTMLElement[] = [];
  if (hit.type === 'box') {
    rows.push(line(node.group ?? node.title, 'tip-title'), line(node.subtitle), line('Click to fold this group', 'tip-hint'));
  } else if (node.layer) {
    const layer = node.layer;
    rows.push(line(layer.op, 'tip-title'), line(layer.id, 'tip-name'));
    const result = run?.layers.find((r) => r.node === layer.id);
    if (result) rows.push(line(`output ${formatShape(result.shape)}`));
    const tensors = layer.weights.length;
    if (layer.params > 0) rows.push(line(`${formatCount(layer.params)} parameters in ${tensors} weight tensor${tensors === 1 ? '' : 's'}`));
    rows.push(line('Click for feature maps, filters and statistics', 'tip-hint'));
  } else if (node.kind === 'group') {
    rows.push(line(node.title, 'tip-title'), line(node.subtitle), line('Click to expand', 'tip-hint'));
  } else {
    rows.push(line(node.kind === 'input' ? 'model input' : 'model output', 'tip-title'), line(node.title, 'tip-name'), line(node.subtitle));
  }
  const value = scale?.values.get(node.id);
  if (scale && value !== undefined) {
    const shown = isFraction(scale.stat) ? `${(value * 100).toFixed(1)}%` : formatNumber(value);
    rows.splice(2, 0, line(`${STAT_LABELS[scale.stat]}: ${shown}${node.kind === 'group' ? ' (over its layers)' : ''}`, 'tip-stat'));
  }
  el.replaceChildren(...rows);
  el.hidden = false;
  // Keep the card inside the stage: flip to the left or above near the edges.
  const parent = el.parentElement;
  const w = parent?.clientWidth ?? 0;
  const h = parent?.clientHeight ?? 0;
  const x = at.x + 16 + el.offsetWidth > w ? at.x - 12 - el.offsetWidth : at.x + 16;
  const y = at.y + 16 + el.offsetHeight > h ? at.y - 12 - el.offsetHeight : at.y + 16;
  el.style.transform = `translate(${Math.max(4, x)}px, ${Math.max(4, y)}px)`;
}
