import { analyze, countedWallTime, type Analysis, type AnalysisInput } from '../../analysis/analyze.ts';
import { baselineUnusable, roundCandidates } from '../../compare/confirm.ts';
import type { Log } from '../../common/log.ts';
import { ProcessError } from '../../common/errors.ts';
import { confirmCommand, type CommandBuild } from '../../run/command-rounds.ts';
import { confirmOnRunner, type ConfirmCandidate, type ConfirmMeasurement } from '../../run/confirm.ts';
import type { RustBuild } from '../../run/produce.ts';
import type { BuildSettings } from '../../run/settings.ts';
import { benchmarkKey, TIME_METRIC } from '../../schema/metric.ts';

/**
 * The action's confirmation round (a shell): every benchmark the comparison
 * with the baseline could not clear is measured again on this runner, base and
 * head interleaved pair by pair until the sequential rule decides it or the
 * budget is spent, and the analysis is redone with those verdicts; a round
 * that cannot run is reported as skipped, with its reason. The rules are in
 * compare/confirm.ts and compare/sequential.ts; the measuring in run/confirm.ts
 * (Criterion, by filter) and run/command-rounds.ts (the `run` command, whole, on
 * the base's worktree and the head).
 */
export interface ConfirmationContext {
  /** The round's budget in minutes, or null when the run plan allows no round (action/plan.ts confirmationWanted). */
  budgetMinutes: number | null;
  build: BuildSettings;
  /** How the head was built (the benchmark step); null when nothing was built here. */
  rust: RustBuild | null;
  /** How the head's `run` command ran; null when there is none. */
  command?: CommandBuild | null;
  /** A fresh directory for the round's worktree and Criterion output. */
  scratch: () => Promise<string>;
}

/** Seconds since `started`, for a skipped round's cost. */
const since = (started: number): number => (Date.now() - started) / 1000;

/** The analysis, with a confirmation round's verdicts when one was wanted and had something to confirm. */
export async function confirmFlagged(
  analysis: Analysis,
  input: AnalysisInput,
  ctx: ConfirmationContext,
  log: Log,
): Promise<Analysis> {
  const comparison = analysis.comparison;
  if (!comparison || (!ctx.rust && !ctx.command) || ctx.budgetMinutes === null) return analysis;
  // Criterion re-runs its wall-time benchmarks by filter, the `run` command its own whole; not the Node suite, counts.
  const timed = input.head.benchmarks.filter((b) => b.metric === TIME_METRIC);
  const criterion = new Set(
    ctx.rust ? timed.filter((b) => b.source === 'criterion' || b.source === 'cargo-criterion').map(benchmarkKey) : [],
  );
  const commanded = new Set(timed.map(benchmarkKey).filter((key) => ctx.command?.keys.has(key) && !criterion.has(key)));
  const measurable = new Set([...criterion, ...commanded]);
  // A wall-time row whose instruction count decides is not re-measured: the count overrules whatever the round finds.
  const { rows, leftToCounts } = roundCandidates(
    comparison,
    (key) => measurable.has(key),
    countedWallTime(comparison.rows),
  );
  const counts =
    leftToCounts > 0
      ? `${leftToCounts} wall-time benchmark${leftToCounts === 1 ? '' : 's'} the baseline could not clear left to their instruction counts, which decide`
      : '';
  if (rows.length === 0) {
    if (counts) log.info(`Confirmation round not needed: ${counts}.`);
    return analysis;
  }
  const candidates = rows.map((row) => ({
    key: benchmarkKey(row),
    id: row.id,
    threshold: row.threshold,
    direction: row.direction,
  }));
  const keys = candidates.map((c) => c.key);
  const skipped = (reason: string, seconds: number): Analysis => {
    log.warning(`Confirmation round skipped, the baseline's verdicts stand: ${reason}`);
    return analyze({
      ...input,
      confirmation: {
        candidates: keys,
        pairs: new Map(),
        state: 'skipped',
        reason,
        seconds,
        buildSeconds: 0,
        leftToCounts,
      },
    });
  };
  const baseSha = comparison.base.commit;
  if (!baseSha || !/^[0-9a-f]{7,40}$/i.test(baseSha))
    return skipped(
      `the baseline does not name the commit it measured (${baseSha ?? 'none'}), so it cannot be rebuilt here`,
      0,
    );
  const unusable = baselineUnusable(comparison) ? ' (the baseline decided nothing: largest uncertainty first)' : '';
  log.info(
    `Confirmation round: ${candidates.length} benchmark${candidates.length === 1 ? '' : 's'} the baseline could not clear${unusable}, re-measured on this runner against ${baseSha.slice(0, 7)} within ${ctx.budgetMinutes} minutes${counts ? `; ${counts}` : ''}.`,
  );
  const started = Date.now();
  let measured: ConfirmMeasurement;
  try {
    const ofKind = (kind: Set<string>) => candidates.filter((c) => kind.has(c.key));
    const budgetMs = ctx.budgetMinutes * 60_000;
    const knownIds = timed.filter((b) => criterion.has(benchmarkKey(b))).map((b) => b.id);
    measured = await measureRound(
      ctx,
      baseSha,
      budgetMs,
      { candidates: ofKind(criterion), knownIds },
      ofKind(commanded),
      log,
    );
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    return skipped(error.message.split('\n')[0] ?? 'building or running the base failed', since(started));
  }
  const spent = [...measured.pairs.values()].reduce((sum, list) => sum + list.length, 0);
  log.info(
    `Confirmation round: ${spent} round pairs in ${measured.seconds.toFixed(0)} s, ${measured.buildSeconds.toFixed(0)} s of it building${measured.reason ? `; ${measured.reason}` : ''}.`,
  );
  return analyze({
    ...input,
    confirmation: {
      candidates: keys,
      pairs: measured.pairs,
      state: measured.state,
      ...(measured.reason ? { reason: measured.reason } : {}),
      lost: measured.lost,
      seconds: measured.seconds,
      buildSeconds: measured.buildSeconds,
      leftToCounts,
    },
  });
}

/** The round's pairs: Criterion's candidates by filter, then the `run` command's with what is left of the budget. */
async function measureRound(
  ctx: ConfirmationContext,
  baseSha: string,
  budgetMs: number,
  criterion: { candidates: readonly ConfirmCandidate[]; knownIds: readonly string[] },
  commanded: readonly ConfirmCandidate[],
  log: Log,
): Promise<ConfirmMeasurement> {
  const started = Date.now();
  const parts: ConfirmMeasurement[] = [];
  if (ctx.rust && criterion.candidates.length > 0) {
    const { nativeDir, env, meta, targetDir } = ctx.rust;
    const args = { nativeDir, env, meta, targetDir, baseSha, userArgs: ctx.build.cargoBenchArgs };
    const round = { ...args, ...criterion, budgetMs, scratch: await ctx.scratch() };
    parts.push(await confirmOnRunner(round, log));
  }
  if (ctx.command && commanded.length > 0) {
    const left = budgetMs - (Date.now() - started);
    const args = { build: ctx.command, baseSha, scratch: await ctx.scratch() };
    parts.push(await confirmCommand({ ...args, candidates: commanded, budgetMs: left }, log));
  }
  const reasons = parts.flatMap((p) => (p.reason ? [p.reason] : []));
  return {
    pairs: new Map(parts.flatMap((p) => [...p.pairs])),
    lost: new Map(parts.flatMap((p) => [...p.lost])),
    state: parts.some((p) => p.state === 'partial') ? 'partial' : 'complete',
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    seconds: parts.reduce((sum, p) => sum + p.seconds, 0),
    buildSeconds: parts.reduce((sum, p) => sum + p.buildSeconds, 0),
  };
}
