/**
 * Steps 2 to 6, the same for every job that has a head to report (full,
 * compare, merge, comment): baseline, compare, report, comment, upload; then
 * the first failure kept along the way fails the step, and regressions the
 * gate lets fail do.
 */
import type { AnalysisSettings } from '../../analysis/settings.ts';
import { InputError } from '../../common/errors.ts';
import { writeResults } from '../../files/write.ts';
import { failOnRegressions } from '../../github/regressions.ts';
import { plural } from '../../report/format.ts';
import type { Results } from '../../schema/types.ts';
import type { JobDeps, JobRun, OutputPaths, Produced } from '../job.ts';
import { OUTPUT, type Outputs } from '../outputs.ts';
import { compareHead } from './analysis.ts';
import { loadBaseline } from './baseline.ts';
import { publish } from './comment.ts';
import { report } from './report.ts';
import { upload } from './upload.ts';

/** The end of step 1: the head (and a same-runner base) written beside each other, the path an output. */
export async function writeHead(
  head: Results,
  base: Results | null,
  paths: OutputPaths,
  { outputs, log }: { outputs: Outputs; log: JobDeps['log'] },
): Promise<void> {
  await writeResults(paths.results, head);
  if (base) await writeResults(paths.beside('.base.json'), base);
  outputs.set(OUTPUT.resultsPath, paths.results);
  log.info(`${plural(head.benchmarks.length, 'benchmark')} written to ${paths.results}.`);
}

export async function compareAndPublish(
  { plan, context }: Pick<JobRun, 'plan' | 'context'>,
  settings: AnalysisSettings,
  produced: Produced,
  paths: OutputPaths,
  deps: JobDeps,
): Promise<void> {
  const { octokit, log } = deps;
  const fetched = await loadBaseline(octokit, plan, context, produced, log);
  const compared = await compareHead(plan, settings, produced, fetched, log);
  const reportPath = await report(compared, paths, deps.outputs);
  const publishError = await publish(plan, context, produced.head, compared, deps);
  await upload(plan, context, produced, fetched, paths, deps);

  // The first failure fails the step; the others still deserve an annotation.
  const incomplete = produced.incomplete ? new InputError(`run ${context.runId}`, produced.incomplete) : null;
  const [failure, ...more] = [incomplete, fetched.error, publishError].filter((error) => error !== null);
  for (const other of more) log.error(other.message);
  if (failure) throw failure;
  // The comment job reports; the fork's own run is the check that fails.
  if (plan.job !== 'comment') failOnRegressions(compared.analysis, plan.publish, reportPath, log);
}
