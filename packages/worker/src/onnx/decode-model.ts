/**
 * Bytes to a ModelProto, with a clear ModelError for each way a file can fail to be a model ONNX
 * Runtime can load.
 * @module
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelError } from '../worker-error';
import { onnx, type ModelProto } from './onnx-schema';

/** The newest IR version onnxruntime-node loads; a test checks it against the runtime. */
export const ORT_MAX_IR_VERSION = 13;

/** ModelProto's field numbers and wire types (0 varint, 2 length-delimited), from onnx.proto. */
const MODEL_FIELDS: ReadonlyMap<number, number> = new Map([
  [1, 0], [2, 2], [3, 2], [4, 2], [5, 0], [6, 2], [7, 2], [8, 2], [14, 2], [20, 2], [21, 2], [22, 2],
]);

/**
 * Decodes ONNX bytes. Throws ModelError BAD_MODEL for empty, text, non-ONNX, truncated or
 * graph-less files and UNSUPPORTED for an IR version too new.
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  if (bytes.length === 0) throw new ModelError('BAD_MODEL', 'the file is empty, not an ONNX model');
  checkFirstTag(bytes);
  let model: ModelProto;
  try {
    model = fromBinary(onnx.ModelProtoSchema, bytes);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/premature EOF|out of range/i.test(msg)) {
      throw new ModelError('BAD_MODEL', `the ONNX model is truncated (${bytes.length} bytes; the protobuf ends mid-field)`, { cause: err });
    }
    // The decoder's depth limit stops subgraphs nested about 30 deep, before they exhaust a stack.
    const depth = /maximum recursion depth of (\d+)/.exec(msg)?.[1];
    if (depth !== undefined) {
      throw new ModelError('BAD_MODEL', `the ONNX model's subgraphs (If/Loop/Scan bodies) are nested too deep: its messages nest more than ${depth} levels deep`, { cause: err });
    }
    throw new ModelError('BAD_MODEL', `not an ONNX model: the protobuf does not decode (${msg})`, { cause: err });
  }
  const ir = Number(model.irVersion);
  if (ir <= 0) throw new ModelError('BAD_MODEL', 'not an ONNX model: it has no IR version');
  if (ir > ORT_MAX_IR_VERSION) {
    throw new ModelError(
      'UNSUPPORTED',
      `the model's ONNX IR version ${ir} is newer than this ONNX Runtime reads (IR version ${ORT_MAX_IR_VERSION} at most); re-export it with an older opset or exporter`,
    );
  }
  if (!model.graph) throw new ModelError('BAD_MODEL', 'the ONNX model has no graph');
  if (model.graph.node.length === 0) {
    throw new ModelError('BAD_MODEL', `the ONNX model's graph${model.graph.name ? ` '${model.graph.name}'` : ''} has no nodes`);
  }
  return model;
}

/** An ONNX file is a ModelProto: its first byte must be the tag of one of ModelProto's fields. */
function checkFirstTag(bytes: Uint8Array): void {
  let tag = 0;
  for (let i = 0, shift = 1; i < 3; i++, shift *= 128) {
    const b = bytes[i] ?? 0;
    tag += (b & 0x7f) * shift;
    if ((b & 0x80) === 0) break;
  }
  if (MODEL_FIELDS.get(Math.floor(tag / 8)) === tag % 8) return;
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const what = looksLikeText(bytes) ? 'it looks like a text file' : `it starts with bytes ${head}`;
  throw new ModelError('BAD_MODEL', `not an ONNX model: ${what}, not a protobuf ModelProto`);
}

function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 512);
  let printable = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) printable++;
  }
  return printable === head.length;
}
