/**
 * `@cnnvis/protocol/plain`: the run-time values that need no zod, so the web UI's bundle carries
 * none (packages/web/test/zod-free.test.ts checks it). Nothing here may import `zod`.
 * @module
 */
export * from './apply-update';
export * from './defaults';
export * from './envelope';
export * from './image-format';
export * from './occlusion-plan';
