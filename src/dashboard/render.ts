/**
 * `bench-action dashboard`: one self-contained HTML file with every
 * benchmark's base-branch series, drawn by uPlot (bundled inline, no network
 * at view time). Pure: a series and its change points in, a string out.
 */
import { createHash } from 'node:crypto';
import type { SeriesChangePoint } from '../history/changes.ts';
import type { SeriesFile } from '../history/series.ts';
import { DASHBOARD_CLIENT } from './client.ts';
import { UPLOT_CSS, UPLOT_JS, UPLOT_LICENSE, UPLOT_VERSION } from './uplot.generated.ts';

export interface DashboardInput {
  series: SeriesFile;
  changePoints: readonly SeriesChangePoint[];
  title: string;
  /** ISO 8601, from the shell's clock. */
  generatedAt: string;
}

/** Text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON inside a <script> element: `<` (so `</script>` or `<!--` in a benchmark
 * id cannot end or alter the element) and the line separators JavaScript once
 * rejected become escapes; JSON.parse reads them back unchanged.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Code inside a <script> element must not contain its closing tag. */
function scriptText(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

const STYLE = `
:root { color-scheme: light; font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
body { margin: 0; background: #f6f8fa; color: #1f2328; }
header { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid #d0d7de; padding: 12px 16px; }
header h1 { font-size: 18px; margin: 0 0 8px; }
header .controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; font-size: 14px; }
header input[type=search] { width: 320px; padding: 4px 8px; font-size: 14px; }
#summary { font-size: 13px; color: #59636e; margin: 6px 0 0; }
main { padding: 16px; }
.card { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px 16px; margin: 0 auto 16px; max-width: 1000px; }
.card h2 { font-size: 15px; margin: 0 0 4px; word-break: break-all; }
.card .meta { font-size: 12px; color: #59636e; margin: 0 0 6px; }
.card .changes { font-size: 13px; color: #bc4c00; margin: 0 0 6px; padding-left: 18px; }
.card[hidden] { display: none; }
footer { font-size: 12px; color: #59636e; padding: 0 16px 16px; text-align: center; }
`;

/**
 * The CSP source for one inline script: its exact text's SHA-256. Only our own
 * two scripts run; a script an escaping slip let in would have no hash, so the
 * browser would refuse it (no 'unsafe-inline').
 */
function scriptHash(code: string): string {
  return `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`;
}

export function renderDashboard(input: DashboardInput): string {
  const { series, changePoints } = input;
  const byKey = new Map<string, Array<{ index: number; change: number }>>();
  for (const p of changePoints) {
    const key = `${p.metric}\u0000${p.id}`;
    byKey.set(key, [...(byKey.get(key) ?? []), { index: p.index, change: p.change }]);
  }
  const sorted = [...series.series].sort((a, b) => a.id.localeCompare(b.id) || a.metric.localeCompare(b.metric));
  const data = {
    runs: series.runs,
    series: sorted.map((s) => ({ ...s, changes: byKey.get(`${s.metric}\u0000${s.id}`) ?? [] })),
  };
  const first = series.runs[0]?.timestamp.slice(0, 10) ?? '–';
  const last = series.runs[series.runs.length - 1]?.timestamp.slice(0, 10) ?? '–';
  const title = escapeHtml(input.title);
  const uplot = `/*! uPlot ${escapeHtml(UPLOT_VERSION)}: ${scriptText(UPLOT_LICENSE.split('\n')[0] ?? 'MIT')} */
${scriptText(UPLOT_JS)}`;
  const client = scriptText(DASHBOARD_CLIENT);
  // Styles cannot run code; uPlot also sets inline styles, so they stay allowed.
  const csp = `default-src 'none'; script-src ${scriptHash(uplot)} ${scriptHash(client)}; style-src 'unsafe-inline'; img-src data:`;
  const summary = `${series.series.length} benchmarks over ${series.runs.length} base-branch runs (${escapeHtml(first)} to ${escapeHtml(last)}); ${changePoints.length} change points. Generated ${escapeHtml(input.generatedAt)}.`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${title}</title>
<style>${UPLOT_CSS}</style>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<div class="controls">
<input type="search" id="search" placeholder="Filter by benchmark id or group" aria-label="Filter by benchmark id or group">
<label>Group <select id="group"><option value="">all</option></select></label>
<label><input type="checkbox" id="only-changes"> only with change points</label>
<span id="shown"></span>
</div>
<p id="summary">${summary}</p>
</header>
<main id="charts"></main>
<footer>Each chart: the median of every base-branch run (line), its confidence interval (band), change points (dashed). Drawn with uPlot ${escapeHtml(UPLOT_VERSION)} (MIT), bundled in this file.</footer>
<script type="application/json" id="bench-data">${scriptJson(data)}</script>
<script>${uplot}</script>
<script>${client}</script>
</body>
</html>
`;
}
