/**
 * Protocol defaults that are plain values, without zod, so the browser can
 * import them through `@cnnvis/protocol/plain`.
 * @module
 */

/** The env used when a request names none. @default 'main' */
export const DEFAULT_ENV = 'main';

/** Response header of `HEAD`/`PUT /api/models/:id` naming the upload limit, so a client can refuse a big model before sending it. */
export const MAX_MODEL_BYTES_HEADER = 'cnnvis-max-model-bytes';
