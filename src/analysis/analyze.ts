import { evaluateClaims, type ClaimResult, type ClaimsFile } from '../claims/index.ts';
import { applyConfirmation, type ConfirmationOutcome } from '../compare/confirm.ts';
import { compare, computePairs } from '../compare/index.ts';
import { gateRegressions, type Gate, type GateInput, type TrustedEvidence } from '../compare/gate.ts';
import { countDecides as countDecidedIds } from '../compare/count-pairing.ts';
import { isCounted } from '../compare/exact.ts';
import type { Comparison, MuteRule, PairResult, ThresholdRule } from '../compare/types.ts';
import type { SeriesFile } from '../history/series.ts';
import { appendCharts, trendCharts } from '../report/charts.ts';
import { gateNotice } from '../report/gate-notice.ts';
import {
  DEFAULT_MAX_LENGTH,
  renderMarkdown,
  renderRunReport,
  toJsonReport,
  toRunJsonReport,
  type JsonReport,
} from '../report/index.ts';
import { benchmarkKey } from '../schema/metric.ts';
import type { Results } from '../schema/types.ts';

/**
 * What the CLI and the action both do once the files are read: compare (when
 * there is a base), compute pairs, check claims, render. Pure.
 */
export interface AnalysisInput {
  head: Results;
  base: Results | null;
  /** Extra run-to-run noise per benchmark (log-scale sd), e.g. from history. */
  noise?: ReadonlyMap<string, number>;
  /** Medians of earlier base runs per benchmark: a head inside their range is not a change. */
  baseRuns?: ReadonlyMap<string, readonly number[]>;
  threshold: number;
  /** Default threshold for instruction counts (fraction); default 1%. */
  instructionsThreshold?: number;
  thresholds?: readonly ThresholdRule[];
  /** Globs of control benchmarks, which measure the runner's drift (compare/controls.ts). */
  controls?: readonly string[];
  /** The thresholds file's mutes; those whose `until` is before `today` are expired, and the report says so. */
  mutes?: readonly MuteRule[];
  /** Today, YYYY-MM-DD (UTC), for the mutes' expiry: the shell's clock. */
  today?: string;
  seed?: number;
  claims?: ClaimsFile | null;
  title?: string;
  marker?: string;
  /** Where the base came from, or why there is none. */
  note?: string;
  /** The base branch's series: benchmarks that moved get a trend chart. */
  series?: SeriesFile | null;
  /** Which regressions may fail the build (the action); without it every regression does (the CLI). */
  gate?: Omit<GateInput, 'rows'> & { baseBranch: string };
  /** A confirmation round's measurements: their same-runner verdicts replace the baseline's. */
  confirmation?: ConfirmationInput;
}

/** What a confirmation round measured on this runner (run/confirm.ts), or why it did not run. */
export type ConfirmationInput = ConfirmationOutcome;

export interface Analysis {
  comparison: Comparison | null;
  pairs: PairResult[];
  claims: ClaimResult[];
  markdown: string;
  json: JsonReport;
  regressions: number;
  improvements: number;
  /** Null without a comparison or a gate input. */
  gate: Gate | null;
  /**
   * Wall-time ids whose instruction count decides them (compare/count-pairing.ts
   * countDecides): their wall-time regressions are shown, never the run's.
   */
  countDecides: ReadonlySet<string>;
}

/** Mutes in force today, and those past their `until`. Without a date every mute holds. */
export function splitMutes(
  mutes: readonly MuteRule[],
  today: string | undefined,
): { active: MuteRule[]; expired: MuteRule[] } {
  const expired = mutes.filter((m) => today !== undefined && m.until !== null && m.until < today);
  return { active: mutes.filter((m) => !expired.includes(m)), expired };
}

export function analyze(input: AnalysisInput): Analysis {
  const mutes = splitMutes(input.mutes ?? [], input.today);
  const measured = input.base
    ? compare(input.base, input.head, {
        threshold: input.threshold,
        ...(input.instructionsThreshold !== undefined ? { instructionsThreshold: input.instructionsThreshold } : {}),
        thresholds: input.thresholds ?? [],
        seed: input.seed ?? 1,
        ...(input.noise ? { noise: input.noise } : {}),
        ...(input.baseRuns ? { baseRuns: input.baseRuns } : {}),
        ...(input.controls?.length ? { controls: input.controls } : {}),
        ...(mutes.active.length ? { mutes: mutes.active } : {}),
      })
    : null;
  const comparison = measured && input.confirmation ? applyConfirmation(measured, input.confirmation) : measured;
  const pairs = comparison?.pairs ?? computePairs(input.head, { seed: input.seed ?? 1 });
  const claims = input.claims ? evaluateClaims(input.claims, input.head, pairs) : [];
  const common = {
    claims,
    ...(input.title ? { title: input.title } : {}),
    ...(input.marker ? { marker: input.marker } : {}),
  };
  // A regression the confirmation round measured again on this runner needs no baseline history to decide.
  const trusted = new Map<string, TrustedEvidence>(input.gate?.trusted ?? []);
  for (const row of comparison?.rows ?? [])
    if (row.confirmation?.status === 'confirmed') trusted.set(benchmarkKey(row), 'confirmed');
  const countDecides = comparison ? countDecidedIds(comparison.rows) : new Set<string>();
  const gate =
    comparison && input.gate ? gateRegressions({ ...input.gate, trusted, countDecides, rows: comparison.rows }) : null;
  const notice = gate && input.gate ? gateNotice(gate, input.gate.baseBranch) : null;
  // Wall-time regressions where a count decides instead: shown, not the run's regressions (with or without a gate).
  const overruledRows = (comparison?.rows ?? []).filter(
    (row) => row.verdict === 'regression' && !isCounted(row.metric) && countDecides.has(row.id),
  );
  const overruled = overruledRows.length;
  const held = {
    ...(notice ? { notice } : {}),
    ...(gate ? { heldRegressions: gate.held.length } : {}),
    countDecides,
  };
  const markdown = comparison
    ? appendCharts(
        renderMarkdown(comparison, {
          ...common,
          ...held,
          ...(input.note ? { baselineNote: input.note } : {}),
          ...(mutes.expired.length ? { expiredMutes: mutes.expired } : {}),
        }),
        trendCharts(comparison.rows, input.series ?? null),
        DEFAULT_MAX_LENGTH,
      )
    : renderRunReport(input.head, { ...common, pairs, ...(input.note ? { note: input.note } : {}) });
  const json = comparison ? toJsonReport(comparison, claims) : toRunJsonReport(input.head, pairs, claims);
  return {
    comparison,
    pairs,
    claims,
    markdown,
    json,
    // Wall-time regressions a count overrules are shown, not counted as the run's regressions.
    regressions: (comparison?.summary.counts.regression ?? 0) - overruled,
    improvements: comparison?.summary.counts.improvement ?? 0,
    gate,
    countDecides,
  };
}

/**
 * Wall-time ids whose instruction count decides them (the confirmation round
 * need not re-measure these): compare/count-pairing.ts countDecides, the one
 * definition, under the name action/jobs/confirm.ts imports.
 */
export const countedWallTime = countDecidedIds;
