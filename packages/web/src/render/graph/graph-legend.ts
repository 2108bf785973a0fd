/**
 * The legend in the graph's corner: the op families present (when colouring
 * by op type), or the statistic's colour ramp with its range.
 * @module
 */
import { colormapGradient } from '../../graph/colormap';
import { formatNumber, opFamily, type OpFamily } from '../../graph/labels';
import type { GraphLayout } from '../../graph/layout-result';
import { STAT_LABELS, type StatScale } from '../../graph/stat-scale';
import { COLORS, FAMILY_COLORS } from './graph-style';

const chip = (color: string, text: string) => {
  const item = document.createElement('span');
  item.className = 'legend-item';
  const dot = document.createElement('i');
  dot.style.background = color;
  item.append(dot, text);
  return item;
};

/** Fill `el` with the legend for this layout and colouring. */
export function renderLegend(el: HTMLElement, layout: GraphLayout, scale: StatScale | null): void {
  el.replaceChildren();
  if (scale === null) {
    const families = new Set<OpFamily>();
    for (const p of layout.nodes) if (p.node.layer) families.add(opFamily(p.node.layer.op));
    for (const f of Object.keys(FAMILY_COLORS) as OpFamily[]) if (families.has(f)) el.append(chip(FAMILY_COLORS[f].stripe, FAMILY_COLORS[f].label));
    return;
  }
  const title = document.createElement('span');
  title.className = 'legend-title';
  title.textContent = STAT_LABELS[scale.stat];
  if (scale.stat === 'nan') {
    el.append(title, chip(COLORS.alarm, 'has NaN or Inf'), chip(COLORS.noData, 'no data'));
    return;
  }
  const ramp = document.createElement('span');
  ramp.className = 'legend-ramp';
  ramp.style.background = colormapGradient('viridis');
  const fmt = (v: number) => (scale.stat === 'zeros' ? `${Math.round(v * 100)}%` : formatNumber(v));
  const lo = document.createElement('span');
  lo.textContent = fmt(scale.min);
  const hi = document.createElement('span');
  hi.textContent = fmt(scale.max);
  const row = document.createElement('span');
  row.className = 'legend-scale';
  row.append(lo, ramp, hi);
  el.append(title, row);
}
