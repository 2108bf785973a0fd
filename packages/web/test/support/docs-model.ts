/**
 * What the README's graph screenshot shows: a full ResNet-18 (torchvision's
 * architecture, seeded random weights, 3×224×224, opset 13), exported once
 * with Debian's python3-torch into .test-artifacts, and a drawn 224×224
 * picture (a house under a sun on a hill).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

const ROOT = join(__dirname, '..', '..', '..', '..');

/** The path of the ResNet-18, exported on first use (a few seconds, ~45 MB). */
export function resnet18Path(): string {
  const dir = join(ROOT, '.test-artifacts');
  const path = join(dir, 'resnet18-224.onnx');
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const script = [
    'import sys, os, torch',
    `sys.path.insert(0, ${JSON.stringify(join(ROOT, 'packages', 'worker', 'fixtures-src'))})`,
    'from torchvision_nets import resnet18',
    'torch.manual_seed(0)',
    'm = resnet18().eval()',
    'torch.onnx.export(m, torch.randn(1, 3, 224, 224), sys.argv[1] + ".tmp", opset_version=13, input_names=["input"], output_names=["logits"])',
    'os.replace(sys.argv[1] + ".tmp", sys.argv[1])',
  ].join('\n');
  execFileSync('/usr/bin/python3', ['-c', script, path], { stdio: 'inherit', timeout: 120_000 });
  return path;
}

/** A drawn 224×224 picture: sky, sun, a green hill, a red-roofed house with a door and a window. */
export function drawnPicture(size = 224): Buffer {
  const png = new PNG({ width: size, height: size });
  const s = size / 224;
  const set = (x: number, y: number, [r, g, b]: number[]) => {
    const i = (y * size + x) * 4;
    png.data[i] = r ?? 0;
    png.data[i + 1] = g ?? 0;
    png.data[i + 2] = b ?? 0;
    png.data[i + 3] = 255;
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [u, v] = [x / s, y / s];
      let c = [110 + v * 0.5, 170 + v * 0.3, 235]; // sky, lighter towards the horizon
      if ((u - 170) ** 2 + (v - 45) ** 2 < 22 ** 2) c = [255, 214, 64]; // sun
      const hill = 150 + 18 * Math.sin(u / 40);
      if (v > hill) c = [70 + (v - hill) * 0.4, 150 - (v - hill) * 0.3, 60]; // grass
      const inWall = u > 50 && u < 130 && v > 105 && v < 165;
      const inRoof = v >= 65 && v <= 105 && Math.abs(u - 90) < (v - 65) * 1.15;
      if (inWall) c = [236, 226, 200];
      if (inRoof) c = [178, 46, 40];
      if (u > 80 && u < 100 && v > 130 && v < 165) c = [110, 70, 40]; // door
      if (u > 105 && u < 122 && v > 115 && v < 132) c = [150, 200, 240]; // window
      set(x, y, c.map((k) => Math.max(0, Math.min(255, Math.round(k)))));
    }
  }
  return PNG.sync.write(png);
}
