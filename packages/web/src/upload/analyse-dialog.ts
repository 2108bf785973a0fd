/**
 * The "Analyse model…" dialog: a model, an image, and the normalisation (ImageNet's, none, or
 * the user's), remembered for dropped files too.
 * @module
 */
import type { Preprocess } from '@cnnvis/protocol';
import type { DroppedPair } from './drop-zone';
import { sniffImage } from './drop-zone';
import { button, element } from '../dom';

export type PresetName = 'imagenet' | 'none' | 'custom';

export interface MeanStd {
  mean: number[];
  std: number[];
}

/** The fixed presets; `custom` takes its numbers from the user. */
const PRESETS: Readonly<Record<Exclude<PresetName, 'custom'>, MeanStd>> = {
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

const STORAGE_KEY = 'cnnvis:preprocess';

export interface AnalyseDialogOptions {
  /** The user confirmed: analyse `pair` with `preprocess`. */
  onSubmit(pair: DroppedPair, preprocess: Preprocess): void;
}

export interface AnalyseDialog {
  readonly el: HTMLDialogElement;
  /** The preprocessing last chosen, for dropped files. */
  preprocess(): Preprocess;
}

interface Saved {
  preset: PresetName;
  mean: string;
  std: string;
}

function load(): Saved {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Saved> | null;
    if (saved && saved.preset && saved.preset in PRESET_LABELS) return { preset: saved.preset, mean: saved.mean ?? '', std: saved.std ?? '' };
  } catch {
    // Storage off or garbled: start from the defaults.
  }
  return { preset: 'none', mean: '0.5, 0.5, 0.5', std: '0.5, 0.5, 0.5' };
}

function field(label: string, control: HTMLElement): HTMLLabelElement {
  const el = element('label', 'dialog-field');
  el.append(element('span', '', { text: label }), control);
  return el;
}

function input(type: string, testid: string): HTMLInputElement {
  const el = element('input', '', { testid });
  el.type = type;
  return el;
}

/** @example const dialog = createAnalyseDialog(document, openButton, { onSubmit: analyse }); */
export function createAnalyseDialog(doc: Document, opener: HTMLButtonElement, o: AnalyseDialogOptions): AnalyseDialog {
  let saved = load();
  const el = element('dialog', 'analyse-dialog', { testid: 'analyse-dialog' });
  const form = element('form', '');
  form.method = 'dialog';
  const title = element('h3', '', { text: 'Analyse a model' });
  const hint = element('p', '', { text: 'cnnvis runs the model on the image and shows every layer’s feature maps. You can also drop both files on the page.' });
  const model = input('file', 'analyse-model');
  model.accept = '.onnx';
  const image = input('file', 'analyse-image');
  image.accept = 'image/png,image/jpeg';
  const preset = element('select', '', { testid: 'analyse-preset' });
  preset.append(...(Object.keys(PRESET_LABELS) as PresetName[]).map((p) => new Option(PRESET_LABELS[p], p)));
  const mean = input('text', 'analyse-mean');
  const std = input('text', 'analyse-std');
  const custom = element('div', 'dialog-custom');
  custom.append(field('Mean', mean), field('Std', std));
  const error = element('div', 'dialog-error');
  error.setAttribute('role', 'alert');
  const cancel = button('', 'Cancel');
  const submit = element('button', 'primary', { text: 'Analyse', testid: 'analyse-submit' });
  submit.type = 'submit';
  const actions = element('div', 'dialog-actions');
  actions.append(cancel, submit);
  form.append(title, hint, field('Model (.onnx)', model), field('Image (PNG or JPEG)', image), field('Preprocessing', preset), custom, error, actions);
  el.append(form);
  doc.body.append(el);

  const showCustom = () => (custom.hidden = preset.value !== 'custom');
  preset.addEventListener('change', showCustom);
  opener.addEventListener('click', () => {
    preset.value = saved.preset;
    mean.value = saved.mean;
    std.value = saved.std;
    error.textContent = '';
    showCustom();
    el.showModal();
  });
  cancel.addEventListener('click', () => el.close());
  form.addEventListener('submit', (e) => {
    e.preventDefault(); // close only once the choice is valid
    void (async () => {
      const choice = { preset: preset.value as PresetName, mean: mean.value, std: std.value };
      const pre = resolvePreset(choice.preset, choice);
      const [m, i] = [model.files?.[0], image.files?.[0]];
      const encoding = i ? await sniffImage(i) : null;
      if (typeof pre === 'string' || !m || !i || !encoding) {
        error.textContent = typeof pre === 'string' ? pre : !m ? 'Pick an .onnx model' : !i ? 'Pick an image' : `${i.name}: not a PNG or JPEG image`;
        return;
      }
      saved = choice;
      try {
        localStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
      } catch {
        // Private mode: the choice lasts for this page only.
      }
      el.close();
      model.value = image.value = '';
      o.onSubmit({ model: m, image: i, encoding }, pre);
    })();
  });
  return {
    el,
    preprocess() {
      const pre = resolvePreset(saved.preset, saved);
      return typeof pre === 'string' ? {} : pre;
    },
  };
}
