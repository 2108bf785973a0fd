/**
 * The "Analyse model…" dialog: pick an .onnx model and an image, and the
 * mean/std the image is normalised with (ImageNet, none, or custom). The
 * choice is remembered and also applies to files dropped on the page.
 * @module
 */
import type { Preprocess } from '@cnnvis/protocol';
import type { DroppedPair } from './drop-zone';
import { sniffImage } from './drop-zone';
import { PRESET_LABELS, resolvePreset, type PresetName } from './preprocess-presets';

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
  const el = document.createElement('label');
  el.className = 'dialog-field';
  const span = document.createElement('span');
  span.textContent = label;
  el.append(span, control);
  return el;
}

function input(type: string, testid: string): HTMLInputElement {
  const el = document.createElement('input');
  el.type = type;
  el.dataset['testid'] = testid;
  return el;
}

/** @example const dialog = createAnalyseDialog(document, openButton, { onSubmit: analyse }); */
export function createAnalyseDialog(doc: Document, opener: HTMLButtonElement, o: AnalyseDialogOptions): AnalyseDialog {
  let saved = load();
  const el = doc.createElement('dialog');
  el.className = 'analyse-dialog';
  el.dataset['testid'] = 'analyse-dialog';
  const form = doc.createElement('form');
  form.method = 'dialog';
  const title = doc.createElement('h3');
  title.textContent = 'Analyse a model';
  const hint = doc.createElement('p');
  hint.textContent = 'cnnvis runs the model on the image and shows every layer’s feature maps. You can also drop both files on the page.';
  const model = input('file', 'analyse-model');
  model.accept = '.onnx';
  const image = input('file', 'analyse-image');
  image.accept = 'image/png,image/jpeg';
  const preset = doc.createElement('select');
  preset.dataset['testid'] = 'analyse-preset';
  preset.append(...(Object.keys(PRESET_LABELS) as PresetName[]).map((p) => new Option(PRESET_LABELS[p], p)));
  const mean = input('text', 'analyse-mean');
  const std = input('text', 'analyse-std');
  const custom = doc.createElement('div');
  custom.className = 'dialog-custom';
  custom.append(field('Mean', mean), field('Std', std));
  const error = doc.createElement('div');
  error.className = 'dialog-error';
  error.setAttribute('role', 'alert');
  const cancel = doc.createElement('button');
  cancel.type = 'button';
  cancel.textContent = 'Cancel';
  const submit = doc.createElement('button');
  submit.type = 'submit';
  submit.className = 'primary';
  submit.textContent = 'Analyse';
  submit.dataset['testid'] = 'analyse-submit';
  const actions = doc.createElement('div');
  actions.className = 'dialog-actions';
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
