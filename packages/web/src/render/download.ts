/**
 * Saving a pane as a file: the browser only downloads through a link click.
 * @module
 */

/** Download `url` (a data: or blob: URL) as `filename`. */
export function downloadUrl(url: string, filename: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * A canvas filled white, for drawing a pane into: a saved file needs a
 * background where the pane is transparent.
 * @example const { canvas, ctx } = whiteCanvas(640, 480);
 */
export function whiteCanvas(width: number, height: number): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('no 2D canvas');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  return { canvas, ctx };
}

/** Download a canvas as a PNG. */
export async function downloadCanvas(canvas: HTMLCanvasElement, filename: string): Promise<void> {
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (blob === null) throw new Error('the browser could not encode the PNG');
  const url = URL.createObjectURL(blob);
  try {
    downloadUrl(url, filename);
  } finally {
    // The click has started the download; the URL is no longer needed after this tick.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

/** A file name from a pane title: safe on every OS, never empty. */
export function toFilename(title: string, ext: string): string {
  const base = title.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 80);
  return `${base || 'pane'}.${ext}`;
}
