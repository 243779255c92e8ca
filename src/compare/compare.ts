/**
 * Base and head compared benchmark by benchmark: the options (options.ts), each pair's estimate, the
 * verdicts (verdict.ts), mutes, and the summary (summary.ts). Pure.
 */
import { benchmarkKey } from '../schema/metric.ts';
import type { Benchmark, Results } from '../schema/types.ts';
import { controlInputs, controlMatcher, judgedMedian } from './controls.ts';
import { globToRegExp } from './glob.ts';
import { computePairs } from './pairs.ts';
import { exactRatio, isCounted } from './exact.ts';
import { ratioEstimate } from './ratio.ts';
import { medianOfSorted, sortedCopy } from '../common/sample.ts';
import { benjaminiHochberg } from './stats/fdr.ts';
import { deriveSeed } from './stats/rng.ts';
import { resolveOptions, thresholdMatcher } from './options.ts';
import { summarize } from './summary.ts';
import type { CompareOptions, Comparison, ComparisonRow, MuteRule } from './types.ts';
import { decideVerdict } from './verdict.ts';

export { DEFAULTS } from './types.ts';
export { MIN_SAMPLES } from './ratio.ts';

/** Benchmarks by (id, metric); validated results hold each pair once. */
function indexByKey(results: Results): Map<string, Benchmark> {
  const map = new Map<string, Benchmark>();
  for (const b of results.benchmarks) if (!map.has(benchmarkKey(b))) map.set(benchmarkKey(b), b);
  return map;
}

function oneSidedRow(b: Benchmark, verdict: 'new' | 'missing', threshold: number): ComparisonRow {
  const samples = b.samples?.length ?? null;
  const median = b.samples && b.samples.length > 0 ? medianOfSorted(sortedCopy(b.samples)) : b.estimates.median;
  return {
    id: b.id,
    metric: b.metric,
    verdict,
    change: null,
    ci: null,
    pValue: null,
    qValue: null,
    threshold,
    direction: b.direction,
    unit: b.unit,
    baseMedian: verdict === 'missing' ? median : null,
    headMedian: verdict === 'new' ? median : null,
    baseSamples: verdict === 'missing' ? samples : null,
    headSamples: verdict === 'new' ? samples : null,
    method: 'none',
    weak: false,
    extraNoise: 0,
  };
}

/**
 * Compares every benchmark of `base` and `head`: ratio of medians with a
 * bootstrap interval, a Mann-Whitney p-value, Benjamini-Hochberg q-values
 * across all tested rows, and a verdict per row. Pure and deterministic for a
 * given seed. Throws UsageError for impossible options.
 */
export function compare(base: Results, head: Results, options: CompareOptions = {}): Comparison {
  const resolved = resolveOptions(options);
  const thresholdOf = thresholdMatcher(resolved);
  const isControl = controlMatcher(options.controls ?? []);
  // With controls, the head is judged as if measured on the base's runner.
  const controlled = options.controls?.length
    ? controlInputs(base, head, isControl, {
        ...(options.noise ? { noise: options.noise } : {}),
        level: resolved.level,
      })
    : null;
  const noise = controlled?.noise ?? options.noise;
  const baseByKey = indexByKey(base);
  const headByKey = indexByKey(controlled?.head ?? head);
  const rows: ComparisonRow[] = [];
  // The very same measurements on both sides (a run compared with itself): no change, whatever the interval's width.
  const identical = new Set<string>();

  for (const [key, h] of headByKey) {
    const id = h.id;
    const threshold = thresholdOf(id, h.metric);
    const b = baseByKey.get(key);
    if (!b) {
      rows.push(oneSidedRow(h, 'new', threshold));
      continue;
    }
    if (sameMeasurements(b, h)) identical.add(key);
    const extraNoise = noise?.get(key) ?? 0;
    const drift = controlled?.corrected.get(key)?.factor;
    const est = isCounted(h.metric)
      ? exactRatio(h, b, extraNoise, resolved.level)
      : ratioEstimate(h, b, {
          level: resolved.level,
          resamples: resolved.resamples,
          seed: deriveSeed(resolved.seed, key),
          extraLogSd: extraNoise,
        });
    const notes: string[] = [];
    if (est.note) notes.push(est.note);
    let comparable = est.ratio !== null;
    if (h.unit !== b.unit) {
      notes.push(`units differ (base ${b.unit}, head ${h.unit})`);
      comparable = false;
    }
    if (h.direction !== b.direction)
      notes.push(`direction changed from ${b.direction} to ${h.direction}; judged as ${h.direction}`);
    rows.push({
      id,
      metric: h.metric,
      verdict: 'inconclusive', // decided below, once q-values exist
      change: comparable ? est.ratio : null,
      ci: comparable ? est.ci : null,
      pValue: comparable ? est.pValue : null,
      qValue: null,
      threshold,
      direction: h.direction,
      unit: h.unit,
      baseMedian: est.denMedian,
      headMedian: drift === undefined ? est.numMedian : judgedMedian(est.numMedian, h.direction, 1 / drift),
      baseSamples: b.samples?.length ?? null,
      headSamples: h.samples?.length ?? null,
      method: est.method,
      weak: est.method === 'spread',
      extraNoise,
      ...(drift === undefined ? {} : { drift }),
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    });
  }
  for (const [key, b] of baseByKey) {
    if (!headByKey.has(key)) rows.push(oneSidedRow(b, 'missing', thresholdOf(b.id, b.metric)));
  }

  // Counts are not tests of noisy samples: they stay out of the false-discovery
  // correction, which would otherwise shift the wall-time rows' q-values.
  const qValues = benjaminiHochberg(rows.map((r) => (r.method === 'exact' ? null : r.pValue)));
  rows.forEach((row, i) => {
    row.qValue = row.method === 'exact' ? row.pValue : (qValues[i] ?? null);
    if (row.verdict === 'new' || row.verdict === 'missing') return;
    row.verdict =
      row.change === null
        ? 'inconclusive'
        : decideVerdict({
            change: row.change,
            ci: row.ci,
            qValue: row.qValue,
            threshold: row.threshold,
            direction: row.direction,
            alpha: resolved.alpha,
          });
    if (row.verdict === 'inconclusive' && row.change === 1 && identical.has(benchmarkKey(row))) {
      row.verdict = 'unchanged';
      const note = 'the same measurements on both sides';
      row.note = row.note ? `${row.note}; ${note}` : note;
    }
    if (controlled && controlled.controls.has(benchmarkKey(row))) row.verdict = 'control';
    const runs = options.baseRuns?.get(benchmarkKey(row));
    if (
      (row.verdict === 'regression' || row.verdict === 'improvement') &&
      runs &&
      runs.length > 0 &&
      row.headMedian !== null
    ) {
      if (withinRuns(judgedMedian(row.headMedian, row.direction, row.drift ?? 1), runs)) {
        row.verdict = 'inconclusive';
        const note = `inside the range of ${runs.length} base-branch runs of unchanged code`;
        row.note = row.note ? `${row.note}; ${note}` : note;
      }
    }
  });

  applyMutes(rows, options.mutes ?? []);
  return {
    base: base.run,
    head: head.run,
    options: resolved,
    rows,
    summary: summarize(rows),
    pairs: computePairs(head, { seed: resolved.seed, level: resolved.level, resamples: resolved.resamples }),
    drift: controlled?.drift ?? null,
  };
}

/**
 * Mutes in force: every matching row but a control keeps its numbers, gets
 * the verdict `muted` and remembers what it would have been. First match wins.
 */
export function applyMutes(rows: ComparisonRow[], mutes: readonly MuteRule[]): void {
  if (mutes.length === 0) return;
  const compiled = mutes.map((rule) => ({ rule, re: globToRegExp(rule.pattern) }));
  for (const row of rows) {
    if (row.verdict === 'control' || row.verdict === 'muted') continue;
    const match = compiled.find(
      ({ rule, re }) => (rule.metric === undefined || rule.metric === row.metric) && re.test(row.id),
    );
    if (!match) continue;
    row.muted = { verdict: row.verdict, reason: match.rule.reason, until: match.rule.until };
    row.verdict = 'muted';
  }
}

/** Whether two benchmarks hold the very same measurements: equal samples, or equal estimates without samples. */
function sameMeasurements(a: Benchmark, b: Benchmark): boolean {
  if (a.unit !== b.unit || a.direction !== b.direction) return false;
  if (a.samples && b.samples)
    return a.samples.length === b.samples.length && a.samples.every((value, i) => value === b.samples?.[i]);
  if (a.samples || b.samples) return false;
  return (
    a.estimates.median === b.estimates.median &&
    a.estimates.stdDev === b.estimates.stdDev &&
    a.estimates.ci?.lower === b.estimates.ci?.lower &&
    a.estimates.ci?.upper === b.estimates.ci?.upper
  );
}

/** Whether a median lies within [min, max] of earlier runs' medians. */
function withinRuns(median: number, runs: readonly number[]): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (const run of runs) {
    if (run < min) min = run;
    if (run > max) max = run;
  }
  return median >= min && median <= max;
}
