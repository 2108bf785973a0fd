/**
 * Drop an `.onnx` model and an image on the page (together or one after the other) to analyse
 * them; other files are refused by name.
 * @module
 */
import { detectImageFormat } from '@cnnvis/protocol/plain';

export type ImageEncoding = 'png' | 'jpeg';

export interface DroppedPair {
  model: File;
  image: File;
  encoding: ImageEncoding;
}

export interface DropZoneOptions {
  /** Page-wide overlay shown while files are dragged over. */
  overlay: HTMLElement;
  /** The chip that says which half of the pair is waiting. */
  pending: HTMLElement;
  onPair(pair: DroppedPair): void;
  onError(message: string): void;
}

/**
 * PNG or JPEG by magic bytes (file types from the OS are unreliable).
 * @example await sniffImage(file) // 'png'
 */
export async function sniffImage(file: Blob): Promise<ImageEncoding | null> {
  return detectImageFormat(new Uint8Array(await file.slice(0, 8).arrayBuffer())) ?? null;
}

/** @example createDropZone(document, { overlay, pending, picker, onPair: analyse, onError: toast }); */
export function createDropZone(doc: Document, o: DropZoneOptions): void {
  let model: File | undefined;
  let image: { file: File; encoding: ImageEncoding } | undefined;
  let depth = 0;
  const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;

  const showPending = () => {
    const waiting = model ? `${model.name} ✓ · now drop an image` : image ? `${image.file.name} ✓ · now drop an .onnx model` : '';
    o.pending.textContent = waiting;
    o.pending.hidden = waiting === '';
  };
  const take = async (files: readonly File[]) => {
    for (const file of files) {
      if (/\.onnx$/i.test(file.name)) {
        model = file;
        continue;
      }
      const encoding = await sniffImage(file);
      if (encoding) image = { file, encoding };
      else o.onError(`${file.name}: not an .onnx model, nor a PNG or JPEG image`);
    }
    if (model && image) {
      const pair = { model, image: image.file, encoding: image.encoding };
      model = image = undefined;
      o.onPair(pair);
    }
    showPending();
  };

  doc.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    depth++;
    o.overlay.hidden = false;
  });
  doc.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) o.overlay.hidden = true;
  });
  doc.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault(); // without this the browser opens the file instead
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  });
  doc.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    o.overlay.hidden = true;
    void take([...(e.dataTransfer?.files ?? [])]);
  });
}
