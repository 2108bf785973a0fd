/**
 * The panel's normalisation (per channel or layer) and colormap, and the controls that set it.
 * @module
 */
import { COLORMAPS, colormapGradient, type ColormapName } from '../../graph/colormap';
import type { Normalisation } from '../../graph/dequantize';
import { button, element } from '../../dom';

export interface MapSettings {
  norm: Normalisation;
  colormap: ColormapName;
}

/** The maps a user can pick for activations (coolwarm is kept for signed weights). */
const PICKABLE = COLORMAPS.filter((c) => c !== 'coolwarm');

/**
 * The controls row; `onChange` runs after each change.
 * @example panel.append(createMapControls(settings, redrawAll));
 */
export function createMapControls(settings: MapSettings, onChange: () => void): HTMLElement {
  const el = element('div', 'panel-controls');
  const seg = element('div', 'segmented');
  seg.setAttribute('role', 'radiogroup');
  seg.setAttribute('aria-label', 'Normalisation');
  seg.title = 'Per channel: each channel uses the full colour range. Per layer: channels share the layer range, so weak channels look weak.';
  const modes: Array<[Normalisation, string]> = [['channel', 'Per channel'], ['layer', 'Per layer']];
  for (const [mode, text] of modes) {
    const b = button('', text);
    b.dataset['norm'] = mode;
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', String(settings.norm === mode));
    seg.append(b);
  }
  seg.addEventListener('click', (e) => {
    const mode = (e.target as HTMLElement).closest<HTMLElement>('[data-norm]')?.dataset['norm'] as Normalisation | undefined;
    if (mode === undefined || mode === settings.norm) return;
    settings.norm = mode;
    for (const b of seg.querySelectorAll<HTMLElement>('[data-norm]')) b.setAttribute('aria-checked', String(b.dataset['norm'] === mode));
    onChange();
  });
  const label = element('label', 'colormap-picker');
  const swatch = element('span', 'colormap-swatch');
  const select = element('select', '', { testid: 'colormap' });
  select.setAttribute('aria-label', 'Colormap');
  select.append(...PICKABLE.map((c) => new Option(c, c, false, c === settings.colormap)));
  const paintSwatch = () => (swatch.style.background = colormapGradient(settings.colormap));
  paintSwatch();
  select.addEventListener('change', () => {
    settings.colormap = select.value as ColormapName;
    paintSwatch();
    onChange();
  });
  label.append(swatch, select);
  el.append(seg, label);
  return el;
}
