/**
 * The top bar's job indicator: the newest running analysis in this env
 * (started here or by a script), its stage and a thin progress bar.
 * @module
 */
import type { JobTracker } from '../state/job-tracker';

/** Keep `el` in step with `jobs`. @example renderJobStatus(el, jobs); */
export function renderJobStatus(el: HTMLElement, jobs: JobTracker): void {
  el.innerHTML = '<span class="job-text"></span><span class="job-track"><span class="job-bar"></span></span>';
  const text = el.querySelector('.job-text') as HTMLElement;
  const bar = el.querySelector('.job-bar') as HTMLElement;
  const draw = () => {
    const active = jobs.active();
    const job = active[active.length - 1];
    el.hidden = job === undefined;
    if (job === undefined) return;
    const more = active.length > 1 ? ` (+${active.length - 1})` : '';
    text.textContent = `${job.stage}${more}`;
    bar.style.width = `${Math.round(job.fraction * 100)}%`;
    el.dataset['stage'] = job.stage;
  };
  jobs.subscribe(draw);
  draw();
}
