/**
 * A run whose layers' per-channel statistics are filled in only when read.
 * A stored or read graph window goes to the browsers watching its env, and
 * the server itself often reads one only for its model or runs; unpacking
 * 11,200 channels of a ResNet-18 (or reading them from the maps file) for
 * that would be wasted.
 * @module
 */
import type { AnalysisRun, LayerResult } from '@cnnvis/protocol';

/**
 * `run` with `layers` that `fill` gives on first read (and then keeps).
 * @example
 * const shown = withLazyLayers(run, () => unpackChannels({ layers: run.layers, ...arrays }));
 * JSON.stringify(shown); // layers with their channels
 */
export function withLazyLayers(run: AnalysisRun, fill: () => LayerResult[]): AnalysisRun {
  const { layers: _bare, ...rest } = run;
  let layers: LayerResult[] | undefined;
  const lazy = { ...rest } as AnalysisRun;
  Object.defineProperty(lazy, 'layers', {
    enumerable: true,
    get: () => (layers ??= fill()),
    set: (value: LayerResult[]) => void (layers = value),
  });
  return lazy;
}
