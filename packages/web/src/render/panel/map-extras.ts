/**
 * Beside a layer's maps: the input picture with the enlarged channel over it, the receptive
 * field of the hovered pixel, and a classifier's top-k bars.
 * @module
 */
import type { AnalysisRun, LayerGraph, LayerNode } from '@cnnvis/protocol';
import type { FeatureMap, RunData } from '../../client/run-data';
import { receptiveField } from '../../graph/receptive-field';
import { createInputPictureView } from './input-picture-view';
import { PAGE_CHANNELS, type MapBlock } from './map-block';
import type { MapSettings } from './map-settings';
import { renderTopK } from './top-k-view';
import { element } from '../../dom';

export interface MapExtrasOptions {
  runData: RunData;
  run: AnalysisRun;
  graph: LayerGraph;
  layer: LayerNode | undefined;
  /** The tensors whose maps the panel shows as outputs. */
  outputs: readonly string[];
  settings: MapSettings;
  /** The panel's enlarged channel, placed beside the picture. */
  zoom: HTMLElement;
  /** The panel's map blocks, to outline receptive fields on. */
  blocks(): readonly MapBlock[];
}

export interface MapExtras {
  readonly el: HTMLElement;
  /** A channel was enlarged: lay it over the picture. */
  overlay(map: FeatureMap, channel: number): void;
  /** The cursor is on pixel `at` of an enlarged channel (null: it left). */
  point(map: FeatureMap, at: { x: number; y: number } | null): void;
  redraw(): void;
}

/** Ops whose 1×N output is a classifier's scores. */
const SCORE_OPS = new Set(['Gemm', 'MatMul', 'Softmax', 'LogSoftmax']);

/** @example const extras = createMapExtras({ runData, run, graph, layer, outputs, settings, zoom: zoom.el, blocks: () => blocks }); */
export function createMapExtras(o: MapExtrasOptions): MapExtras {
  const el = element('div', 'map-extras');
  const scores = document.createElement('div');
  const row = element('div', 'zoom-row');
  const picture = createInputPictureView(o.settings);
  row.append(o.zoom, picture.el);
  el.append(scores, row);
  const inputTensor = o.run.input?.tensor ?? o.graph.inputs[0]?.name;
  if (inputTensor !== undefined) {
    o.runData.map(o.run.runId, inputTensor, 0, PAGE_CHANNELS).then(
      (map) => picture.setInput(map, o.run.input),
      () => undefined, // no map of the input stored: no picture
    );
  }

  const shapes = new Map(o.graph.edges.map((e) => [e.tensor, e.shape]));
  const graphOutputs = new Set(o.graph.outputs.map((t) => t.name));
  for (const tensor of o.outputs) {
    const shape = shapes.get(tensor);
    const flat = shape?.length === 2 && shape[0] === 1 && typeof shape[1] === 'number' && shape[1] >= 2;
    if (!flat || !(graphOutputs.has(tensor) || SCORE_OPS.has(o.layer?.op ?? ''))) continue;
    o.runData.map(o.run.runId, tensor).then(
      (map) => scores.append(renderTopK(map, o.run.labels, o.layer?.op)),
      () => undefined,
    );
  }

  return {
    el,
    overlay: (map, c) => picture.overlay(map, c),
    point(map, at) {
      const [, h = 0, w = 0] = map.meta.shape;
      const spatial = at !== null && map.meta.shape.length === 3 && h * w > 1;
      const boxes = spatial ? receptiveField(o.graph, map.meta.tensor, { x0: at.x, y0: at.y, x1: at.x + 1, y1: at.y + 1 }) : null;
      for (const block of o.blocks()) {
        const tensor = block.el.dataset['tensor'] ?? '';
        if (tensor !== map.meta.tensor) block.outline(boxes?.get(tensor) ?? null);
      }
      picture.outline(inputTensor === undefined || inputTensor === map.meta.tensor ? null : (boxes?.get(inputTensor) ?? null));
    },
    redraw: () => picture.redraw(),
  };
}
