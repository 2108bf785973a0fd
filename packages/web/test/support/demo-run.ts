/**
 * A small CNN training run's worth of panes, pushed through the real SDK:
 * what the screenshot in docs/ shows.
 */
import type { CnnVis } from '@cnnvis/client';
import { confusionMatrix, featureMaps, histogramValues, lossCurve, syntheticInput } from './demo-data';

/** Push the demo panes to `viz`'s env; resolves with their window ids in creation order. */
export async function pushDemoRun(viz: CnnVis): Promise<string[]> {
  const steps = Array.from({ length: 120 }, (_, i) => i);
  await viz.line({ x: steps, y: [lossCurve(steps, 2.3, 0.02, 1), lossCurve(steps, 2.3, 0.015, 2, 0.25)] }, {
    win: 'loss', title: 'Loss', legend: ['train', 'val'], xlabel: 'step', ylabel: 'cross-entropy',
  });
  await viz.line({ x: steps, y: [steps.map((s) => 0.1 + 0.88 * (1 - Math.exp(-s / 30))), steps.map((s) => 0.1 + 0.8 * (1 - Math.exp(-s / 35)))] }, {
    win: 'acc', title: 'Accuracy', legend: ['train', 'val'], xlabel: 'step', yrange: [0, 1],
  });
  const classes = ['plane', 'car', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
  await viz.heatmap({ z: confusionMatrix(10), x: classes, y: classes }, { win: 'confusion', title: 'Confusion matrix', colormap: 'Viridis' });
  await viz.images({ data: featureMaps(16, 28), shape: [16, 1, 28, 28] }, { win: 'conv1', title: 'conv1 · feature maps', nrow: 8, padding: 2 });
  await viz.image({ data: syntheticInput(96), shape: [3, 96, 96] }, { win: 'input', title: 'Input', caption: 'sample 17 · label: ring', height: 240 });
  await viz.text(
    '<h3>Run <code>resnet18-cifar10</code></h3><p>Epoch <b>12</b> of 30 · lr <code>0.05</code> · batch 128</p>' +
      '<table><tr><th>split</th><th>loss</th><th>acc</th></tr><tr><td>train</td><td>0.412</td><td>86.1%</td></tr>' +
      '<tr><td>val</td><td>0.538</td><td>82.4%</td></tr></table><p><i>checkpoint saved to</i> <code>runs/r18/e12.pt</code></p>',
    { win: 'log', title: 'Run log', width: 350, height: 240 },
  );
  await viz.histogram({ values: histogramValues(4000) }, { win: 'weights', title: 'conv1.weight', numbins: 60 });
  await viz.line({ x: steps, y: steps.map((s) => 0.05 * 0.5 * (1 + Math.cos((Math.PI * s) / 119))) }, {
    win: 'lr', title: 'Learning rate', xlabel: 'step', ylabel: 'lr',
  });
  await viz.bar({ y: [0.91, 0.95, 0.78, 0.64, 0.83, 0.72, 0.89, 0.9, 0.94, 0.92], x: classes }, { win: 'per-class', title: 'Per-class accuracy' });
  return ['loss', 'acc', 'confusion', 'conv1', 'input', 'log', 'weights', 'lr', 'per-class'];
}
