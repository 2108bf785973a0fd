/**
 * The side panel of a clicked layer: input and output maps, an enlarged channel, dataset
 * statistics, filters, statistics and attributes, all fetched when the layer opens.
 * @module
 */
import type { GraphContent, LayerNode } from '@cnnvis/protocol';
import { createAttributionsApi } from '../../client/runs-api';
import type { RunData } from '../../client/run-data';
import { opFamily } from '../../graph/labels';
import type { VisibleNode } from '../../graph/visible-graph';
import { FAMILY_COLORS } from '../graph/graph-style';
import { ICONS } from '../../ui/icons';
import { downloadCanvas, toFilename } from '../download';
import { snapshotElement } from '../snapshot';
import { createAttributionSection, type AttributionSection } from './attribution-section';
import { createChannelZoom } from './channel-zoom';
import { datasetSection } from './dataset-section';
import { createMapBlock, type MapBlock } from './map-block';
import { createMapControls, type MapSettings } from './map-settings';
import { createMapExtras, type MapExtras } from './map-extras';
import { renderStats } from './stats-section';
import { weightsSection } from './weights-section';
import { button, element } from '../../dom';

export interface LayerPanelOptions {
  runData: RunData;
  onClose(): void;
  /** The name-prefix groups a layer lies in, outermost first. */
  groupsOf(layerId: string): ReadonlyArray<{ path: string; name: string }>;
  /** Fold a group (a button per group in the header: big graphs draw no group frames to click). */
  onFold(path: string): void;
  /** Previous/next buttons and tensor links for the header (see layer-nav.ts). */
  nav?(node: VisibleNode, content: GraphContent): HTMLElement | undefined;
  /** A section shown above the maps, e.g. a compare of two runs (none when it returns null). */
  extraSection?(layer: LayerNode | undefined, width: number): HTMLElement | null;
  /** Puts a server path under the UI's base path; without it (a static snapshot) no attribution is offered. */
  toUrl?(path: string): string;
}

export interface LayerPanel {
  readonly el: HTMLElement;
  show(node: VisibleNode, content: GraphContent): void;
  /** A new run of the same model: show the open layer's new maps. */
  refresh(content: GraphContent): void;
  hide(): void;
  dispose(): void;
}

function section(title: string, testid: string): { el: HTMLElement; body: HTMLElement } {
  const el = element('section', 'panel-section', { testid });
  const body = document.createElement('div');
  el.append(element('h4', '', { text: title }), body);
  return { el, body };
}

/** The "PNG" button: the whole panel as one image, the parts scrolled out of view included. */
function panelExportButton(panel: HTMLElement, name: () => string): HTMLButtonElement {
  const b = button('panel-export', '', 'Download this panel (maps, filters, statistics) as one PNG');
  b.dataset['testid'] = 'panel-export';
  b.dataset['snapshot'] = 'skip'; // not part of the picture it takes
  b.innerHTML = ICONS.download;
  b.addEventListener('click', () => void downloadCanvas(snapshotElement(panel), toFilename(`layer ${name()}`, 'png')));
  return b;
}

/** @example const panel = createLayerPanel({ runData, onClose, onError }); panel.show(node, content); */
export function createLayerPanel(opts: LayerPanelOptions): LayerPanel {
  const el = element('aside', 'layer-panel', { testid: 'layer-panel' });
  el.hidden = true;
  const settings: MapSettings = { norm: 'channel', colormap: 'viridis' };
  let blocks: MapBlock[] = [];
  let extras: MapExtras | undefined;
  const zoom = createChannelZoom(settings, (map, at) => extras?.point(map, at));
  const controls = createMapControls(settings, () => {
    for (const b of blocks) b.redraw();
    zoom.redraw();
    extras?.redraw();
  });
  let shown: { node: VisibleNode; content: GraphContent } | undefined;
  const attributions = opts.toUrl && createAttributionsApi(opts.toUrl);
  let attribution: AttributionSection | undefined;

  function header(node: VisibleNode, layer: LayerNode | undefined): HTMLElement {
    const head = element('header', 'panel-head');
    const chip = element('span', 'op-chip', { text: layer?.op ?? node.kind });
    chip.style.background = FAMILY_COLORS[layer ? opFamily(layer.op) : 'io'].stripe;
    const title = element('h3', '', { text: layer ? node.subtitle : node.title });
    const close = button('panel-close', '×', 'Close (Esc)');
    close.addEventListener('click', () => opts.onClose());
    const id = element('div', 'panel-id', { text: layer?.id ?? `${node.kind} tensor` });
    head.append(chip, title, close, id, panelExportButton(el, () => layer?.id ?? node.title));
    const groups = layer ? opts.groupsOf(layer.id) : [];
    if (groups.length > 0) head.append(groupTrail(groups));
    return head;
  }

  /** `in stage3 › block5`, each a button that folds that group into one box. */
  function groupTrail(groups: ReadonlyArray<{ path: string; name: string }>): HTMLElement {
    const trail = element('div', 'panel-groups', { testid: 'panel-groups' });
    trail.append('in ');
    groups.forEach((g, i) => {
      if (i > 0) trail.append(' › ');
      const fold = button('group-fold', g.name, `Fold ${g.path} into one box`);
      fold.dataset['group'] = g.path;
      fold.addEventListener('click', () => opts.onFold(g.path));
      trail.append(fold);
    });
    return trail;
  }

  function render(node: VisibleNode, content: GraphContent): void {
    const layer = node.layer;
    const { run, graph } = content;
    const shapes = new Map(graph.edges.map((e) => [e.tensor, e.shape]));
    const scroll = element('div', 'panel-scroll');
    const width = Math.max(200, el.clientWidth - 36);
    zoom.hide();
    blocks = [];
    const maps = section('Feature maps', 'panel-maps');
    // Made after the maps, and shown below them, but a channel clicked in them picks its top inputs.
    const dataset = layer ? datasetSection(layer.id, content.dataset) : null;
    if (run === null) {
      maps.body.innerHTML = '<div class="map-missing">No run yet. Drop an image (with the .onnx) on the page, or call <code>viz.featureMaps(model, input)</code>.</div>';
    } else {
      const inputs = layer ? layer.inputs : node.kind === 'output' ? [node.title] : [];
      const outputs = layer ? layer.outputs : node.kind === 'input' ? [node.title] : [];
      const row = element('div', 'maps-row');
      const colWidth = inputs.length > 0 && outputs.length > 0 ? Math.floor((width - 16) / 2) : width;
      for (const [role, tensors] of [['input', inputs], ['output', outputs]] as const) {
        if (tensors.length === 0) continue;
        const col = element('div', 'maps-col');
        col.innerHTML = `<div class="maps-role">${role === 'input' ? 'Input' : 'Output'}</div>`;
        for (const tensor of tensors) {
          const shape = shapes.get(tensor);
          const block = createMapBlock({
            runData: opts.runData, runId: run.runId, tensor, role, width: colWidth, settings,
            shape: shape?.every((d): d is number => typeof d === 'number') ? shape : null,
            onChannel: (map, c) => {
              if (role === 'output') dataset?.pick(c);
              zoom.show(map, c, role);
              extras?.overlay(map, c);
            },
            onPoint: (map, at) => extras?.point(map, at),
          });
          blocks.push(block);
          col.append(block.el);
        }
        row.append(col);
      }
      extras = createMapExtras({ runData: opts.runData, run, graph, layer, outputs, settings, zoom: zoom.el, blocks: () => blocks });
      // The attribution sits under the input picture it draws on.
      if (attributions && attribution?.runId !== run.runId) {
        attribution = createAttributionSection({ api: attributions, runData: opts.runData, run, graph, overlay: (map) => extras?.overlay(map, 0) });
      }
      maps.body.append(controls, row, extras.el, ...(attribution ? [attribution.el] : []));
      attribution?.reapply();
    }
    const extra = opts.extraSection?.(layer, width);
    if (extra) scroll.append(extra);
    scroll.append(maps.el);
    if (dataset) scroll.append(dataset.el);
    const weights = layer ? weightsSection(layer, content, opts.runData, width) : null;
    if (weights) scroll.append(weights);
    const stats = section('Statistics', 'panel-stats');
    const tensor = layer?.outputs[0] ?? node.title;
    const result = run?.layers.find((r) => (layer ? r.node === layer.id : r.tensor === tensor));
    renderStats(stats.body, layer ?? null, result, width);
    scroll.append(stats.el);
    const head = header(node, layer);
    const nav = opts.nav?.(node, content);
    if (nav) head.append(nav);
    el.replaceChildren(head, scroll);
  }

  const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !el.hidden && opts.onClose();
  document.addEventListener('keydown', onKey);
  return {
    el,
    show(node, content) {
      shown = { node, content };
      el.hidden = false;
      el.dataset['node'] = node.id;
      render(node, content);
    },
    refresh(content) {
      if (shown === undefined || el.hidden) return;
      shown = { ...shown, content };
      render(shown.node, content);
    },
    hide() {
      shown = undefined;
      el.hidden = true;
      delete el.dataset['node'];
    },
    dispose() {
      document.removeEventListener('keydown', onKey);
      el.remove();
    },
  };
}
