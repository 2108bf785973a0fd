/**
 * Inline SVG icons (offline, so no icon font); strokes use `currentColor`.
 * @module
 */

const svg = (body: string) =>
  `<svg viewBox="0 0 16 16" width="14" height="14" fill="none" stroke="currentColor" ` +
  `stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${body}</svg>`;

export const ICONS = {
  close: svg('<path d="M4 4l8 8M12 4l-8 8"/>'),
  download: svg('<path d="M8 2.5v8M4.5 7.5L8 11l3.5-3.5M3 13.5h10"/>'),
  plot: svg('<path d="M2 13.5h12M3.5 11l3-4 3 2 4-5.5"/>'),
  image: svg('<rect x="2" y="3" width="12" height="10" rx="1.5"/><path d="M2.5 11.5l3.5-3.5 3 3 2-2 2.5 2.5"/>'),
  text: svg('<path d="M3 4h10M3 7h10M3 10h7M3 13h5"/>'),
  graph: svg('<rect x="5.5" y="1.5" width="5" height="3" rx="1"/><rect x="1.5" y="11.5" width="5" height="3" rx="1"/><rect x="9.5" y="11.5" width="5" height="3" rx="1"/><path d="M8 4.5v3M4 11.5V9.5h8v2"/>'),
  properties: svg('<path d="M2.5 4h4M9.5 4h4M2.5 8h7M12.5 8h1M2.5 12h2M7.5 12h6"/><circle cx="8" cy="4" r="1.5"/><circle cx="11" cy="8" r="1.5"/><circle cx="6" cy="12" r="1.5"/>'),
  network: svg('<circle cx="3.5" cy="4" r="1.8"/><circle cx="12.5" cy="4.5" r="1.8"/><circle cx="8" cy="12.5" r="1.8"/><path d="M5.2 4.2l5.5.2M4.5 5.6l2.6 5.3M11.6 6.1l-2.7 4.9"/>'),
} as const;

/** The cnnvis mark: a 3×3 kernel sliding over a feature map. */
export const LOGO =
  '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">' +
  '<rect x="1.5" y="1.5" width="21" height="21" rx="5" fill="#2563eb"/>' +
  '<g fill="#fff"><rect x="5" y="5" width="4" height="4" rx="1"/><rect x="10" y="5" width="4" height="4" rx="1" opacity=".75"/>' +
  '<rect x="15" y="5" width="4" height="4" rx="1" opacity=".5"/><rect x="5" y="10" width="4" height="4" rx="1" opacity=".75"/>' +
  '<rect x="10" y="10" width="4" height="4" rx="1"/><rect x="15" y="10" width="4" height="4" rx="1" opacity=".75"/>' +
  '<rect x="5" y="15" width="4" height="4" rx="1" opacity=".5"/><rect x="10" y="15" width="4" height="4" rx="1" opacity=".75"/>' +
  '<rect x="15" y="15" width="4" height="4" rx="1"/></g></svg>';
