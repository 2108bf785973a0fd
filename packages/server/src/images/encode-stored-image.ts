/**
 * A stored image as the bytes a browser can show: encoded files as they
 * came, raw pixels encoded to PNG on demand.
 * @module
 */
import type { StoredImage } from '../store/window-store';
import { encodePng } from './png-encode';

export function encodeStoredImage(image: StoredImage): { mime: string; bytes: Buffer } {
  if (image.encoding === 'jpeg') return { mime: 'image/jpeg', bytes: Buffer.from(image.data) };
  if (image.encoding === 'png') return { mime: 'image/png', bytes: Buffer.from(image.data) };
  return { mime: 'image/png', bytes: encodePng(image.data, image.width, image.height, image.channels) };
}
