/**
 * The graph's legend: the op families present, or the statistic's colour ramp and range.
 * @module
 */
import { colormapGradient } from '../../graph/colormap';
import { formatNumber, opFamily, type OpFamily } from '../../graph/labels';
import type { GraphLayout } from '../../graph/layout-result';
import { isFraction, STAT_LABELS, type StatScale } from '../../graph/stat-scale';
import { COLORS, FAMILY_COLORS } from './graph-style';
import { element } from '../../dom';

const chip = (color: string, text: string) => {
  const item = element('span', 'legend-item');
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
  const title = element('span', 'legend-title', { text: STAT_LABELS[scale.stat] });
  if (scale.stat === 'nan') {
    el.append(title, chip(COLORS.alarm, 'has NaN or Inf'), chip(COLORS.noData, 'no data'));
    return;
  }
  const ramp = element('span', 'legend-ramp');
  ramp.style.background = colormapGradient('viridis');
  const fmt = (v: number) => (isFraction(scale.stat) ? `${Math.round(v * 100)}%` : formatNumber(v));
  const lo = element('span', '', { text: fmt(scale.min) });
  const hi = element('span', '', { text: fmt(scale.max) });
  const row = element('span', 'legend-scale');
  row.append(lo, ramp, hi);
  el.append(title, row);
  if (scale.stat === 'saturated') el.append(chip(COLORS.noData, 'no clamp bounds'));
}
