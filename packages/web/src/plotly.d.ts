/**
 * The slice of the plotly.js API the UI calls. `plotly.js-dist-min` ships no
 * types and `@types/plotly.js` is large and lags releases, so this declares
 * only what we use, loosely: figures are built in `render/plot-figure.ts`.
 */
declare module 'plotly.js-dist-min' {
  export type PlotData = Record<string, unknown>;
  export type PlotLayout = Record<string, unknown>;
  export type PlotConfig = Record<string, unknown>;

  /** The div plotly draws into, with the figure it holds. */
  export interface PlotlyHTMLElement extends HTMLDivElement {
    data: PlotData[];
    layout: PlotLayout;
  }

  export interface ImageOptions {
    format: 'png' | 'svg' | 'jpeg' | 'webp';
    width?: number;
    height?: number;
    filename?: string;
    scale?: number;
  }

  export interface PlotlyStatic {
    newPlot(el: HTMLElement, data: PlotData[], layout?: PlotLayout, config?: PlotConfig): Promise<PlotlyHTMLElement>;
    react(el: HTMLElement, data: PlotData[], layout?: PlotLayout, config?: PlotConfig): Promise<PlotlyHTMLElement>;
    extendTraces(el: HTMLElement, update: Record<string, unknown[][]>, indices: number[]): Promise<PlotlyHTMLElement>;
    addTraces(el: HTMLElement, traces: PlotData | PlotData[], newIndices?: number | number[]): Promise<PlotlyHTMLElement>;
    relayout(el: HTMLElement, update: PlotLayout): Promise<PlotlyHTMLElement>;
    purge(el: HTMLElement): void;
    /** Render an element, or a detached figure, to a data URL. */
    toImage(el: HTMLElement | { data: PlotData[]; layout: PlotLayout }, opts: ImageOptions): Promise<string>;
    downloadImage(el: HTMLElement, opts: ImageOptions): Promise<string>;
    Plots: { resize(el: HTMLElement): Promise<void> };
  }

  const Plotly: PlotlyStatic;
  export default Plotly;
}
