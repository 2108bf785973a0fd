/**
 * Node attributes simplified for display: numbers, strings and lists of them.
 * Tensors and graphs become a short summary string, small tensors with values.
 * @module
 */
import type { LayerNode } from '@cnnvis/protocol';
import type { AttributeProto, TensorProto } from './onnx-schema';
import { onnx } from './onnx-schema';
import { dtypeName, elementCount } from './tensor-type';
import { readTensorNumbers } from './tensor-data';

type AttributeValue = LayerNode['attributes'][string];
const utf8 = new TextDecoder();
/** Tensors up to this many elements show their values (e.g. a Constant's shape). */
const SMALL_TENSOR = 8;

/** One attribute as a display value, e.g. `[3, 3]` for a kernel_shape. */
function simplifyAttribute(a: AttributeProto): AttributeValue {
  const T = onnx.AttributeProto_AttributeType;
  switch (a.type) {
    case T.FLOAT:
      return a.f;
    case T.INT:
      return Number(a.i);
    case T.STRING:
      return utf8.decode(a.s);
    case T.FLOATS:
      return a.floats;
    case T.INTS:
      return a.ints.map(Number);
    case T.STRINGS:
      return a.strings.map((s) => utf8.decode(s));
    case T.TENSOR:
      return a.t ? describeTensor(a.t) : 'tensor';
    case T.TENSORS:
      return a.tensors.map(describeTensor);
    case T.GRAPH:
      return `graph '${a.g?.name ?? ''}' (${a.g?.node.length ?? 0} nodes)`;
    case T.GRAPHS:
      return a.graphs.map((g) => `graph '${g.name}' (${g.node.length} nodes)`);
    default:
      // Sparse tensors, type protos, and attributes referring to a function's attribute.
      return a.refAttrName ? `@${a.refAttrName}` : (onnx.AttributeProto_AttributeType[a.type] ?? 'unknown').toLowerCase();
  }
}

/** All of a node's attributes, by name. */
export function simplifyAttributes(attrs: readonly AttributeProto[]): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const a of attrs) out[a.name] = simplifyAttribute(a);
  return out;
}

/** `float[3,3]`, or `int64[2] = [1, -1]` for small tensors whose values are readable. */
function describeTensor(t: TensorProto): string {
  const dims = t.dims.map(Number);
  const head = `${dtypeName(t.dataType)}[${dims.join(',')}]`;
  if (elementCount(dims) > SMALL_TENSOR) return head;
  const values = readTensorNumbers(t);
  return values ? `${head} = [${values.join(', ')}]` : head;
}
