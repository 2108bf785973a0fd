/**
 * The mean/std a dropped image is normalised with before the model sees it:
 * ImageNet's (what torchvision models expect), none (pixels as 0…1), or the
 * user's own numbers.
 * @module
 */
import type { Preprocess } from '@cnnvis/protocol';

export type PresetName = 'imagenet' | 'none' | 'custom';

export interface MeanStd {
  mean: number[];
  std: number[];
}

/** The fixed presets; `custom` takes its numbers from the user. */
export const PRESETS: Readonly<Record<Exclude<PresetName, 'custom'>, MeanStd>> = {
  imagenet: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  none: { mean: [0], std: [1] },
};

export const PRESET_LABELS: Readonly<Record<PresetName, string>> = {
  imagenet: 'ImageNet mean/std',
  none: 'None (pixels 0…1)',
  custom: 'Custom…',
};

/**
 * Read `0.5, 0.5, 0.5` into 1 to 4 numbers; an error message names what is wrong.
 * @example parseNumbers('0.5 0.25', 'mean') // [0.5, 0.25]
 */
export function parseNumbers(text: string, what: string): number[] | string {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  const values = parts.map(Number);
  if (values.length < 1 || values.length > 4) return `${what}: give 1 to 4 numbers (one per channel)`;
  if (values.some((v) => !Number.isFinite(v))) return `${what}: “${text.trim()}” is not a list of numbers`;
  return values;
}

/**
 * The request's `preprocess` for a preset, or an error message for bad custom numbers.
 * @example resolvePreset('imagenet') // { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }
 */
export function resolvePreset(name: PresetName, custom?: { mean: string; std: string }): Preprocess | string {
  if (name !== 'custom') return { ...PRESETS[name] };
  const mean = parseNumbers(custom?.mean ?? '', 'mean');
  if (typeof mean === 'string') return mean;
  const std = parseNumbers(custom?.std ?? '', 'std');
  if (typeof std === 'string') return std;
  if (std.some((v) => v <= 0)) return 'std: every value must be above 0';
  return { mean, std };
}
