/**
 * A tiny levelled logger on stderr. `debug` namespaces (`cnnvis:server:*`)
 * still work for tracing; this is for what an operator should see.
 * @module
 */
import type { LogLevel } from './options';

export interface Logger {
  info(msg: string): void;
  error(msg: string, err?: unknown): void;
}

export function createLogger(level: LogLevel): Logger {
  const quiet = level === 'silent';
  return {
    info(msg) {
      if (!quiet) process.stderr.write(`[cnnvis] ${msg}\n`);
    },
    error(msg, err) {
      if (quiet) return;
      const detail = err instanceof Error ? `: ${err.stack ?? err.message}` : '';
      process.stderr.write(`[cnnvis] error: ${msg}${detail}\n`);
    },
  };
}
