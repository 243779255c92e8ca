/**
 * Step 3: the analysis of the head against what step 2 found (pure), then
 * the confirmation round for what the comparison with the baseline flagged.
 */
import { analyze, type Analysis, type AnalysisInput } from '../../analysis/analyze.ts';
import type { AnalysisSettings } from '../../analysis/settings.ts';
import { verdictOutput, type ReportVerdict } from '../../analysis/verdict.ts';
import type { Log } from '../../common/log.ts';
import { runMedians } from '../../compare/index.ts';
import { historyTerms } from '../../history/changes.ts';
import { seriesFromRuns } from '../../history/series.ts';
import { noBaselineNote } from '../../report/baseline-note.ts';
import { confirmFlagged } from '../jobs/confirm.ts';
import { scratchDir, type Produced } from '../job.ts';
import type { Results } from '../../schema/types.ts';
import type { RunPlan } from '../plan.ts';
import type { BaselineFetch } from './baseline.ts';

/** Step 3's output. */
export interface Compared {
  analysis: Analysis;
  verdict: ReportVerdict;
}

/**
 * The fork's measurements under the pairs the base branch declares (its
 * baseline's results), never the fork's own: a fork could otherwise ask the
 * trusted job for any number of speedups over its largest samples. A pair the
 * pull request adds shows once it is merged. Without a baseline, no pairs.
 */
export function withTrustedPairs(head: Results, base: Results | null): Results {
  const { pairs: _fork, ...rest } = head;
  const pairs = base?.pairs ?? [];
  return pairs.length > 0 ? { ...rest, pairs: pairs.map((p) => ({ ...p })) } : rest;
}

/** What the head was compared with, or why nothing was, for the report's first lines. */
function baseNote(plan: RunPlan, produced: Produced, fetched: BaselineFetch): string {
  const { sameRunner } = produced;
  if (sameRunner) {
    return `Same runner: the base ${sameRunner.baseSha.slice(0, 7)} was built and benchmarked on this runner, interleaved with the head in ${plan.build.rounds} rounds per side; the spread between rounds widens the intervals.`;
  }
  if (fetched.error) return `No comparison: the baseline could not be fetched (${fetched.error.message}).`;
  return (
    fetched.baseline?.note ?? noBaselineNote(plan.baseline.branchLabel, plan.baseline.artifact, plan.baseline.upload)
  );
}

/** The analysis input: the settings, both sides, the history's noise and the gate. */
export function analysisInput(
  plan: RunPlan,
  settings: AnalysisSettings,
  produced: Produced,
  fetched: BaselineFetch,
): AnalysisInput {
  const { sameRunner } = produced;
  const { baseline } = fetched;
  const history = baseline?.contents?.history ?? [];
  const base = sameRunner?.base ?? baseline?.contents?.latest ?? null;
  // A fork's data (the comment job) under the base branch's pairs.
  const head = plan.job === 'comment' ? withTrustedPairs(produced.head, base) : produced.head;
  // Spread counted only since each benchmark's last change point on the base branch.
  const spread = (known: NonNullable<typeof base>) =>
    historyTerms(
      baseline?.series ?? seriesFromRuns([known, ...history]),
      known,
      head,
      history.length + 1,
      settings.controls,
    );
  const terms = sameRunner ?? (base && history.length > 0 ? spread(base) : null);
  const incomplete = produced.incomplete ? `**⚠️ ${produced.incomplete}**` : '';
  const runs = runMedians(base ? [base, ...history] : []);
  return {
    ...settings,
    base,
    head,
    note: [incomplete, baseNote(plan, produced, fetched), produced.instructionsSkipped ?? ''].filter(Boolean).join(' '),
    ...(terms ? { noise: terms.noise, baseRuns: terms.baseRuns } : {}),
    series: baseline?.series ?? null,
    gate: {
      source: sameRunner ? 'same-runner' : 'baseline',
      baselineRuns: base ? 1 + history.length : 0,
      runsPerBenchmark: new Map([...runs].map(([id, medians]) => [id, medians.length])),
      failOnRegression: plan.publish.failOnRegression,
      baseBranch: plan.baseline.branchLabel,
    },
  };
}

/** Step 3: analyze, then confirm on this runner what the baseline flagged (when the plan allows a round). */
export async function compareHead(
  plan: RunPlan,
  settings: AnalysisSettings,
  produced: Produced,
  fetched: BaselineFetch,
  log: Log,
): Promise<Compared> {
  // The mutes' expiry is judged by today's date (UTC): the shell's clock, passed in.
  const input = { ...analysisInput(plan, settings, produced, fetched), today: new Date().toISOString().slice(0, 10) };
  const confirmation = {
    budgetMinutes: plan.measure.confirmBudgetMinutes,
    build: plan.build,
    rust: produced.rust,
    command: produced.command ?? null,
    scratch: () => scratchDir(plan, 'confirm'),
  };
  const analysis = await confirmFlagged(analyze(input), input, confirmation, log);
  return { analysis, verdict: verdictOutput(analysis, input.base !== null) };
}
