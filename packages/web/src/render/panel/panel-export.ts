/**
 * The layer panel's "PNG" button: the whole panel (header, maps, the
 * enlarged channel and picture, filters, statistics) as one image, the
 * parts scrolled out of view included.
 * @module
 */
import { ICONS } from '../../ui/icons';
import { downloadCanvas, toFilename } from '../download';
import { snapshotElement } from '../snapshot';

/**
 * @param name the layer's name, for the file
 * @example head.append(panelExportButton(panel.el, () => layer.id));
 */
export function panelExportButton(panel: HTMLElement, name: () => string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'panel-export';
  b.dataset['testid'] = 'panel-export';
  b.dataset['snapshot'] = 'skip'; // not part of the picture it takes
  b.title = 'Download this panel (maps, filters, statistics) as one PNG';
  b.innerHTML = ICONS.download;
  b.addEventListener('click', () => void downloadCanvas(snapshotElement(panel), toFilename(`layer ${name()}`, 'png')));
  return b;
}
