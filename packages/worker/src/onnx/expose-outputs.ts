/**
 * Exposing intermediate tensors as graph outputs by appending bytes to the model, never
 * re-encoding it: protobuf merges a trailing `graph` record into the first, and ONNX Runtime
 * infers the types of outputs given by name only.
 * @module
 */

const MODEL_GRAPH_FIELD = 7;
const GRAPH_OUTPUT_FIELD = 12;
const VALUE_INFO_NAME_FIELD = 1;
const LENGTH_DELIMITED = 2;
const utf8 = new TextEncoder();

/** The model's bytes with `names` added as graph outputs. */
export function exposeOutputs(model: Uint8Array, names: readonly string[]): Uint8Array {
  if (names.length === 0) return model;
  return appendToGraph(model, concat(names.map((n) => field(GRAPH_OUTPUT_FIELD, field(VALUE_INFO_NAME_FIELD, utf8.encode(n))))));
}

/** The model's bytes with an encoded GraphProto's nodes, initializers and outputs appended. */
export function appendToGraph(model: Uint8Array, graph: Uint8Array): Uint8Array {
  return concat([model, field(MODEL_GRAPH_FIELD, graph)]);
}

/** A length-delimited field: tag, length, payload. */
function field(num: number, payload: Uint8Array): Uint8Array {
  return concat([varint((num << 3) | LENGTH_DELIMITED), varint(payload.length), payload]);
}

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
