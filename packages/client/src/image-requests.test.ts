import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WindowCreateRequestSchema } from '@cnnvis/protocol';
import { loadImageSource, planImage, planImages } from './image-requests';
import type { WritePlan } from './request-common';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

function created(plan: WritePlan) {
  if (!('create' in plan)) throw new Error('expected a create');
  expect(WindowCreateRequestSchema.safeParse(plan.create).success).toBe(true);
  return plan.create;
}

describe('planImage', () => {
  it('sends raw pixels as binary with the caption on the image and the pane', () => {
    const req = created(planImage({ data: new Float32Array([0, 1, 1, 0]), shape: [2, 2] }, { win: 'i', caption: 'c', title: 't' }, 'main'));
    expect(req).toEqual({
      env: 'main',
      win: 'i',
      content: { kind: 'image', images: [{ encoding: 'raw', shape: [2, 2], data: new Uint8Array([0, 255, 255, 0]), caption: 'c' }] },
      opts: { caption: 'c', title: 't' },
    });
  });

  it('keeps an image its own caption', () => {
    const req = created(planImage({ data: PNG, caption: 'own' }, { caption: 'pane' }, 'main'));
    expect(req.content).toEqual({ kind: 'image', images: [{ encoding: 'png', data: PNG, caption: 'own' }] });
  });
});

describe('planImages', () => {
  it('composes a batch into one grid image with the default layout', () => {
    const req = created(planImages({ data: new Uint8Array(3 * 4), shape: [3, 1, 2, 2] }, { win: 'g', caption: 'maps' }, 'main'));
    expect(req.content).toMatchObject({ kind: 'image', nrow: 8, padding: 2 });
    const images = req.content.kind === 'image' ? req.content.images : [];
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ encoding: 'raw', shape: [1, 6, 14], caption: 'maps' });
    expect(images[0]?.data).toHaveLength(6 * 14);
  });

  it('sends a list of images as several images with nrow and padding', () => {
    const req = created(planImages([PNG, { data: new Uint8Array(4), shape: [2, 2] }], { nrow: 2, padding: 0 }, 'main'));
    expect(req.content).toMatchObject({ kind: 'image', nrow: 2, padding: 0, images: [{ encoding: 'png' }, { encoding: 'raw', shape: [2, 2] }] });
  });

  it('names the bad image of a list, and bad layout options of a batch', () => {
    expect(() => planImages([PNG, new Uint8Array([1])], {}, 'main')).toThrow(/^images\[1\]: is neither PNG nor JPEG/);
    expect(() => planImages({ data: new Uint8Array(2), shape: [2, 1, 1] }, { nrow: 0 }, 'main')).toThrow('nrow: must be a positive integer, got 0');
    expect(() => planImages({ data: new Uint8Array(2), shape: [2, 1, 1] }, { padding: -1 }, 'main')).toThrow(/^padding: /);
  });
});

describe('loadImageSource', () => {
  it('reads a file path into bytes and passes other sources through', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnnvis-client-'));
    try {
      const file = join(dir, 'no-extension');
      writeFileSync(file, PNG);
      const loaded = await loadImageSource(file);
      expect(created(planImage(loaded, {}, 'main')).content).toMatchObject({ images: [{ encoding: 'png' }] });
      expect(await loadImageSource(PNG)).toBe(PNG);
      await expect(loadImageSource(join(dir, 'missing.png'))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('missing.png') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
