/**
 * Entry point of the cnnvis web UI (bundled by vite into `dist/`).
 * @module
 */
import 'gridstack/dist/gridstack.min.css';
import './styles.css';
import { startApp } from './app';

startApp(document);
