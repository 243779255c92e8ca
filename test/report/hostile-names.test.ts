/**
 * Every text path of the report, fed hostile text at once: names as pytest-benchmark, Go, mitata and hyperfine print
 * them (what full mode reads through `run-results`), the runner, tool versions, pairs, checks, claims, the
 * confirmation round, the gate notice, mutes, the baseline note and the trend charts. Each field carries its own tag,
 * so the test also shows that each one reached the report; none may leave a live mention or reference, or markdown or
 * HTML that renders (issue #23, "Names cannot ping anyone" in docs/github.md).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyze, type AnalysisInput } from '../../src/analysis/analyze.ts';
import type { PairMedians } from '../../src/compare/confirm.ts';
import { parseInput } from '../../src/formats/index.ts';
import { seriesFromRuns } from '../../src/history/series.ts';
import { benchmarkKey } from '../../src/schema/metric.ts';
import { SCHEMA_VERSION, type Benchmark, type Results } from '../../src/schema/types.ts';
import { runMeta, scaled } from '../compare/synthetic.ts';
import { liveIn } from '../support/live-text.ts';

/** Text a fork (or its benchmark's output) could put in `field`: mentions, references, links, HTML, emphasis. */
function hostile(field: string): string {
  return `${field} @user-${field} @org/team-${field} #1 GH-1 owner/repo#1 <img src=x onerror=alert(1)> [l](https://evil.example/${field}) ![p](https://evil.example/p.png) <details open> **b** :+1: www.evil.example`;
}

/** The same without whitespace: Go's output is split on it, so a Go name or unit holds none. */
function hostileWord(field: string): string {
  return `${field}/@user-${field}/@org/team-${field}/#1/GH-1/owner/repo#1/<img_src=x>/[l](https://evil.example/${field})`;
}

/** Markup that must never reach the comment unescaped (ours has <details><summary> and <sub>, never these). */
const RAW: readonly RegExp[] = [
  /(?<!\\)<img/,
  /(?<!\\)<details open/,
  /(?<!\\)\]\(https?:/,
  /(?<!\\)!(?<!\\)\[p/,
  /(?<!\\)\*\*b(?<!\\)\*\*/,
  /:\+1:/,
  /www\.evil/i,
];

/** A real tool's output with its names replaced by hostile ones, read by that tool's adapter. */
function adapted(path: string, replace: (text: string) => string): Benchmark[] {
  const parsed = parseInput({ kind: 'file', path, text: replace(readFileSync(path, 'utf8')) });
  assert.notEqual(parsed.format, 'results');
  return parsed.format === 'results' ? [] : parsed.benchmarks;
}

const json = (text: string): string => JSON.stringify(text).slice(1, -1);

function benchmarks(): Benchmark[] {
  return [
    ...adapted('fixtures/pytest-benchmark/pytest-benchmark-5.3.1.json', (t) =>
      t.replaceAll('test_fib_10', json(`test_fib_10[${hostile('pytest')}]`)),
    ),
    ...adapted('fixtures/go/go-1.26-count3-benchmem.txt', (t) =>
      t
        .replaceAll('BenchmarkFib10-2', `BenchmarkFib10/${hostileWord('go')}-2`)
        .replaceAll('steps/op', `${hostileWord('gounit')}/op`)
        .replace('pkg: example.com/benchfixture/sum', `pkg: ${hostile('gopkg')}`),
    ),
    ...adapted('fixtures/mitata/mitata-1.0.34.json', (t) =>
      t.replaceAll('"json parse"', JSON.stringify(hostile('mitata'))),
    ),
    ...adapted('fixtures/hyperfine/hyperfine-1.15.0.json', (t) =>
      t.replaceAll('"short sleep"', JSON.stringify(hostile('hyperfine'))),
    ),
  ];
}

function run(commit: string, day: number, list: Benchmark[]): Results {
  return {
    schemaVersion: SCHEMA_VERSION,
    run: {
      ...runMeta(commit),
      timestamp: `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`,
      runner: { name: hostile('runner'), os: hostile('os'), arch: 'x64', cpuModel: hostile('cpu'), cores: 2 },
      versions: { [hostile('tool')]: hostile('version') },
    },
    benchmarks: list,
  };
}

const list = benchmarks();
const time = list.filter((b) => b.metric === 'time');
const byTag = (tag: string): Benchmark => {
  const found = time.find((b) => b.id.includes(`@user-${tag}`));
  assert.ok(found, `no time benchmark named with ${tag}`);
  return found;
};
const [pytest, go, mitata, hyperfine] = ['pytest', 'go', 'mitata', 'hyperfine'].map(byTag) as [
  Benchmark,
  Benchmark,
  Benchmark,
  Benchmark,
];
const runs = [1, 2, 3].map((k) => scaled(run(String(k).repeat(40), k, list), () => 1 + 0.01 * k));
const base = runs[2] as Results;
// Everything 1.6x slower, so every name lands in a table of regressions (or undecided ones) and in a chart.
const head: Results = {
  ...scaled(run('f'.repeat(40), 9, list), () => 1.6),
  pairs: [
    { name: hostile('pair'), contender: pytest.id, reference: hyperfine.id },
    { name: 'pair of absent ones', contender: hostile('absent'), reference: mitata.id },
  ],
  checks: [
    {
      id: hostile('check'),
      passed: false,
      metrics: { [hostile('checkmetric')]: 3 },
      limits: { [hostile('checkmetric')]: 2 },
      message: hostile('checkmessage'),
    },
  ],
};

function roundPairs(n: number, ratio: number): PairMedians[] {
  return Array.from({ length: n }, (_, i) => ({ base: 1000 + i, head: (1000 + i) * ratio }));
}

const common: Omit<AnalysisInput, 'base'> = {
  head,
  threshold: 0.1,
  title: hostile('title'),
  note: hostile('note'),
  claims: {
    claims: [
      { id: 'median', kind: 'median', benchmark: go.id, max: 1, description: hostile('claim') },
      { id: 'absent', kind: 'median', benchmark: hostile('claimbench'), max: 1 },
      { id: 'check', kind: 'check', check: hostile('check') },
      { id: 'speedup', kind: 'speedup', pair: hostile('pair'), min: 100 },
    ],
  },
};

/** The tags each report must show (escaped), so the test knows every path it checks was taken. */
const EVERY_REPORT = ['pytest', 'go', 'gounit', 'gopkg', 'mitata', 'hyperfine', 'title', 'note', 'claim'];
const EVERY_REPORT_TOO = ['runner', 'os', 'cpu', 'pair', 'absent', 'claimbench', 'check'];

/** Fenced blocks (the Mermaid charts): GitHub links nothing inside them, and mermaidText leaves no mark there. */
const FENCED = /^```[^\n]*\n[\s\S]*?^```$/gm;

function assertInert(markdown: string, tags: readonly string[]): void {
  for (const tag of tags) assert.ok(markdown.includes(`@\u200buser-${tag}`), `the ${tag} text is not in the report`);
  assert.deepEqual(liveIn(markdown.replace(FENCED, '')), [], 'live mentions or references');
  for (const block of markdown.match(FENCED) ?? []) {
    assert.doesNotMatch(block, /@/, block);
    assert.match(block, /^ {4}title "[^"@#<>`[\]]*"$/m, block);
  }
  for (const re of RAW) assert.doesNotMatch(markdown, re);
}

describe('hostile text in every field of a report', () => {
  it('the PR comment: tables, claims, the round, the gate notice, mutes and charts leave nothing live', () => {
    const [first, second] = time as [Benchmark, Benchmark];
    const analysis = analyze({
      ...common,
      base,
      series: seriesFromRuns(runs),
      gate: {
        source: 'baseline',
        baselineRuns: 1,
        runsPerBenchmark: new Map(),
        failOnRegression: true,
        baseBranch: hostile('branch'),
      },
      mutes: [
        { pattern: first.id, reason: hostile('mute'), until: '2026-01-01' },
        { pattern: second.id, reason: hostile('muteactive'), until: null },
      ],
      today: '2026-12-06',
      confirmation: {
        candidates: [benchmarkKey(go), benchmarkKey(mitata)],
        pairs: new Map([
          [benchmarkKey(go), roundPairs(6, 1.6)],
          [benchmarkKey(mitata), roundPairs(2, 1.6)],
        ]),
        state: 'partial',
        reason: hostile('round'),
        seconds: 30,
        buildSeconds: 5,
      },
    });
    const markdown = analysis.markdown;
    assert.match(markdown, /```mermaid/, 'no trend chart was drawn');
    assert.match(markdown, /🔁 \*\*Confirmation round\*\*/, 'no round section');
    assertInert(markdown, [...EVERY_REPORT, 'branch', 'mute', 'muteactive', 'round']);
  });

  it('the run report (no baseline): pairs, checks, claims, runner and versions leave nothing live', () => {
    const analysis = analyze({ ...common, base: null });
    assertInert(analysis.markdown, [
      ...EVERY_REPORT,
      ...EVERY_REPORT_TOO,
      'checkmetric',
      'checkmessage',
      'tool',
      'version',
    ]);
  });
});
