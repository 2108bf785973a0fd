/**
 * A run whose layers' per-channel statistics came packed (`ChannelArrays`
 * of `@cnnvis/worker/pool`) becomes objects only when read.
 * The window a run is stored in goes to the browsers watching its env; with
 * none watching nothing reads the layers, and unpacking 11,200 channels of a
 * ResNet-18 on every run would be wasted.
 * @module
 */
import type { AnalysisRun, LayerResult } from '@cnnvis/protocol';
import { unpackChannels, type ChannelArrays } from '@cnnvis/worker/pool';

/**
 * `run` with `layers` that unpack `channels` into them on first read (and
 * then keep the result); `run.layers` must have empty channels. `channels`
 * may be a function that gives them (it reads them from a file), called then.
 * @example
 * const shown = withLazyChannels(run, blobs.channels);
 * JSON.stringify(shown); // layers with their channels
 */
export function withLazyChannels(run: AnalysisRun, channels: ChannelArrays | (() => ChannelArrays)): AnalysisRun {
  const { layers: bare, ...rest } = run;
  let layers: LayerResult[] | undefined;
  const lazy = { ...rest } as AnalysisRun;
  Object.defineProperty(lazy, 'layers', {
    enumerable: true,
    get: () => (layers ??= unpackChannels({ layers: bare, ...(typeof channels === 'function' ? channels() : channels) })),
    set: (value: LayerResult[]) => void (layers = value),
  });
  return lazy;
}
