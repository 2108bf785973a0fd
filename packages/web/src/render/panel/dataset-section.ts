/**
 * A layer over the window's dataset: dead and most saturated channels, and the inputs that
 * excite a chosen channel most, as thumbnails.
 * @module
 */
import type { DatasetLayerStats, GraphDataset } from '@cnnvis/protocol';
import { formatNumber } from '../../graph/labels';
import { element } from '../../dom';

/** Channels listed per table before the rest are counted. */
const LISTED = 24;

const pct = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(v > 0 && v < 0.01 ? 1 : 0)}%`);

/** One channel's numbers, as a table row's cells. */
function cells(l: DatasetLayerStats, c: number): string[] {
  return [
    String(c), pct(l.dead[c]), pct(l.zeros[c]), l.saturated ? pct(l.saturated[c]) : '—',
    formatNumber(l.min[c]), formatNumber(l.max[c]), formatNumber(l.mean[c]), formatNumber(l.std[c]), `${l.nan[c] ?? 0} / ${l.inf[c] ?? 0}`,
  ];
}

/** Channels as rows (clicking one picks it for the top inputs); `channels` already sorted. */
function channelTable(l: DatasetLayerStats, channels: readonly number[], testid: string, pick: (c: number) => void): HTMLElement {
  const t = element('table', 'ds-table', { testid });
  const head = t.createTHead().insertRow();
  for (const h of ['ch', 'dead', 'zeros', 'sat.', 'min', 'max', 'mean', 'std', 'NaN/Inf']) head.append(element('th', '', { text: h }));
  const body = t.createTBody();
  for (const c of channels.slice(0, LISTED)) {
    const row = body.insertRow();
    row.dataset['channel'] = String(c);
    row.title = `Show the inputs that excite channel ${c} most`;
    for (const v of cells(l, c)) row.insertCell().textContent = v;
    row.addEventListener('click', () => pick(c));
  }
  const wrap = element('div', 'ds-table-wrap');
  wrap.append(t);
  if (channels.length > LISTED) wrap.append(element('div', 'map-note', { text: `… and ${channels.length - LISTED} more` }));
  return wrap;
}

/** Channels with a positive `values[c]`, highest first. */
const ranked = (values: readonly number[]) => values.flatMap((v, c) => (v > 0 ? [c] : [])).sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0) || a - b);

/** The top inputs of channel `c`: thumbnails with their index and mean activation. */
function topInputs(l: DatasetLayerStats, dataset: GraphDataset, c: number): HTMLElement {
  const row = element('div', 'ds-top', { testid: 'dataset-top' });
  row.dataset['channel'] = String(c);
  (l.top[c] ?? []).forEach((input, i) => {
    const fig = element('figure', 'ds-thumb');
    const url = dataset.thumbnails[String(input)];
    if (url !== undefined) {
      const img = element('img', '');
      img.src = url;
      img.alt = `input ${input}`;
      fig.append(img);
    }
    fig.append(element('figcaption', '', { text: `#${input} · ${formatNumber(l.topMean[c]?.[i])}` }));
    row.append(fig);
  });
  if (row.childElementCount === 0) row.append(element('div', 'map-note', { text: 'No input gave this channel a finite mean.' }));
  return row;
}

/** The section, and a way to show another channel's top inputs (a channel clicked in the maps). */
export interface DatasetSection {
  el: HTMLElement;
  pick(channel: number): void;
}

/**
 * @example const section = datasetSection(layer.id, content.dataset); if (section) scroll.append(section.el);
 */
export function datasetSection(layerId: string, dataset: GraphDataset | undefined): DatasetSection | null {
  const l = dataset?.layers.find((d) => d.node === layerId);
  if (dataset === undefined || l === undefined) return null;
  const section = element('section', 'panel-section', { testid: 'panel-dataset' });
  const channels = l.dead.length;
  const dead = ranked(l.dead);
  const summary = `${dataset.inputs} inputs · ${l.deadChannels.length} of ${channels} channels dead on every input${dead.length > l.deadChannels.length ? `, ${dead.length - l.deadChannels.length} more on some` : ''}`;
  section.append(element('h4', '', { text: 'Over the dataset' }), element('div', 'map-note', { text: summary }));

  // The channel shown first: the one its top input excites most.
  let best = 0;
  l.topMean.forEach((m, c) => ((m[0] ?? -Infinity) > (l.topMean[best]?.[0] ?? -Infinity) ? (best = c) : 0));
  const picker = element('input', 'ds-channel');
  picker.type = 'number';
  picker.min = '0';
  picker.max = String(channels - 1);
  picker.setAttribute('aria-label', 'Channel');
  const top = element('div', '');
  const pick = (c: number) => {
    picker.value = String(c);
    for (const tr of section.querySelectorAll<HTMLElement>('tr[data-channel]')) tr.classList.toggle('picked', tr.dataset['channel'] === String(c));
    top.replaceChildren(topInputs(l, dataset, c));
  };
  picker.addEventListener('change', () => pick(Math.min(channels - 1, Math.max(0, Math.round(Number(picker.value)) || 0))));

  if (dead.length > 0) section.append(element('div', 'maps-role ds-role', { text: 'Dead channels (all zero on some inputs)' }), channelTable(l, dead, 'dataset-dead', pick));
  if (l.saturated !== undefined) {
    const [lo, hi] = l.bounds ?? [null, null];
    const sat = ranked(l.saturated);
    section.append(element('div', 'maps-role ds-role', { text: `Saturated channels (values at ${formatNumber(lo)} or ${formatNumber(hi)})` }));
    section.append(sat.length > 0 ? channelTable(l, sat, 'dataset-saturated', pick) : element('div', 'map-note', { text: 'No value at a bound.' }));
  }
  const label = element('label', 'ds-pick', { text: `Top ${dataset.topK} inputs of channel ` });
  label.append(picker);
  section.append(label, top);
  pick(best);
  return { el: section, pick: (c) => c >= 0 && c < channels && pick(c) };
}
