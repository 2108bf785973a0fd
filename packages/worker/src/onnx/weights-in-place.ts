/**
 * Letting ONNX Runtime memory-map a model's weights from its own file instead of copying them:
 * each large `raw_data` initializer of the main graph becomes an external-data reference to
 * where its bytes lie in the `.onnx` file, resolved against {@link weightsFolderOption}.
 * @module
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { onnx, type ModelProto, type TensorProto } from './onnx-schema';

/** Smaller tensors stay inline: a mapping per tensor costs more than copying a few pages. */
export const IN_PLACE_MIN_BYTES = 4096;

/** `model` (decoded from `bytes`, file `fileName`) with its large initializers pointing into it. */
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

/** The session option (`extra.session`) that tells ORT where `weightsInPlace`'s references lie. */
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
