/**
 * A hand check of the commonest create request, run before zod: an image
 * pane (every `viz.image` and `viz.images` of a training loop), raw pixels or
 * PNG/JPEG bytes, with at most a title and a caption. It only ever says yes to
 * a request {@link WindowCreateRequestSchema} accepts unchanged; anything else
 * goes to zod, so every refusal, and its message, stays zod's. zod's walk of a
 * 28×28 image's request cost ~20 µs on each side of an awaited `viz.image`
 * (--cpu-prof of the SDK and of the server), out of ~250 µs a round trip.
 * @module
 */
import { countKeys, isEnvId, isIntIn, isPlainObject, isText, isWinId } from './hand-checks';
import type { WindowCreateRequest } from './requests';

const REQUEST_KEYS: readonly string[] = ['env', 'win', 'content', 'opts'];
const CONTENT_KEYS: readonly string[] = ['kind', 'images', 'nrow', 'padding', 'selected'];
const RAW_KEYS: readonly string[] = ['encoding', 'shape', 'data', 'caption'];
const ENCODED_KEYS: readonly string[] = ['encoding', 'data', 'caption'];
const OPTS_KEYS: readonly string[] = ['title', 'caption'];
/** zod's `dim`: a side of an image. */
const MAX_SIDE = 16_384;

/** One image as RawImageInputSchema or EncodedImageInputSchema accepts it. */
function isImage(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const { encoding, shape, data, caption } = value;
  if (!(data instanceof Uint8Array) || (caption !== undefined && !isText(caption, 10_000))) return false;
  if (encoding === 'png' || encoding === 'jpeg') return countKeys(value, ENCODED_KEYS) >= 0;
  if (encoding !== 'raw' || countKeys(value, RAW_KEYS) < 0 || !Array.isArray(shape)) return false;
  let first = 0;
  if (shape.length === 3) {
    if (shape[0] !== 1 && shape[0] !== 3 && shape[0] !== 4) return false;
    first = 1;
  } else if (shape.length !== 2) return false;
  let pixels = first === 1 ? (shape[0] as number) : 1;
  for (let i = first; i < shape.length; i++) {
    if (!isIntIn(shape[i], 1, MAX_SIDE)) return false;
    pixels *= shape[i] as number;
  }
  return data.length === pixels;
}

/**
 * Whether `payload` is an image pane's create request that zod would accept
 * as it is. False means "ask zod", not "invalid".
 * @example
 * isImageCreate({ env: 'main', win: 'input', content: { kind: 'image', images: [{ encoding: 'raw', shape: [2, 2], data: new Uint8Array(4) }] } }) // → true
 */
export function isImageCreate(payload: unknown): payload is WindowCreateRequest {
  if (!isPlainObject(payload) || countKeys(payload, REQUEST_KEYS) < 1) return false;
  const { env, win, content, opts } = payload;
  if ((env !== undefined && !isEnvId(env)) || (win !== undefined && !isWinId(win))) return false;
  if (opts !== undefined) {
    if (!isPlainObject(opts) || countKeys(opts, OPTS_KEYS) < 0) return false;
    if ((opts['title'] !== undefined && !isText(opts['title'], 1000)) || (opts['caption'] !== undefined && !isText(opts['caption'], 10_000))) return false;
  }
  if (!isPlainObject(content) || content['kind'] !== 'image' || countKeys(content, CONTENT_KEYS) < 0) return false;
  const { images, nrow, padding, selected } = content;
  if (nrow !== undefined && !isIntIn(nrow, 1, 4096)) return false;
  if (padding !== undefined && !isIntIn(padding, 0, 256)) return false;
  if (selected !== undefined && !isIntIn(selected, 0, Number.MAX_SAFE_INTEGER)) return false;
  if (!Array.isArray(images) || images.length < 1 || images.length > 4096) return false;
  for (let i = 0; i < images.length; i++) if (!isImage(images[i])) return false;
  return true;
}
