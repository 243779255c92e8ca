/**
 * The compare job (`mode: compare`): the head is results files another step
 * wrote (any supported format), read and validated here; then the pipeline's
 * steps 2 to 6.
 */
import { resolve } from 'node:path';
import type { Log } from '../../common/log.ts';
import { parseResultsLine } from '../../config/results-inputs.ts';
import { loadAnalysisSettings } from '../../files/analysis-settings.ts';
import { loadCombined } from '../../files/load.ts';
import { runMetaOnce } from '../../run/metadata.ts';
import type { Results } from '../../schema/types.ts';
import { pathsBeside, type JobRunner } from '../job.ts';
import type { RunPlan } from '../plan.ts';
import { compareAndPublish, writeHead } from '../steps/pipeline.ts';

/** Step 1: the `results` input's files, each in its detected or forced format, as one document. */
export function readGiven(plan: RunPlan, log: Log): Promise<Results> {
  const inputs = plan.results
    .map((line) => parseResultsLine(line))
    .map((input) => ({ ...input, path: resolve(plan.workDir, input.path) }));
  return loadCombined(inputs, runMetaOnce(plan.build.meta), { warn: (message) => log.warning(message) });
}

export const runCompareJob: JobRunner = async (run, deps) => {
  const settings = await loadAnalysisSettings(run.plan.analysis);
  const paths = pathsBeside(run.plan.resultsPath);
  const head = await readGiven(run.plan, deps.log);
  await writeHead(head, null, paths, deps);
  const produced = { head, sameRunner: null, rust: null, incomplete: null, instructionsSkipped: null };
  await compareAndPublish(run, settings, produced, paths, deps);
};
