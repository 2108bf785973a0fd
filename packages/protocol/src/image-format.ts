/**
 * Telling PNG from JPEG by their first bytes, as file names and MIME types are unreliable.
 * @module
 */

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A JPEG's start-of-image marker and the 0xFF of the marker after it. */
const JPEG_START: readonly number[] = [0xff, 0xd8, 0xff];

/**
 * The format of encoded image bytes, from their first bytes.
 * @example
 * detectImageFormat(readFileSync('cat.png')); // 'png'
 */
export function detectImageFormat(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  const starts = (magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts(PNG_SIGNATURE)) return 'png';
  if (starts(JPEG_START)) return 'jpeg';
  return undefined;
}
