/**
 * Trend charts for the report: a Mermaid `xychart-beta` line per benchmark
 * that moved (regression, improvement, inconclusive), the base branch's
 * recent medians with this head as the last point. GitHub renders Mermaid
 * code blocks in comments and job summaries. Pure: strings out.
 */
import type { ComparisonRow, Verdict } from '../compare/types.ts';
import { seriesChangePoints } from '../history/changes.ts';
import { seriesKey, type SeriesFile } from '../history/series.ts';
import { describeChangePoint } from './history.ts';
import { benchmarkLabel } from '../schema/metric.ts';

/** Base-branch points per chart: enough to see a trend, few enough to read the labels. */
export const TREND_POINTS = 20;

const CHARTED: ReadonlySet<Verdict> = new Set(['regression', 'improvement', 'inconclusive']);

export interface TrendPoint {
  /** Runs before the base ("-3"), "base", or "head". */
  label: string;
  value: number;
}

export interface TrendChart {
  id: string;
  /** The fenced ```mermaid block. */
  text: string;
}

/**
 * Benchmark ids come from the code under test (a fork's, too): inside a
 * Mermaid block only a plain character set survives, so quotes, brackets,
 * backticks (which could close the fence) and newlines cannot change the chart.
 */
export function mermaidText(text: string, max = 80): string {
  // No `@` or `#` survives; `GH-1` would not be linked inside the code block, nor in a notification's plain text.
  const clean = text.replace(/[^A-Za-z0-9_./:+%() -]/g, '_').replace(/(gh)-(?=\d)/gi, '$1_');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

const TIME_SCALES: readonly [number, string][] = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

/** One scale for the whole axis, chosen by its largest value. */
export function axisScale(values: readonly number[], unit: string): { divisor: number; label: string } {
  if (unit !== 'ns') return { divisor: 1, label: mermaidText(unit, 20) };
  const top = Math.max(...values.map(Math.abs));
  const [divisor, label] = TIME_SCALES.find(([s]) => top >= s) ?? [1, 'ns'];
  return { divisor, label };
}

function num(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** The last `count` base medians of (id, metric) plus the head, or null without history. */
export function trendPoints(
  series: SeriesFile,
  id: string,
  metric: string,
  head: number,
  count = TREND_POINTS,
): TrendPoint[] | null {
  const s = series.series.find((x) => seriesKey(x.id, x.metric) === seriesKey(id, metric));
  if (!s || s.median.length === 0) return null;
  // Short relative labels: 21 SHAs would overlap on GitHub's width; the dashboard has the SHAs.
  const recent = s.median.slice(-count);
  const points = recent.map((value, k) => ({
    label: k === recent.length - 1 ? 'base' : String(k - recent.length + 1),
    value,
  }));
  return [...points, { label: 'head', value: head }];
}

/** Line colours by what the head did: GitHub's red, green and a neutral grey. */
const VERDICT_COLOR: Partial<Record<Verdict, string>> = {
  regression: '#cf222e',
  improvement: '#1a7f37',
  inconclusive: '#6e7781',
};

/**
 * A Mermaid line chart; the y axis spans the points with 10% room, in one
 * readable unit. The frontmatter sets the line colour (the default palette's
 * first colour is too pale to read on white).
 */
export function mermaidLineChart(
  title: string,
  points: readonly TrendPoint[],
  unit: string,
  color = '#0969da',
): string {
  const { divisor, label } = axisScale(
    points.map((p) => p.value),
    unit,
  );
  const values = points.map((p) => p.value / divisor);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.05 || 1;
  return [
    '```mermaid',
    '---',
    'config:',
    '  themeVariables:',
    '    xyChart:',
    `      plotColorPalette: "${/^#[0-9a-f]{6}$/i.test(color) ? color : '#0969da'}"`,
    '---',
    'xychart-beta',
    `    title "${mermaidText(title)}"`,
    `    x-axis [${points.map((p) => `"${p.label}"`).join(', ')}]`,
    `    y-axis "${label}" ${num(Math.max(0, lo - pad))} --> ${num(hi + pad)}`,
    `    line [${values.map(num).join(', ')}]`,
    '```',
  ].join('\n');
}

function changeText(row: ComparisonRow): string {
  if (row.change === null) return '';
  const pct = (row.change - 1) * 100;
  return ` ${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

/** Charts for the rows that moved, most severe verdicts first, in the rows' order within a verdict. */
export function trendCharts(rows: readonly ComparisonRow[], series: SeriesFile | null): TrendChart[] {
  if (series === null) return [];
  const order: Verdict[] = ['regression', 'improvement', 'inconclusive'];
  const charts: TrendChart[] = [];
  for (const verdict of order) {
    for (const row of rows) {
      if (row.verdict !== verdict || !CHARTED.has(row.verdict) || row.headMedian === null) continue;
      const points = trendPoints(series, row.id, row.metric, row.headMedian);
      // A value past the double range has no place on an axis (it would read 'Infinity' or 'NaN').
      if (points === null || !points.every((p) => Number.isFinite(p.value))) continue;
      const chart = mermaidLineChart(
        `${benchmarkLabel(row)}:${changeText(row)} (${row.verdict})`,
        points,
        row.unit,
        VERDICT_COLOR[row.verdict],
      );
      // The base branch's own shifts, so a reader can tell this PR's change from an older one.
      const shifts = series.series
        .filter((x) => x.id === row.id && x.metric === row.metric)
        .flatMap((x) => seriesChangePoints(series, x));
      const note =
        shifts.length > 0 ? `\n\nBase-branch change points: ${shifts.map(describeChangePoint).join('; ')}.` : '';
      charts.push({ id: benchmarkLabel(row), text: `${chart}${note}` });
    }
  }
  return charts;
}

/**
 * The report with as many charts as fit in `maxLength`, in a collapsed block
 * after everything else: charts are the first thing left out when the
 * comment is near GitHub's limit, and the block says how many were.
 */
export function appendCharts(markdown: string, charts: readonly TrendChart[], maxLength: number): string {
  if (charts.length === 0) return markdown;
  const open = `\n<details><summary>Trends: the base branch's last ${TREND_POINTS} runs, then this head</summary>\n`;
  const close = '\n</details>\n';
  const noteRoom = 120;
  let used = markdown.length + open.length + close.length + noteRoom;
  const kept: string[] = [];
  for (const chart of charts) {
    if (used + chart.text.length + 2 > maxLength) break;
    used += chart.text.length + 2;
    kept.push(chart.text);
  }
  if (kept.length === 0) return markdown;
  const left = charts.length - kept.length;
  const note = left > 0 ? `\n${left} more chart${left === 1 ? '' : 's'} left out to fit the comment size limit.\n` : '';
  return `${markdown}${open}\n${kept.join('\n\n')}\n${note}${close}`;
}
