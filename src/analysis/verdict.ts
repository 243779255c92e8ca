import type { Analysis } from './analyze.ts';

/** The `verdict` output's values (action.yml lists them). */
export type ReportVerdict =
  'pass' | 'regression' | 'regression-not-failing' | 'possible-regression' | 'nothing-in-common' | 'no-baseline';

/**
 * The action's `verdict` output: what the step did, not what the numbers
 * looked like. 'regression' only when regressions fail the step;
 * 'possible-regression' when every regression is a wall-time one held back for
 * want of baseline runs (the cold start); 'regression-not-failing' when they
 * are reported but fail-on-regression is off (the default on pushes);
 * 'nothing-in-common' when no benchmark of the head is in the baseline
 * (nothing was compared: never a pass). Pure.
 */
export function verdictOutput(
  analysis: Pick<Analysis, 'regressions' | 'gate'> & { comparison?: Analysis['comparison'] },
  compared: boolean,
): ReportVerdict {
  if (!compared) return 'no-baseline';
  if (analysis.comparison?.summary.inCommon === 0) return 'nothing-in-common';
  if (analysis.regressions === 0) return 'pass';
  const gate = analysis.gate;
  if (gate === null || gate.failing.length > 0) return 'regression';
  return gate.held.length === analysis.regressions ? 'possible-regression' : 'regression-not-failing';
}
