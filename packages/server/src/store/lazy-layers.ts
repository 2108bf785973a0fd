/**
 * A run whose layers' per-channel statistics are filled in only when read: the server often reads
 * a graph window only for its model or runs, and unpacking every channel for that would be wasted.
 * @module
 */
import type { AnalysisRun, LayerResult } from '@cnnvis/protocol';

/** `run` with `layers` that `fill` gives on first read (and then keeps). */
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
