import { analyze, type Analysis, type AnalysisInput } from '../../analysis/analyze.ts';
import { confirmationCandidates } from '../../compare/confirm.ts';
import type { Log } from '../../common/log.ts';
import { ProcessError } from '../../common/errors.ts';
import { confirmOnRunner, type ConfirmArgs, type ConfirmMeasurement } from '../../run/confirm.ts';
import type { RustBuild } from '../../run/produce.ts';
import type { BuildSettings } from '../../run/settings.ts';
import { benchmarkKey, TIME_METRIC } from '../../schema/metric.ts';

/**
 * The action's confirmation round (a shell): when the comparison with the
 * baseline flags regressions, or leaves benchmarks undecided near the
 * threshold, those benchmarks alone are measured again on this runner, base
 * and head interleaved, and the analysis is redone with their same-runner
 * verdicts. The rules are in compare/confirm.ts; the measuring in run/confirm.ts.
 */
export interface ConfirmationContext {
  /** The round's budget in minutes, or null when the run plan allows no round (action/plan.ts confirmationWanted). */
  budgetMinutes: number | null;
  build: BuildSettings;
  /** How the head was built (the benchmark step); null when nothing was built here. */
  rust: RustBuild | null;
  /** A fresh directory for the round's worktree and Criterion output. */
  scratch: () => Promise<string>;
}

/**
 * The round, or null when building or running the base failed: the baseline's
 * verdicts then stand, with a warning, rather than losing the whole report.
 */
async function tryConfirm(args: ConfirmArgs, log: Log): Promise<ConfirmMeasurement | null> {
  try {
    return await confirmOnRunner(args, log);
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    log.warning(`Confirmation round skipped, the baseline's verdicts stand: ${error.message.split('\n')[0]}`);
    return null;
  }
}

/** The analysis, with a confirmation round's verdicts when one was wanted and had something to confirm. */
export async function confirmFlagged(
  analysis: Analysis,
  input: AnalysisInput,
  ctx: ConfirmationContext,
  log: Log,
): Promise<Analysis> {
  const comparison = analysis.comparison;
  if (!comparison || !ctx.rust || ctx.budgetMinutes === null) return analysis;
  // Criterion can re-run its own wall-time benchmarks by filter; the Node suite and counts it cannot.
  const measurable = new Set(
    input.head.benchmarks
      .filter((b) => (b.source === 'criterion' || b.source === 'cargo-criterion') && b.metric === TIME_METRIC)
      .map(benchmarkKey),
  );
  const ids = confirmationCandidates(comparison, (key) => measurable.has(key)).map((row) => row.id);
  if (ids.length === 0) return analysis;
  const baseSha = comparison.base.commit;
  if (!baseSha || !/^[0-9a-f]{7,40}$/i.test(baseSha)) {
    log.warning(
      `No confirmation round: the baseline does not name the commit it measured (${baseSha ?? 'none'}), so it cannot be rebuilt here.`,
    );
    return analysis;
  }
  log.info(
    `Confirmation round: ${ids.length} benchmark${ids.length === 1 ? '' : 's'} flagged against the baseline, re-measured on this runner against ${baseSha.slice(0, 7)} within ${ctx.budgetMinutes} minutes.`,
  );
  const measured = await tryConfirm(
    {
      nativeDir: ctx.rust.nativeDir,
      baseSha,
      ids,
      rounds: ctx.build.rounds,
      quick: ctx.build.quick,
      userArgs: ctx.build.cargoBenchArgs,
      env: ctx.rust.env,
      scratch: await ctx.scratch(),
      meta: ctx.rust.meta,
      budgetMs: ctx.budgetMinutes * 60_000,
    },
    log,
  );
  if (measured === null) return analysis;
  const skipped =
    measured.skipped.length > 0
      ? `; ${measured.skipped.length} did not fit the budget and keep the baseline's verdict`
      : '';
  log.info(
    `Confirmation round: ${measured.measured.length} re-measured in ${measured.rounds} interleaved rounds per side, ${measured.seconds.toFixed(0)} s including the base's build${skipped}.`,
  );
  return analyze({
    ...input,
    confirmation: {
      base: measured.base,
      head: measured.head,
      noise: measured.noise,
      baseRuns: measured.baseRuns,
      rounds: measured.rounds,
      skipped: measured.skipped,
      seconds: measured.seconds,
    },
  });
}
