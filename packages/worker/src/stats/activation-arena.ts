/**
 * One run laid out in the SIMD kernel's memory: every tensor's floats (written there by ONNX
 * Runtime), then their per-plane results, then their map bytes in the maps file's order.
 * @module
 */
import { mapLayout } from './feature-map';
import { align16, PLANE_RESULT_BYTES } from './simd-kernels';
import { statsPlanes } from './tensor-stats';

/** Where one tensor lies, in bytes from the start of the kernels' memory. */
export interface ArenaSlot {
  name: string;
  shape: number[];
  /** Floats in the tensor. */
  length: number;
  floatsAt: number;
  /** Statistics planes (see statsPlanes): `count` planes of `plane` floats. */
  plane: number;
  count: number;
  resultsAt: number;
  /** Channels its feature map keeps, `mapPlane` bytes each, from `mapAt`. */
  keep: number;
  mapPlane: number;
  mapAt: number;
}

export interface ArenaLayout {
  slots: ArenaSlot[];
  /** The feature maps' bytes: `mapsLength` from `mapsAt`, slot after slot. */
  mapsAt: number;
  mapsLength: number;
  /** Memory the run needs. */
  bytes: number;
}

export function layoutArena(tensors: ReadonlyArray<{ name: string; shape: readonly number[] }>, maxChannels: number): ArenaLayout {
  let at = 0;
  const slots = tensors.map(({ name, shape }): ArenaSlot => {
    const length = shape.reduce((a, b) => a * b, 1);
    const { plane, count } = statsPlanes(shape, length);
    const { channels, height, width } = mapLayout(shape);
    const floatsAt = at;
    at = align16(at + length * 4);
    return { name, shape: [...shape], length, floatsAt, plane, count, resultsAt: 0, keep: Math.min(channels, Math.max(1, maxChannels)), mapPlane: height * width, mapAt: 0 };
  });
  for (const s of slots) {
    s.resultsAt = at;
    at += s.count * PLANE_RESULT_BYTES;
  }
  const mapsAt = at;
  for (const s of slots) {
    s.mapAt = at;
    at += s.keep * s.mapPlane;
  }
  return { slots, mapsAt, mapsLength: at - mapsAt, bytes: align16(at) };
}
