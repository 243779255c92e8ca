/**
 * How regressions reach the runner: annotations, and the step's failure for
 * those the gate (compare/gate.ts) lets fail the build. Shell: @actions/core.
 */
import * as core from '@actions/core';
import type { Analysis } from '../analysis/analyze.ts';
import { gateMissing } from '../compare/gate.ts';
import { MissingBenchmarksFailure, RegressionFailure } from '../common/errors.ts';
import type { Log } from '../common/log.ts';
import { benchmarkKey, benchmarkLabel } from '../schema/metric.ts';

/** GitHub shows at most 10 error annotations per step; keep one for the summary. */
const MAX_ANNOTATIONS = 9;

/** Regressions that fail the build are errors; the others (cold start, fail-on-regression off) warnings. */
export function annotate(analysis: Analysis): void {
  const rows = analysis.comparison?.rows.filter((row) => row.verdict === 'regression') ?? [];
  const failing = new Set((analysis.gate?.failing ?? rows).map(benchmarkKey));
  const held = new Set((analysis.gate?.held ?? []).map(benchmarkKey));
  const overruled = new Set((analysis.gate?.overruled ?? []).map(benchmarkKey));
  for (const row of rows.slice(0, MAX_ANNOTATIONS)) {
    const pct =
      row.change === null
        ? ''
        : ` (${row.change >= 1 ? '+' : ''}${((row.change - 1) * 100).toFixed(1)}% ${row.direction === 'lower' ? 'time' : 'throughput'})`;
    const text = `${benchmarkLabel(row)} regressed${pct}, beyond its ${(row.threshold * 100).toFixed(0)}% threshold.`;
    if (failing.has(benchmarkKey(row))) core.error(text, { title: 'Benchmark regression' });
    else {
      const why = overruled.has(benchmarkKey(row))
        ? 'its instruction count decides, and it did not regress beyond its threshold'
        : held.has(benchmarkKey(row))
          ? 'the baseline has too few runs to tell it from runner noise'
          : 'fail-on-regression is off';
      core.warning(`${text} It does not fail the build: ${why}.`, { title: 'Possible benchmark regression' });
    }
  }
  if (rows.length > MAX_ANNOTATIONS)
    core.warning(`${rows.length - MAX_ANNOTATIONS} more regressions: see the job summary.`, {
      title: 'Benchmark regression',
    });
}

/** Fails the step on the regressions the gate lets fail it (compare/gate.ts), and says why the others do not. */
export function failOnRegressions(
  analysis: Analysis,
  /** The run plan's decision (action/plan.ts): whether regressions fail, and the event whose default that is. */
  policy: { failOnRegression: boolean; failOnRegressionDefaultFor: string | null; failOnMissing: boolean | null },
  reportPath: string,
  log: Log,
): void {
  const gate = analysis.gate;
  if (gate && gate.held.length > 0) {
    const why = gate.coldStart
      ? `cold start, the baseline has ${gate.coldStart.runs} of ${gate.coldStart.needed} runs`
      : 'too few baseline runs of those benchmarks';
    log.warning(
      `${gate.held.length} possible regression${gate.held.length === 1 ? '' : 's'} not failing the build: ${why}.`,
    );
  }
  if (analysis.regressions > 0 && !policy.failOnRegression) {
    const why =
      policy.failOnRegressionDefaultFor === null ? '' : ` (the default on ${policy.failOnRegressionDefaultFor} events)`;
    log.info(`fail-on-regression is off${why}: regressions are reported, the step passes.`);
  }
  const failing = gate?.failing.length ?? 0;
  if (failing === 0) return failOnMissing(analysis, policy, reportPath, log);
  const worst = analysis.comparison?.summary.worstRegression;
  throw new RegressionFailure(
    `${failing} benchmark${failing === 1 ? '' : 's'} regressed beyond the threshold${worst ? ` (worst: ${worst.id}, ${worst.factor.toFixed(2)}x slower)` : ''}; see the report at ${reportPath}.`,
  );
}

/** Benchmarks of the baseline missing from the head: always a warning; a failure as gateMissing decides. */
function failOnMissing(
  analysis: Analysis,
  policy: { failOnRegression: boolean; failOnRegressionDefaultFor: string | null; failOnMissing: boolean | null },
  reportPath: string,
  log: Log,
): void {
  const summary = analysis.comparison?.summary;
  if (!summary) return;
  const missing = gateMissing(summary, policy.failOnMissing, policy.failOnRegression);
  if (!missing) return;
  const what = missing.nothingInCommon
    ? `No benchmark of this run is in the baseline (${missing.missing} there, ${summary.counts.new} here): nothing was compared. Was the suite renamed, or do the results point at the wrong files?`
    : `${missing.missing} benchmark${missing.missing === 1 ? '' : 's'} of the baseline ${missing.missing === 1 ? 'is' : 'are'} missing from this run.`;
  if (missing.fails) throw new MissingBenchmarksFailure(`${what} See the report at ${reportPath}.`);
  core.warning(`${what}${missing.nothingInCommon ? '' : ' Set fail-on-missing: true to fail on it.'}`, {
    title: missing.nothingInCommon ? 'Nothing compared' : 'Benchmarks missing',
  });
  if (missing.nothingInCommon && policy.failOnMissing === null)
    log.info(
      `Nothing compared does not fail the step: fail-on-regression is off${policy.failOnRegressionDefaultFor === null ? '' : ` (the default on ${policy.failOnRegressionDefaultFor} events)`}.`,
    );
}
