/**
 * A colour bar with numbers: the panel's colormap as a gradient, with the
 * values its ends and middle stand for. In "per channel" mode each tile
 * spans its own range, so the bar shows the channel pointed at (or says so).
 * @module
 */
import { colormapGradient } from '../../graph/colormap';
import { formatNumber } from '../../graph/labels';
import type { MapSettings } from './map-settings';

export interface ColorBar {
  readonly el: HTMLElement;
  /** Show `min` … `max` (null: no numbers, with `caption` alone). */
  set(range: { min: number; max: number } | null, caption: string): void;
}

/** @example const bar = createColorBar(settings); bar.set({ min: 0, max: 3.2 }, 'layer range'); */
export function createColorBar(settings: MapSettings): ColorBar {
  const el = document.createElement('div');
  el.className = 'color-bar';
  el.dataset['testid'] = 'color-bar';
  const gradient = document.createElement('div');
  gradient.className = 'color-bar-gradient';
  const ticks = document.createElement('div');
  ticks.className = 'color-bar-ticks';
  const caption = document.createElement('div');
  caption.className = 'color-bar-caption';
  el.append(gradient, ticks, caption);
  return {
    el,
    set(range, text) {
      gradient.style.background = colormapGradient(settings.colormap);
      const values = range === null ? [] : [range.min, (range.min + range.max) / 2, range.max];
      ticks.replaceChildren(
        ...values.map((v) => {
          const t = document.createElement('span');
          t.textContent = formatNumber(v);
          return t;
        }),
      );
      el.dataset['min'] = range === null ? '' : String(range.min);
      el.dataset['max'] = range === null ? '' : String(range.max);
      caption.textContent = text;
    },
  };
}
