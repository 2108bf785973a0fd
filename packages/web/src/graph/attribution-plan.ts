/**
 * What the panel offers before an attribution runs (Score-CAM's conv layers, each method's
 * forward passes), and a kept heatmap as a one-channel map for the input picture to overlay.
 * @module
 */
import type { KeptAttribution, LayerGraph } from '@cnnvis/protocol';
import { occlusionPlan } from '@cnnvis/protocol/plain';
import type { FeatureMap } from '../client/run-data';

/** A conv layer Score-CAM may weigh: its node, output tensor and `[C, H, W]`. */
export interface CamLayer {
  id: string;
  tensor: string;
  channels: number;
  spatial: boolean;
}

/** The Conv nodes with a 4-D output of known shape, in graph order (the run's observed shapes). */
export function camLayers(graph: LayerGraph): CamLayer[] {
  const shapes = new Map(graph.edges.map((e) => [e.tensor, e.shape]));
  return graph.nodes.flatMap((n) => {
    const tensor = n.outputs[0];
    const shape = tensor === undefined ? undefined : shapes.get(tensor);
    if (n.op !== 'Conv' || tensor === undefined || shape?.length !== 4 || !shape.every((d): d is number => typeof d === 'number')) return [];
    const [, c = 0, h = 0, w = 0] = shape;
    return [{ id: n.id, tensor, channels: c, spatial: h * w > 1 }];
  });
}

/** What the worker weighs when no layer is named: the last conv with a spatial map (its block output has its channels). */
export function defaultCamLayer(layers: readonly CamLayer[]): CamLayer | undefined {
  return [...layers].reverse().find((l) => l.spatial);
}

/** The fields the panel sets, as numbers where given. */
export interface AttributionChoice {
  method: 'occlusion' | 'score-cam';
  patch?: number;
  stride?: number;
  /** A node id of {@link camLayers}; none: the default. */
  layer?: string;
}

/**
 * Forward passes the choice runs on an `h`×`w` input (the unchanged input's not counted); null when
 * unknown (a patch or stride that is no whole number ≥ 1: the server refuses it).
 * @example plannedPasses({ method: 'occlusion', patch: 32, stride: 16 }, [224, 224], []); // 169
 */
export function plannedPasses(choice: AttributionChoice, [h, w]: readonly [number, number], layers: readonly CamLayer[]): number | null {
  if (choice.method === 'occlusion') {
    const whole = [choice.patch, choice.stride].every((v) => v === undefined || (Number.isInteger(v) && v >= 1));
    return whole ? occlusionPlan(h, w, choice.patch, choice.stride).passes : null;
  }
  const layer = choice.layer === undefined ? defaultCamLayer(layers) : layers.find((l) => l.id === choice.layer);
  return layer?.channels ?? null;
}

/**
 * A kept heatmap as a `[1, H, W]` map of its positive part (what speaks for
 * the target, as the server's pane draws it) over 0 … its largest value,
 * named by what made it.
 * @example picture.overlay(heatmapMap(kept[0], 'occlusion · cat'), 0);
 */
export function heatmapMap(a: Pick<KeptAttribution, 'heatmap' | 'shape'>, name: string): FeatureMap {
  const hi = a.heatmap.reduce((m, v) => Math.max(m, v), 0);
  const bytes = Uint8Array.from(a.heatmap, (v) => (hi > 0 ? Math.round((Math.max(0, v) / hi) * 255) : 0));
  const [h, w] = a.shape;
  return { meta: { tensor: name, shape: [1, h, w], channelMin: [0], channelMax: [hi], url: '' }, bytes, first: 0, count: 1 };
}
