/**
 * The Web Worker that runs the layered layout's geometry (LAYOUT.md): one
 * request at a time, in arrival order.
 * @module
 */
import { layeredGeometry, type LayeredGeometry, type LayeredInput } from './layered-layout';

export interface LayeredRequest {
  id: number;
  input: LayeredInput;
}

export type LayeredReply = { id: number; geometry: LayeredGeometry } | { id: number; error: string };

// This file runs as a worker: its global is the worker's scope, not a window.
const scope = self as unknown as { onmessage: ((e: MessageEvent<LayeredRequest>) => void) | null; postMessage(reply: LayeredReply): void };

scope.onmessage = ({ data: { id, input } }) => {
  try {
    scope.postMessage({ id, geometry: layeredGeometry(input) });
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
