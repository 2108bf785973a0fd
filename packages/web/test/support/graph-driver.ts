/**
 * Driving the layer-graph explorer in the browser: nodes are drawn on a
 * canvas, so clicks go to the node's box as the view reports it, and
 * "non-blank" is read from the canvas pixels themselves.
 */
import type { Page } from 'playwright-core';

/** Where a graph node is on the page, from the view's own transform. */
export async function nodeBox(page: Page, scope: string, id: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.$eval(
    `${scope} [data-testid="graph-view"]`,
    (el, nodeId) => {
      const r = (el as unknown as { graphDebug: { clientRect(id: string): DOMRect | null } }).graphDebug.clientRect(nodeId);
      return r && { x: r.x, y: r.y, width: r.width, height: r.height };
    },
    id,
  );
  if (box === null) throw new Error(`graph node ${id} is not laid out`);
  return box;
}

/** Click the middle of a graph node. */
export async function clickNode(page: Page, scope: string, id: string): Promise<void> {
  const b = await nodeBox(page, scope, id);
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
}

export interface PixelSummary {
  width: number;
  height: number;
  /** Distinct opaque colours (capped at 1000). */
  colours: number;
  /** Opaque pixels with r = g = b. */
  greyFraction: number;
  /** A cheap fingerprint of the pixels, to tell a redraw from none. */
  hash: number;
}

/** Summarise the pixels of the first canvas matching `selector`. */
export function canvasPixels(page: Page, selector: string): Promise<PixelSummary> {
  return page.$eval(selector, (el) => {
    const c = el as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    if (ctx === null) throw new Error('no 2D context');
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set<number>();
    let opaque = 0;
    let grey = 0;
    let hash = 0;
    for (let i = 0; i < d.length; i += 4) {
      const [r = 0, g = 0, b = 0, a = 0] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
      hash = (hash * 31 + r * 7 + g * 3 + b) | 0;
      if (a < 255) continue;
      opaque++;
      if (r === g && g === b) grey++;
      if (colours.size < 1000) colours.add((r << 16) | (g << 8) | b);
    }
    return { width: c.width, height: c.height, colours: colours.size, greyFraction: opaque ? grey / opaque : 0, hash };
  });
}
