/**
 * `cnnvis-server` as a library: the factory and the pieces it is built from.
 * @module
 */
export { createServer, type CnnvisServer } from './create-server';
export { createApp, type AppDeps } from './app';
export { resolveServerOptions, SERVER_DEFAULTS, type ServerOptions, type ResolvedServerOptions } from './options';
export { SqliteStore } from './store/sqlite-store';
export type { WindowStore, StoredImage, StoreContent, CreateWindowInput, AppliedUpdate } from './store/window-store';
export { CnnvisError, toCnnvisError } from './errors';
export { VERSION } from './version';
