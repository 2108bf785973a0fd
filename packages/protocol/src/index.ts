/**
 * `@cnnvis/protocol`: the only source of cnnvis wire shapes.
 * @module
 */
export * from './errors';
export * from './envelope';
export * from './defaults';
export * from './validation';
export * from './ids';
export * from './options';
export * from './content';
export * from './update-ops';
export * from './apply-update';
export * from './window';
export * from './requests';
export * from './events';
export * from './analysis';
export * from './attribution';
export * from './occlusion-plan';
export * from './dataset';
export * from './dataset-layers';
export * from './runs';
export * from './filters';
export * from './panes';
export * from './ui-events';
export * from './image-format';
export * from './wasm-encoder';
