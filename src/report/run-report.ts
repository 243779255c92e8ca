import type { ClaimResult } from '../claims/types.ts';
import type { PairResult } from '../compare/types.ts';
import { medianInterval, quantileOfSorted } from '../common/sample.ts';
import { benchmarkLabel } from '../schema/metric.ts';
import type { Benchmark, Check, Results } from '../schema/types.ts';
import {
  capLength,
  claimsPhrase,
  describeRunner,
  escapeName,
  escapeText,
  formatTimestamp,
  formatInterval,
  formatValue,
  plural,
  shortSha,
} from './format.ts';
import { DEFAULT_MAX_LENGTH } from './markdown.ts';
import { claimsSection, fitTable, fittedTable, pairLine, tableLines } from './tables.ts';

export interface RunReportOptions {
  pairs: readonly PairResult[];
  claims?: readonly ClaimResult[];
  title?: string;
  marker?: string;
  /** Said under the summary line, e.g. why nothing was compared. */
  note?: string;
  maxLength?: number;
}

function percentile(benchmark: Benchmark, p: number): number | null {
  if (!benchmark.samples || benchmark.samples.length === 0) return null;
  return quantileOfSorted(
    [...benchmark.samples].sort((a, b) => a - b),
    p,
  );
}

function throughputCell(benchmark: Benchmark): string {
  const t = benchmark.throughput;
  if (!t || benchmark.unit !== 'ns' || benchmark.estimates.median === 0) return '–';
  const perSecond = (t.perIteration * 1e9) / benchmark.estimates.median;
  const unit = t.kind === 'bytes' ? 'B/s' : 'elem/s';
  return perSecond >= 1e6
    ? `${(perSecond / 1e6).toFixed(2)} M${unit}`
    : perSecond >= 1e3
      ? `${(perSecond / 1e3).toFixed(1)} K${unit}`
      : `${perSecond.toFixed(0)} ${unit}`;
}

function benchmarkCells(benchmark: Benchmark): string[] {
  const value = (x: number | null) => formatValue(x, benchmark.unit);
  return [
    escapeName(benchmarkLabel(benchmark)),
    value(benchmark.estimates.median),
    value(percentile(benchmark, 0.95)),
    value(percentile(benchmark, 0.99)),
    // The median's own interval: the source's (Criterion: the slope's or the mean's) often excludes the median beside
    // it.
    formatInterval(benchmark.samples ? medianInterval([...benchmark.samples].sort((a, b) => a - b)) : null, (x) =>
      value(x),
    ),
    throughputCell(benchmark),
    String(benchmark.samples?.length ?? '–'),
  ];
}

function checkCells(check: Check): string[] {
  const metrics = Object.entries(check.metrics)
    .map(([name, value]) => {
      const limit = check.limits[name];
      return `${escapeText(name)} ${Number(value.toPrecision(4))}${limit === undefined ? '' : ` (limit ${limit})`}`;
    })
    .join(', ');
  return [escapeName(check.id), check.passed ? '✅ pass' : '❌ fail', metrics, escapeName(check.message ?? '', 300)];
}

function summaryLine(results: Results, claims: readonly ClaimResult[]): string {
  const parts = [plural(results.benchmarks.length, 'benchmark')];
  const checks = results.checks ?? [];
  const failedChecks = checks.filter((c) => !c.passed).length;
  if (checks.length > 0)
    parts.push(
      failedChecks > 0
        ? `❌ ${failedChecks} of ${plural(checks.length, 'check')} failed`
        : `all ${plural(checks.length, 'check')} passed`,
    );
  const claimsText = claimsPhrase(claims);
  if (claimsText) parts.push(claimsText);
  return parts.join(' · ');
}

/**
 * The report of one run with nothing to compare against: what was measured,
 * contender/reference speedups, checks and claims. Used by `bench-action report`,
 * scripts/run_benchmarks.sh, and the action when no baseline exists yet. Pure.
 */
export function renderRunReport(results: Results, options: RunReportOptions): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const claims = options.claims ?? [];
  const lines: string[] = [];
  if (options.marker) lines.push(`<!-- ${options.marker.replace(/-->/g, '')} -->`);
  lines.push(`### ${escapeName(options.title ?? 'Benchmark results', 120)}`, '', summaryLine(results, claims), '');
  lines.push(
    `Commit ${shortSha(results.run.commit)} on ${describeRunner(results.run)} · ${formatTimestamp(results.run.timestamp)}`,
  );
  if (options.note) lines.push('', `> ${escapeName(options.note, 1000)}`);
  // Each table gets at most a third of what is left, so none can crowd out the rest.
  const share = (): number => Math.floor((maxLength - lines.join('\n').length - 1000) / 3);
  if (options.pairs.length > 0) {
    lines.push(
      '',
      '#### Comparisons',
      '',
      ...fittedTable(
        tableLines(['Pair', 'Speedup', 'CI', 'Medians'], options.pairs.map(pairLine), ['l', 'l', 'l', 'l']),
        share(),
        'pairs',
      ),
    );
  }
  if (claims.length > 0) {
    lines.push(...claimsSection(claims, share()));
  }
  const checks = results.checks ?? [];
  if (checks.length > 0) {
    lines.push(
      '',
      '#### Checks',
      '',
      ...fittedTable(
        tableLines(['Check', 'Status', 'Measured', 'Detail'], checks.map(checkCells), ['l', 'l', 'l', 'l']),
        share(),
        'checks',
      ),
    );
  }
  // Results written before the versions were stored bare say "rustc 1.95.0" under the key rustc.
  const versions = Object.entries(results.run.versions).map(
    ([tool, version]) =>
      `${escapeText(tool)} ${escapeText(version.startsWith(`${tool} `) ? version.slice(tool.length + 1) : version)}`,
  );
  const footer = versions.length > 0 ? ['', `<sub>${versions.join(' · ')}</sub>`] : [];
  const sorted = [...results.benchmarks].sort((a, b) =>
    benchmarkLabel(a) < benchmarkLabel(b) ? -1 : benchmarkLabel(a) > benchmarkLabel(b) ? 1 : 0,
  );
  const table = tableLines(
    ['Benchmark', 'Median', 'p95', 'p99', 'Median 95% CI', 'Throughput', 'Samples'],
    sorted.map(benchmarkCells),
    ['l', 'r', 'r', 'r', 'l', 'r', 'r'],
  );
  const budget = maxLength - [...lines, ...footer].join('\n').length - 200;
  const fitted = fitTable(table, budget);
  lines.push('', `<details><summary>All ${results.benchmarks.length} benchmarks</summary>`, '', fitted.text);
  if (fitted.omitted > 0)
    lines.push(
      '',
      `${fitted.omitted} of ${results.benchmarks.length} rows left out to fit the size limit; the results JSON has them all.`,
    );
  lines.push('', '</details>', ...footer);
  return capLength(lines.join('\n') + '\n', maxLength);
}
