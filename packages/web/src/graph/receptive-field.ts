/**
 * Receptive fields: the region of each earlier tensor a map region depends on, walked back
 * through kernels, strides, paddings and dilations; where paths meet, their bounding box.
 * @module
 */
import type { LayerGraph, LayerNode } from '@cnnvis/protocol';

type AttributeValue = LayerNode['attributes'][string];

/** A region of a map in its pixels: columns x0 … x1 − 1, rows y0 … y1 − 1. */
export interface MapBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Whether two boxes (or nulls) are the same region. */
export function sameBox(a: MapBox | null, b: MapBox | null): boolean {
  return a === b || (a !== null && b !== null && a.x0 === b.x0 && a.y0 === b.y0 && a.x1 === b.x1 && a.y1 === b.y1);
}

/** One spatial axis of a sliding window: kernel, stride, dilation and the padding before the first input. */
export interface WindowAxis {
  kernel: number;
  stride: number;
  dilation: number;
  padBegin: number;
}

/**
 * The input interval [lo, hi) that outputs [o0, o1) of one axis read, clipped
 * to the input's `size`: output o reads inputs o·s − p … o·s − p + (k − 1)·d.
 * @example windowInput({ kernel: 3, stride: 2, dilation: 1, padBegin: 1 }, 3, 4, 16) // [5, 8]
 */
export function windowInput(a: WindowAxis, o0: number, o1: number, size: number): [number, number] {
  const lo = o0 * a.stride - a.padBegin;
  const hi = (o1 - 1) * a.stride - a.padBegin + (a.kernel - 1) * a.dilation + 1;
  return [Math.max(0, lo), Math.min(size, hi)];
}

/** Ops that slide a window over H and W. */
const WINDOW_OPS = new Set(['Conv', 'ConvInteger', 'QLinearConv', 'MaxPool', 'AveragePool', 'LpPool']);
/** Ops whose every output reads the whole input plane. */
const GLOBAL_OPS = new Set(['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool']);

const ints = (v: AttributeValue | undefined): number[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined);

/** H and W of a 4-D shape, or null. */
function plane(shape: ReadonlyArray<number | string | null> | null | undefined): [number, number] | null {
  const [, , h, w] = shape ?? [];
  return shape?.length === 4 && typeof h === 'number' && typeof w === 'number' ? [h, w] : null;
}

/**
 * The window of a conv or pool node on H and W: `kernel_shape` (else the
 * weight's last two dimensions), `strides`, `dilations`, and `pads` or
 * `auto_pad` (SAME_* pads split as ONNX does, from the input and output sizes).
 */
export function windowAxes(
  node: Pick<LayerNode, 'attributes'>,
  kernel: readonly number[] | null,
  inPlane: [number, number],
  outPlane: [number, number],
): [WindowAxis, WindowAxis] | null {
  const k = ints(node.attributes['kernel_shape']) ?? kernel?.slice(-2);
  if (k?.length !== 2) return null;
  const s = ints(node.attributes['strides']) ?? [1, 1];
  const d = ints(node.attributes['dilations']) ?? [1, 1];
  const pads = ints(node.attributes['pads']) ?? [0, 0, 0, 0];
  const auto = node.attributes['auto_pad'];
  return [0, 1].map((i): WindowAxis => {
    const [kernel, stride, dilation] = [k[i] ?? 1, s[i] ?? 1, d[i] ?? 1];
    let padBegin = pads[i] ?? 0;
    if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
      const total = Math.max(0, ((outPlane[i] ?? 1) - 1) * stride + (kernel - 1) * dilation + 1 - (inPlane[i] ?? 1));
      padBegin = auto === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
    } else if (auto === 'VALID') padBegin = 0;
    return { kernel, stride, dilation, padBegin };
  }) as [WindowAxis, WindowAxis];
}

const join = (a: MapBox | undefined, b: MapBox): MapBox =>
  a === undefined ? b : { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };

/**
 * The region of `input` (of plane `inPlane`) that region `box` of the node's
 * output (of plane `outPlane`) depends on.
 */
function inputBox(node: LayerNode, kernel: readonly number[] | null, box: MapBox, inPlane: [number, number], outPlane: [number, number], data: boolean): MapBox {
  const whole = { x0: 0, y0: 0, x1: inPlane[1], y1: inPlane[0] };
  if (GLOBAL_OPS.has(node.op)) return whole;
  if (WINDOW_OPS.has(node.op)) {
    if (!data) return whole; // a conv's weight given as a tensor, not an initializer
    const axes = windowAxes(node, kernel, inPlane, outPlane);
    if (axes === null) return whole;
    const [y0, y1] = windowInput(axes[0], box.y0, box.y1, inPlane[0]);
    const [x0, x1] = windowInput(axes[1], box.x0, box.x1, inPlane[1]);
    return { x0, y0, x1, y1 };
  }
  if (inPlane[0] === outPlane[0] && inPlane[1] === outPlane[1]) return box; // elementwise, Concat, BatchNorm, …
  // Resize and the like: the same part of the plane, scaled.
  const [sy, sx] = [inPlane[0] / outPlane[0], inPlane[1] / outPlane[1]];
  return { x0: Math.floor(box.x0 * sx), y0: Math.floor(box.y0 * sy), x1: Math.min(inPlane[1], Math.ceil(box.x1 * sx)), y1: Math.min(inPlane[0], Math.ceil(box.y1 * sy)) };
}

/**
 * The receptive field of region `box` of `tensor` on every 4-D tensor before
 * it (the graph's input included), by tensor name. Nodes must be in graph
 * (topological) order, as ONNX stores them; shapes come from the edges (a
 * run's observed shapes). A tensor whose output is not 4-D makes every output
 * read its whole input (Flatten, Gemm).
 * @example
 * const boxes = receptiveField(graph, '/layer1/conv/Conv_output_0', { x0: 5, y0: 3, x1: 6, y1: 4 });
 * boxes.get('input'); // { x0: 9, y0: 5, x1: 16, y1: 12 }
 */
export function receptiveField(graph: Pick<LayerGraph, 'nodes' | 'edges' | 'initializers'>, tensor: string, box: MapBox): Map<string, MapBox> {
  const shapes = new Map(graph.edges.map((e) => [e.tensor, e.shape]));
  const weights = new Map(graph.initializers.map((i) => [i.name, i.shape]));
  const boxes = new Map<string, MapBox>([[tensor, box]]);
  const end = graph.nodes.findIndex((n) => n.outputs.includes(tensor));
  for (let i = end; i >= 0; i--) {
    const node = graph.nodes[i] as LayerNode;
    const out = node.outputs.find((t) => boxes.has(t));
    if (out === undefined) continue;
    const outBox = boxes.get(out) as MapBox;
    const outPlane = plane(shapes.get(out));
    const kernel = weights.get(node.weights[0] ?? '') ?? (node.inputs[1] === undefined ? null : (shapes.get(node.inputs[1]) ?? []).filter((d): d is number => typeof d === 'number'));
    node.inputs.forEach((input, k) => {
      const inPlane = plane(shapes.get(input));
      if (inPlane === null) return;
      const b = outPlane === null ? { x0: 0, y0: 0, x1: inPlane[1], y1: inPlane[0] } : inputBox(node, kernel, outBox, inPlane, outPlane, k === 0);
      boxes.set(input, join(boxes.get(input), b));
    });
  }
  return boxes;
}
