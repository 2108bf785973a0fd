/** Entry point of a worker child process (forked by the pool). @module */
import * as ort from 'onnxruntime-node';
import { analyzeModel } from '../analyze/analyze-model';
import { runChild } from './child-loop';
import { probeProviders } from './probe-providers';

// ORT logs a failed CUDA load (expected under 'auto' on CPU machines) as an error line;
// every failure that matters also comes back as an exception with the same text.
ort.env.logLevel = 'fatal';
runChild(analyzeModel, probeProviders);
