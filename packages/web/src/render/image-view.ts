/**
 * An image pane: one image or a grid of `nrow` columns with `padding` px
 * gaps, per-image captions, and the window's caption underneath. Cells are
 * sized to fit the pane; small images stay crisp (pixelated) when scaled up.
 * @module
 */
import type { ImageContent, Window } from '@cnnvis/protocol';
import { downloadCanvas } from './download';
import { fitImages } from './image-fit';
import type { PaneView, ViewHooks } from './pane-view';

const CAPTION_PX = 18;
/** Space the view keeps around the grid, in px (matches `.image-view` padding in CSS). */
const INSET_PX = 8;

/** `toUrl` puts the server's image paths under the UI's base path. */
export function createImageView(body: HTMLElement, hooks: ViewHooks, toUrl: (path: string) => string): PaneView {
  const root = document.createElement('div');
  root.className = 'image-view';
  body.append(root);
  let content: ImageContent | undefined;
  let imgs: HTMLImageElement[] = [];
  let grid: HTMLElement | undefined;
  let captionEl: HTMLElement | undefined;

  function layout(): void {
    if (content === undefined || grid === undefined) return;
    const { images, nrow, padding } = content;
    const cellWidth = Math.max(1, ...images.map((i) => i.width));
    const cellHeight = Math.max(1, ...images.map((i) => i.height));
    const fit = fitImages({
      width: body.clientWidth - 2 * INSET_PX,
      height: body.clientHeight - 2 * INSET_PX,
      cellWidth,
      cellHeight,
      count: images.length,
      nrow,
      padding,
      rowCaption: images.length > 1 && images.some((i) => i.caption) ? CAPTION_PX : 0,
      gridCaption: captionEl ? CAPTION_PX + 4 : 0,
    });
    grid.style.gridTemplateColumns = `repeat(${fit.columns}, max-content)`;
    grid.style.gap = `${padding}px`;
    imgs.forEach((img, i) => {
      const ref = images[i];
      if (ref === undefined) return;
      img.style.width = `${Math.floor(ref.width * fit.scale)}px`;
      img.style.height = `${Math.floor(ref.height * fit.scale)}px`;
    });
    // Upscaled pixels should look like pixels, not blur: this is how CNN inputs are read.
    root.classList.toggle('pixelated', fit.scale >= 2);
  }

  function render(win: Window): void {
    if (win.content.kind !== 'image') return;
    content = win.content;
    // One image: its caption and the pane's say the same thing; show it once, under the image.
    const single = content.images.length === 1;
    const caption = win.opts.caption ?? (single ? content.images[0]?.caption : undefined);
    hooks.ready(false);
    grid = document.createElement('div');
    grid.className = 'image-grid';
    imgs = content.images.map((ref, i) => {
      const cell = document.createElement('figure');
      const img = document.createElement('img');
      img.alt = ref.caption ?? `image ${i}`;
      img.decoding = 'async';
      img.src = toUrl(ref.url);
      cell.append(img);
      if (ref.caption && !single) {
        const cap = document.createElement('figcaption');
        cap.textContent = ref.caption;
        cell.append(cap);
      }
      grid?.append(cell);
      return img;
    });
    captionEl = undefined;
    if (caption) {
      captionEl = document.createElement('p');
      captionEl.className = 'image-caption';
      captionEl.textContent = caption;
    }
    root.replaceChildren(...[grid, captionEl].filter((e): e is HTMLElement => e !== undefined));
    layout();
    const mine = imgs;
    void Promise.all(mine.map((img) => img.decode().catch(() => undefined))).then(() => {
      // A newer render replaced these images; its own promise reports readiness.
      if (mine !== imgs) return;
      hooks.ready(mine.every((img) => img.complete && img.naturalWidth > 0));
    });
  }

  return {
    render,
    resize: layout,
    async download(filename) {
      if (content === undefined) return;
      const { nrow, padding, images } = content;
      const columns = Math.max(1, Math.min(nrow, images.length));
      const rows = Math.ceil(images.length / columns);
      const w = Math.max(1, ...images.map((i) => i.width));
      const h = Math.max(1, ...images.map((i) => i.height));
      const canvas = document.createElement('canvas');
      // Like torchvision's make_grid: padding around and between the cells, at native size.
      const pad = images.length > 1 ? padding : 0;
      canvas.width = columns * w + (columns + 1) * pad;
      canvas.height = rows * h + (rows + 1) * pad;
      const ctx = canvas.getContext('2d');
      if (ctx === null) throw new Error('no 2D canvas');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      imgs.forEach((img, i) => {
        const x = pad + (i % columns) * (w + pad);
        const y = pad + Math.floor(i / columns) * (h + pad);
        if (img.naturalWidth > 0) ctx.drawImage(img, x, y);
      });
      await downloadCanvas(canvas, filename);
    },
    dispose() {
      root.remove();
    },
  };
}
