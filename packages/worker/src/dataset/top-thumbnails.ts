/**
 * Thumbnails of the inputs in some channel's top-k, kept while a dataset streams through: at
 * most `max`, those holding the most top-k places (a kept one wins a tie: it cannot be remade).
 * @module
 */
import type { InputThumbnail } from '../analyze/analyze-types';
import { inputThumbnail } from '../analyze/input-thumbnail';

/** A top input's thumbnail side, in pixels: small, as a window keeps every one. */
export const TOP_THUMBNAIL_SIDE = 32;
/** Thumbnails kept: a ResNet's top-5 over thousands of inputs would otherwise hold nearly every input. */
export const MAX_TOP_THUMBNAILS = 256;

export interface TopThumbnails {
  /** After a batch (inputs `first`…) was folded into `tops` (each layer's `topIndex`). */
  update(tops: readonly Int32Array[], first: number, items: readonly Float32Array[], itemShape: readonly number[]): void;
  /** The kept thumbnails by input index, lowest first. */
  finish(): Array<{ input: number; thumbnail: InputThumbnail }>;
}

export function createTopThumbnails(max = MAX_TOP_THUMBNAILS): TopThumbnails {
  const kept = new Map<number, InputThumbnail>();
  return {
    update(tops, first, items, itemShape) {
      const places = new Map<number, number>();
      for (const top of tops) for (const i of top) if (i >= 0) places.set(i, (places.get(i) ?? 0) + 1);
      const rank = (i: number) => (places.get(i) ?? 0) * 2 + (kept.has(i) ? 1 : 0);
      const wanted = new Set([...places.keys()].sort((a, b) => rank(b) - rank(a) || a - b).slice(0, max));
      for (const i of kept.keys()) if (!wanted.has(i)) kept.delete(i);
      items.forEach((data, j) => {
        if (!wanted.has(first + j)) return;
        const thumbnail = inputThumbnail({ data, shape: [1, ...itemShape] }, TOP_THUMBNAIL_SIDE);
        if (thumbnail !== undefined) kept.set(first + j, thumbnail);
      });
    },
    finish: () => [...kept].sort(([a], [b]) => a - b).map(([input, thumbnail]) => ({ input, thumbnail })),
  };
}
