import { medianOrNull } from '../common/sample.ts';
import { benchmarkKey } from '../schema/metric.ts';
import type { Direction } from '../schema/types.ts';
import { summarize } from './summary.ts';
import { worsening } from './verdict.ts';
import {
  maxPairs,
  minPairs,
  PROJECTION_LIMIT,
  SEQUENTIAL_DESIGN,
  sequentialState,
  type SequentialDesign,
  type SequentialState,
} from './sequential.ts';
import type {
  Comparison,
  ComparisonRow,
  Confirmation,
  ConfirmationRound,
  ConfirmationRoundState,
  Verdict,
} from './types.ts';

/**
 * The confirmation round: every benchmark that a comparison with the baseline
 * (measured earlier, on another runner) could not clear is measured again
 * here, base and head interleaved on this runner, pair by pair, until the
 * sequential rule (compare/sequential.ts) decides it or the budget is spent.
 * Pure: which benchmarks, in what order, and the comparison once measured.
 */

/**
 * Whether the baseline comparison left a row open: a regression (which the
 * round must confirm before it fails the build) or inconclusive in either
 * direction (the interval reaches past the threshold, whatever the estimate:
 * a real slowdown can look faster in one noisy run). Improvements and
 * unchanged rows are cleared already.
 */
export function needsConfirmation(row: ComparisonRow): boolean {
  return row.change !== null && (row.verdict === 'regression' || row.verdict === 'inconclusive');
}

/** True when the baseline decided nothing: every compared row is inconclusive. */
export function baselineUnusable(comparison: Comparison): boolean {
  const compared = comparison.rows.filter((row) => row.change !== null && row.verdict !== 'control');
  return compared.length > 0 && compared.every((row) => row.verdict === 'inconclusive');
}

/**
 * log(w) of a row's interval: its width (uncertainty) and how far the estimate sits from the threshold in its units.
 */
function logInterval(row: ComparisonRow): { width: number; nearness: number } {
  const w = Math.log(worsening(row.change ?? 1, row.direction));
  if (!row.ci) return { width: Infinity, nearness: 0 };
  const width = Math.abs(Math.log(row.ci.upper) - Math.log(row.ci.lower));
  const tau = Math.log1p(row.threshold);
  return { width, nearness: width > 0 ? Math.abs(w - tau) / (width / 2) : Infinity };
}

/**
 * The rows to confirm, in the order the budget is spent on them before any
 * pair is measured. Normally regressions first (they alone can fail the
 * build), then the rows nearest a decision: the estimate farthest from the
 * threshold in units of its interval's half-width. When the baseline is
 * unusable (every row inconclusive) nearness means little: the largest
 * uncertainty first, as the rows the baseline says least about. `measurable`
 * takes a benchmark key (id, metric).
 */
export function confirmationCandidates(
  comparison: Comparison,
  measurable: (key: string) => boolean = () => true,
): ComparisonRow[] {
  const unusable = baselineUnusable(comparison);
  const rank = (row: ComparisonRow): number => (row.verdict === 'regression' ? 0 : 1);
  return comparison.rows
    .filter((row) => needsConfirmation(row) && measurable(benchmarkKey(row)))
    .sort((a, b) => {
      const [ia, ib] = [logInterval(a), logInterval(b)];
      if (unusable) return ib.width - ia.width || (a.id < b.id ? -1 : 1);
      return rank(a) - rank(b) || ib.nearness - ia.nearness || (a.id < b.id ? -1 : 1);
    });
}

/**
 * The candidates of a round (confirmationCandidates), but for the wall-time
 * rows whose instruction count decides (`countDecides`, ids: the analysis's
 * countedWallTime = compare/count-pairing.ts countDecides): a count overrules wall time, so re-measuring them would
 * spend the budget on a verdict that cannot change. `leftToCounts` says how many.
 */
export function roundCandidates(
  comparison: Comparison,
  measurable: (key: string) => boolean,
  countDecides: ReadonlySet<string>,
): { rows: ComparisonRow[]; leftToCounts: number } {
  const open = confirmationCandidates(comparison, measurable);
  const rows = open.filter((row) => !countDecides.has(row.id));
  return { rows, leftToCounts: open.length - rows.length };
}

/** One round pair's medians of one benchmark: its base run and its head run, back to back on this runner. */
export interface PairMedians {
  base: number;
  head: number;
}

/** What the sequential rule says of a benchmark after these pairs. */
export function confirmationState(
  row: { threshold: number; direction: Direction },
  pairs: readonly PairMedians[],
  design: SequentialDesign = SEQUENTIAL_DESIGN,
): SequentialState {
  const logs = pairs.filter((p) => p.base > 0 && p.head > 0).map((p) => Math.log(p.head / p.base));
  return sequentialState(logs, row.threshold, row.direction, design);
}

export interface ConfirmationOutcome {
  /** The candidates' keys, in the order of confirmationCandidates. */
  candidates: readonly string[];
  /** Per candidate key, its measured pairs in order. */
  pairs: ReadonlyMap<string, readonly PairMedians[]>;
  state: ConfirmationRoundState;
  reason?: string;
  /** Candidates a run did not produce, by key: what happened (run/confirm.ts notProduced). */
  lost?: ReadonlyMap<string, string>;
  /** Wall-clock seconds, the base's build included; and the build alone. */
  seconds: number;
  buildSeconds: number;
  /** Open wall-time rows left to their instruction counts (roundCandidates). */
  leftToCounts?: number;
  design?: SequentialDesign;
}

/** The verdict a sequential interval supports, by the one rule of docs/statistics.md. */
function verdictOf(state: SequentialState, threshold: number, direction: Direction): Verdict {
  if (state.outcome === 'confirmed') return 'regression';
  if (state.outcome === 'undecided' || !state.ci) return 'inconclusive';
  // Cleared: below the threshold; an improvement when wholly beyond the band's other edge, unchanged when inside it.
  const down = 1 / (1 + threshold);
  const [a, b] = [worsening(state.ci.lower, direction), worsening(state.ci.upper, direction)];
  const [lower, upper] = [Math.min(a, b), Math.max(a, b)];
  if (upper < down) return 'improvement';
  return lower >= down ? 'unchanged' : 'inconclusive';
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

/** What would decide an undecided benchmark, in words for the report. */
export function decideBy(state: SequentialState, design: SequentialDesign, budgetOut: boolean): string {
  if (state.pairsToDecide === null)
    return `its change is too near the threshold for its spread: not even ${PROJECTION_LIMIT} pairs would decide it; instruction counts (gungraun) can`;
  if (state.pairsToDecide <= maxPairs(design))
    return `about ${state.pairsToDecide} pairs at this spread${budgetOut ? ': a larger confirm-budget' : ''}`;
  return `about ${state.pairsToDecide} pairs at this spread, more than one round spends (${maxPairs(design)}): instruction counts (gungraun) or a quieter runner`;
}

/**
 * The comparison with each candidate judged by the round: confirmed rows are
 * regressions, cleared ones unchanged (or improvements, or inconclusive about
 * an improvement), each keeping what the baseline said in `confirmation`.
 * Undecided candidates, and those without a look, keep the baseline's verdict:
 * the round only decides, it never takes a failure away by failing to.
 */
export function applyConfirmation(comparison: Comparison, outcome: ConfirmationOutcome): Comparison {
  const design = outcome.design ?? SEQUENTIAL_DESIGN;
  const candidates = new Set(outcome.candidates);
  const budgetOut = outcome.state === 'partial';
  const tally = { confirmed: 0, cleared: 0, undecided: 0, 'not-measured': 0 };
  let pairsSpent = 0;
  const rows = comparison.rows.map((row): ComparisonRow => {
    const key = benchmarkKey(row);
    if (!candidates.has(key)) return row;
    const pairs = outcome.pairs.get(key) ?? [];
    pairsSpent += pairs.length;
    const state = confirmationState(row, pairs, design);
    const baseline = { baselineVerdict: row.verdict, baselineChange: row.change, baselineCi: row.ci };
    if (!state.ci) {
      tally['not-measured']++;
      // Said as it happened: a benchmark no run produced would not be measured with more budget either.
      const lost = outcome.lost?.get(key);
      const why =
        outcome.state === 'skipped'
          ? `the round was skipped (${outcome.reason ?? 'see the log'})`
          : lost
            ? `it ${lost}`
            : `${pairs.length} of the ${minPairs(design)} pairs a first look needs: a larger confirm-budget`;
      const confirmation: Confirmation = {
        status: 'not-measured',
        ...baseline,
        change: null,
        ci: null,
        pairs: pairs.length,
        decideBy: why,
      };
      return { ...row, confirmation };
    }
    const status = state.outcome;
    tally[status]++;
    if (status === 'undecided') {
      // Undecided takes nothing away: the baseline's verdict and numbers stand (the gate decides whether they
      // can fail the build); this runner's interval, the pairs and what would decide it are in `confirmation`.
      const confirmation: Confirmation = {
        status,
        ...baseline,
        change: state.change,
        ci: state.ci,
        pairs: state.pairs,
        decideBy: decideBy(state, design, budgetOut),
      };
      return { ...row, confirmation };
    }
    const confirmation: Confirmation = {
      status,
      ...baseline,
      change: state.change,
      ci: state.ci,
      pairs: state.pairs,
    };
    const note =
      `measured again on this runner in ${state.pairs} interleaved round pairs (sequential interval, error rate ${design.alpha} over all looks); against the baseline: ${row.verdict} ${row.change !== null ? pct(row.change - 1) : ''}`.trimEnd();
    // Base and head shared this runner: no drift correction applies to these numbers.
    const { drift: _baselineDrift, ...measured } = row;
    return {
      ...measured,
      verdict: verdictOf(state, row.threshold, row.direction),
      change: state.change,
      ci: state.ci,
      pValue: null,
      qValue: null,
      baseMedian: medianOrNull(pairs.map((p) => p.base)),
      headMedian: medianOrNull(pairs.map((p) => p.head)),
      baseSamples: pairs.length,
      headSamples: pairs.length,
      extraNoise: state.pairSd ?? 0,
      note,
      confirmation,
    };
  });
  const round: ConfirmationRound = {
    state: outcome.state,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    candidates: candidates.size,
    leftToCounts: outcome.leftToCounts ?? 0,
    remeasured: tally.confirmed + tally.cleared + tally.undecided,
    confirmed: tally.confirmed,
    cleared: tally.cleared,
    undecided: tally.undecided,
    notMeasured: tally['not-measured'],
    pairs: pairsSpent,
    seconds: outcome.seconds,
    buildSeconds: outcome.buildSeconds,
    alpha: design.alpha,
    looksAt: [...design.looksAt],
    baselineUnusable: baselineUnusable(comparison),
  };
  return { ...comparison, rows, summary: summarize(rows), confirmationRound: round };
}
