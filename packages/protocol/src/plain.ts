/**
 * `@cnnvis/protocol/plain`: the protocol's run-time values that need no zod
 * (applying update ops, the envelope guard, defaults, image sniffing, an occlusion's passes). The
 * web UI imports its values from here and only types from the main entry,
 * so its bundle carries no zod; packages/web/test/zod-free.test.ts checks it.
 * Nothing exported here may import `zod`, directly or through another module.
 * @module
 */
export * from './apply-update';
export * from './defaults';
export * from './envelope';
export * from './image-format';
export * from './occlusion-plan';
