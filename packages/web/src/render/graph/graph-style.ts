/**
 * The graph's look: a colour per op family, the fonts, and the zoom levels that drop detail.
 * @module
 */
import type { OpFamily } from '../../graph/labels';

export const FAMILY_COLORS: Record<OpFamily, { stripe: string; fill: string; label: string }> = {
  conv: { stripe: '#2563eb', fill: '#eef4ff', label: 'conv' },
  activation: { stripe: '#e11d48', fill: '#fff1f3', label: 'activation' },
  pool: { stripe: '#059669', fill: '#ecfdf5', label: 'pool / resize' },
  norm: { stripe: '#7c3aed', fill: '#f5f3ff', label: 'normalisation' },
  dense: { stripe: '#ea580c', fill: '#fff7ed', label: 'dense' },
  merge: { stripe: '#0891b2', fill: '#ecfeff', label: 'merge' },
  shape: { stripe: '#64748b', fill: '#f8fafc', label: 'shape' },
  io: { stripe: '#334155', fill: '#334155', label: 'input / output' },
  other: { stripe: '#94a3b8', fill: '#f1f5f9', label: 'other' },
};

export const COLORS = {
  text: '#1f2937',
  muted: '#64748b',
  edge: '#a3acb9',
  edgeHot: '#2563eb',
  label: '#7b8594',
  background: '#fbfcfd',
  border: '#d5dbe3',
  accent: '#2563eb',
  match: '#f59e0b',
  alarm: '#dc2626',
  noData: '#eceff3',
  groupFill: ['rgba(37, 99, 235, 0.035)', 'rgba(124, 58, 237, 0.035)', 'rgba(5, 150, 105, 0.035)'],
  groupStroke: ['#c7d5f5', '#d9ccf6', '#bfe3d4'],
} as const;

export const FONTS = {
  title: '600 12px Inter, system-ui, sans-serif',
  subtitle: '11px Inter, system-ui, sans-serif',
  edge: '10px ui-monospace, Menlo, Consolas, monospace',
  box: '600 11px Inter, system-ui, sans-serif',
} as const;

/** Below these zoom levels a detail is not drawn: it would be a smudge anyway. */
export const LOD = {
  text: 0.32,
  edgeLabel: 0.6,
  arrow: 0.25,
  rounded: 0.15,
} as const;
