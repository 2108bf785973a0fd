/**
 * Protocol defaults that are plain values, without zod, so the browser can
 * import them through `@cnnvis/protocol/plain`.
 * @module
 */

/** The env used when a request names none. @default 'main' */
export const DEFAULT_ENV = 'main';
