/**
 * Entry point of the web UI; `?bench=layout` and `?bench=scroll` start the benchmarks.
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
