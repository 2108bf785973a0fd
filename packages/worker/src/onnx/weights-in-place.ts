/**
 * Letting ONNX Runtime map a model's weights from its own file instead of
 * copying them. Given bytes, ORT copies every initializer into memory of its
 * own (and with them the exposed-outputs copy of the whole model): three
 * copies of a large model's weights, slow to touch and twice the file in memory.
 *
 * Here each large `raw_data` initializer of the main graph is rewritten as an
 * external-data reference (ONNX's `location`/`offset`/`length`) to where its
 * bytes already lie inside the uploaded `.onnx` file. ORT memory-maps external
 * data, so the weights are the page cache's pages, shared and never copied.
 * Only the small remainder (nodes, names, small tensors) is re-encoded; the
 * file on disk is never changed. Subgraph initializers and tensors stored as
 * typed fields stay inline. ORT resolves `location` against the session option
 * `session.model_external_initializers_file_folder_path` (see
 * {@link weightsFolderOption}), and refuses paths that leave that folder.
 * @module
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { onnx, type ModelProto, type TensorProto } from './onnx-schema';

/** Smaller tensors stay inline: a mapping per tensor costs more than copying a few pages. */
export const IN_PLACE_MIN_BYTES = 4096;

/**
 * `model` (decoded from `bytes`, the whole file named `fileName`) re-encoded
 * with its large initializers pointing into that file. `model` is not changed.
 * @example
 * const skeleton = weightsInPlace(model, bytes, 'ab12….onnx');
 * await ort.InferenceSession.create(skeleton, { extra: weightsFolderOption('/data/models') });
 */
export function weightsInPlace(model: ModelProto, bytes: Uint8Array, fileName: string): Uint8Array {
  const graph = model.graph;
  if (!graph) return bytes;
  let moved = 0;
  const initializer = graph.initializer.map((t) => {
    const offset = offsetIn(bytes, t.rawData);
    if (offset === null || t.rawData.length < IN_PLACE_MIN_BYTES) return t;
    moved++;
    return reference(t, fileName, offset);
  });
  if (moved === 0) return bytes;
  return toBinary(onnx.ModelProtoSchema, { ...model, graph: { ...graph, initializer } });
}

/**
 * The session option that tells ORT where `weightsInPlace`'s references
 * lie, in the shape of SessionOptions' `extra.session`.
 */
export function weightsFolderOption(folder: string): { model_external_initializers_file_folder_path: string } {
  return { model_external_initializers_file_folder_path: folder };
}

/** Where `raw` starts within `bytes`, or null when it is not a view into them (a decoder that copied). */
function offsetIn(bytes: Uint8Array, raw: Uint8Array): number | null {
  if (raw.length === 0 || raw.buffer !== bytes.buffer) return null;
  const offset = raw.byteOffset - bytes.byteOffset;
  return offset >= 0 && offset + raw.length <= bytes.length ? offset : null;
}

function reference(t: TensorProto, fileName: string, offset: number): TensorProto {
  const entry = (key: string, value: string) => create(onnx.StringStringEntryProtoSchema, { key, value });
  return {
    ...t,
    rawData: new Uint8Array(0),
    dataLocation: onnx.TensorProto_DataLocation.EXTERNAL,
    externalData: [entry('location', fileName), entry('offset', String(offset)), entry('length', String(t.rawData.length))],
  };
}
