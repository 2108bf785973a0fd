/**
 * Protocol defaults as plain values, for `@cnnvis/protocol/plain`.
 * @module
 */

/** The env used when a request names none. @default 'main' */
export const DEFAULT_ENV = 'main';

/** Header of `HEAD`/`PUT /api/models/:id` naming the upload limit, so a client can check first. */
export const MAX_MODEL_BYTES_HEADER = 'cnnvis-max-model-bytes';
