/**
 * The colormap as a gradient with the values its ends and middle stand for (per channel: the
 * channel pointed at).
 * @module
 */
import { colormapGradient } from '../../graph/colormap';
import { formatNumber } from '../../graph/labels';
import type { MapSettings } from './map-settings';
import { element } from '../../dom';

export interface ColorBar {
  readonly el: HTMLElement;
  /** Show `min` … `max` (null: no numbers, with `caption` alone). */
  set(range: { min: number; max: number } | null, caption: string): void;
}

/** @example const bar = createColorBar(settings); bar.set({ min: 0, max: 3.2 }, 'layer range'); */
export function createColorBar(settings: MapSettings): ColorBar {
  const el = element('div', 'color-bar', { testid: 'color-bar' });
  const gradient = element('div', 'color-bar-gradient');
  const ticks = element('div', 'color-bar-ticks');
  const caption = element('div', 'color-bar-caption');
  el.append(gradient, ticks, caption);
  return {
    el,
    set(range, text) {
      gradient.style.background = colormapGradient(settings.colormap);
      const values = range === null ? [] : [range.min, (range.min + range.max) / 2, range.max];
      ticks.replaceChildren(...values.map((v) => element('span', '', { text: formatNumber(v) })));
      el.dataset['min'] = range === null ? '' : String(range.min);
      el.dataset['max'] = range === null ? '' : String(range.max);
      caption.textContent = text;
    },
  };
}
