/**
 * Turning images as sent (raw pixels or PNG/JPEG bytes) into images as
 * stored, checking that encoded files are what they claim.
 * @module
 */
import type { ImageInput } from '@cnnvis/protocol';
import { badField } from '../errors';
import type { StoredImage } from '../store/window-store';
import { jpegSize, pngSize } from './image-header';

/** `path` names the field in error messages, e.g. `content.images[2]`. */
export function toStoredImage(input: ImageInput, path: string): StoredImage {
  let image: StoredImage;
  if (input.encoding === 'raw') {
    const [c, h, w] = input.shape.length === 3 ? input.shape : [1, ...input.shape];
    image = { encoding: 'raw', width: w, height: h, channels: c, data: input.data };
  } else {
    const size = input.encoding === 'png' ? pngSize(input.data) : jpegSize(input.data);
    if (size === undefined) {
      throw badField(`${path}.data`, `is not a valid ${input.encoding.toUpperCase()} file`);
    }
    image = { encoding: input.encoding, channels: 0, data: input.data, ...size };
  }
  if (input.caption !== undefined) image.caption = input.caption;
  return image;
}
