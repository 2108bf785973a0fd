/**
 * Visdom image panes: `data:image/png;base64,…` (or jpeg) sources decoded to
 * the PNG/JPEG bytes cnnvis stores, so they go through the same checks and
 * storage as SDK images (WindowService → toStoredImage).
 * @module
 */
import type { ImageContentInput, ImageInput } from '@cnnvis/protocol';
import { badField } from '../errors';

const DATA_URI = /^data:image\/(png|jpe?g);base64,/i;

/** One `{src, caption}` entry as an encoded image input. */
export function toImageInput(entry: unknown, path: string): ImageInput {
  if (typeof entry !== 'object' || entry === null) throw badField(path, 'must be an object with src');
  const { src, caption } = entry as { src?: unknown; caption?: unknown };
  if (typeof src !== 'string') throw badField(`${path}.src`, 'must be a data:image/png or data:image/jpeg base64 URI');
  const m = DATA_URI.exec(src);
  if (m === null) throw badField(`${path}.src`, 'must be a data:image/png or data:image/jpeg base64 URI');
  const encoding = (m[1] as string).toLowerCase() === 'png' ? 'png' : 'jpeg';
  const image: ImageInput = { encoding, data: Buffer.from(src.slice(m[0].length), 'base64') };
  if (typeof caption === 'string') image.caption = caption;
  return image;
}

/**
 * An `image_history` pane: one entry on create, or the whole list (as
 * `get_window_data` returns it) with `selected`.
 */
export function toImageHistoryContent(content: unknown, selected: unknown, path: string): ImageContentInput {
  const entries = Array.isArray(content) ? content : [content];
  if (entries.length === 0) throw badField(path, 'must hold at least one image');
  const images = entries.map((e, i) => toImageInput(e, Array.isArray(content) ? `${path}[${i}]` : path));
  const pick = typeof selected === 'number' && Number.isInteger(selected) ? Math.min(Math.max(selected, 0), images.length - 1) : images.length - 1;
  return { kind: 'image', images, selected: pick };
}
