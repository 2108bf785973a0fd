/**
 * A worker child for pool tests: the real job handler, except that a job
 * whose modelId is CRASH_MODEL_ID kills its own process mid-job, the way the
 * kernel's OOM killer or a native crash ends a worker.
 */
import { analyzeModel } from '../../src/analyze/analyze-model';
import { runChild } from '../../src/pool/child-loop';

export const CRASH_MODEL_ID = 'c'.repeat(64);

runChild(
  async (job, progress) => {
    if (job.modelId === CRASH_MODEL_ID) {
      progress({ stage: 'load', fraction: 0 });
      process.stderr.write('about to die\n');
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 50);
      return new Promise(() => undefined);
    }
    return analyzeModel(job, progress);
  },
  async () => ['cpu'],
);
