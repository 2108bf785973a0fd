/**
 * Entry point of the cnnvis web UI (bundled by vite into `dist/`).
 * `?bench=layout` opens the layout benchmark page instead (see bench/layout-bench.ts);
 * `?bench=scroll` adds the first-scroll benchmark to the app (bench/scroll-bench.ts).
 * @module
 */
import 'gridstack/dist/gridstack.min.css';
import './styles.css';
import './graph.css';
import { startApp } from './app';
import { startLayoutBench } from './bench/layout-bench';
import { installScrollBench } from './bench/scroll-bench';

const params = new URLSearchParams(location.search);
if (params.get('bench') === 'layout') void startLayoutBench(document, params);
else startApp(document);
if (params.get('bench') === 'scroll') installScrollBench();
