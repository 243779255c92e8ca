/**
 * Step 6: the baseline for later runs, with its history rolled and the
 * series carried forward, and the dashboard of that series. Never from a
 * pull request (the plan decides), never from an incomplete merge, never when
 * the old baseline could not be read (its history would be lost).
 */
import type { RunContext } from '../../github/context.ts';
import { baselineFiles, rollBaseline } from '../../github/baseline-layout.ts';
import { uploadBaseline, writeBaselineDir } from '../../github/baseline.ts';
import { publishDashboard } from '../../github/dashboard-artifact.ts';
import { appendRun } from '../../history/series.ts';
import { scratchDir, type JobDeps, type OutputPaths, type Produced } from '../job.ts';
import { OUTPUT } from '../outputs.ts';
import type { RunPlan } from '../plan.ts';
import type { BaselineFetch } from './baseline.ts';

export async function upload(
  plan: RunPlan,
  context: RunContext,
  produced: Produced,
  fetched: BaselineFetch,
  paths: OutputPaths,
  { outputs, log }: Pick<JobDeps, 'outputs' | 'log'>,
): Promise<void> {
  const { artifact, dashboardArtifact, historySize } = plan.baseline;
  if (!plan.baseline.upload || produced.incomplete) return;
  if (fetched.error) {
    log.warning('The baseline was not updated, because the previous one could not be read.');
    return;
  }
  const contents = rollBaseline(fetched.baseline?.contents ?? null, produced.head, historySize);
  const root = await scratchDir(plan, 'upload');
  // The series is carried forward by every upload, so it outlives the artifacts it came from.
  const series = appendRun(fetched.baseline?.series ?? null, produced.head);
  const files = await writeBaselineDir(root, baselineFiles(contents, series));
  const { id } = await uploadBaseline(artifact, files, root);
  log.info(
    `Baseline '${artifact}' uploaded (artifact ${id}) with ${contents.history.length} earlier runs and a series of ${series.runs.length}.`,
  );
  // The dashboard of the new series: an artifact to download, or to publish with GitHub Pages
  // (workflows-examples/bench-pages.yml).
  const dashboard = paths.beside('.dashboard.html');
  const suite = plan.publish.suite ? ` (${plan.publish.suite})` : '';
  const title = `${context.owner}/${context.repo} benchmarks${suite}`;
  const page = await publishDashboard(series, title, dashboard, dashboardArtifact);
  outputs.set(OUTPUT.dashboardPath, dashboard);
  log.info(`Dashboard uploaded as artifact '${dashboardArtifact}' (${page.id}).`);
}
