import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compare } from '../../src/compare/compare.ts';
import { parseThresholdsFile } from '../../src/config/thresholds.ts';
import { loadResults } from '../../src/files/load.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { escapeText } from '../../src/report/format.ts';
import { instructionRows, twinIds } from '../../src/report/instructions.ts';
import type { ComparisonRow } from '../../src/compare/types.ts';
import { runMetaOnce } from '../../src/run/metadata.ts';
import { SCHEMA_VERSION, type Benchmark, type Results } from '../../src/schema/types.ts';
import { benchmark, runMeta } from './synthetic.ts';

const RUN_A = 'fixtures/gungraun/cache-run-a';
const RUN_B = 'fixtures/gungraun/cache-run-b';
const GET = 'cache_instructions/cache_get_warm/sark_cache.hit';
const OPA_A = 'fixtures/gungraun/opa-run-a';
const OPA_B = 'fixtures/gungraun/opa-run-b';

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Run a with one benchmark's count raised by `factor`, written to a scratch results file. */
async function raised(id: string, factor: number): Promise<string> {
  const results = await loadResults(RUN_A, runMetaOnce());
  const benchmarks = results.benchmarks.map((b) =>
    b.id === id
      ? {
          ...b,
          estimates: {
            ...b.estimates,
            median: Math.round(b.estimates.median * factor),
            mean: Math.round(b.estimates.mean * factor),
          },
        }
      : b,
  );
  const path = join(mkdtempSync(join(tmpdir(), 'bench-instr-')), `raised-${factor}.json`);
  writeFileSync(path, JSON.stringify({ ...results, benchmarks }));
  return path;
}

test('bench-action parse of a target/gungraun directory carries an instruction count per benchmark', () => {
  const out = cli('parse', RUN_A);
  assert.equal(out.status, 0, out.stderr);
  const results = JSON.parse(out.stdout) as Results;
  assert.equal(results.benchmarks.length, 7);
  const get = results.benchmarks.find((b) => b.id === GET);
  assert.deepEqual([get?.metric, get?.unit, get?.estimates.median], ['instructions', 'instructions', 304]);
});

test("sark-opa: two runs' counts differ by under 0.2% (regorus hashes with std's random seeds), inside the 1% threshold", () => {
  const out = cli('compare', OPA_A, OPA_B, '--format', 'json');
  assert.equal(out.status, 0, out.stderr);
  const rows = (JSON.parse(out.stdout) as { benchmarks: { id: string; verdict: string; change: number }[] }).benchmarks;
  assert.deepEqual(rows.map((r) => r.id).sort(), [
    'opa_instructions/opa_batch/sark_opa.inputs_100',
    'opa_instructions/opa_compilation/sark_opa.sark_policies',
    'opa_instructions/opa_complex_policy/sark_opa.decision',
    'opa_instructions/opa_simple_policy/sark_opa.allow',
  ]);
  assert.ok(rows.every((r) => r.verdict === 'unchanged'));
  // Not identical: the complex decision, the batch and compilation move a little between processes.
  assert.ok(rows.some((r) => r.change !== 1));
  assert.ok(
    rows.every((r) => Math.abs(r.change - 1) < 0.002),
    JSON.stringify(rows),
  );
});

test('compare of two gungraun runs of identical code exits 0 with every count unchanged', () => {
  const out = cli('compare', RUN_A, RUN_B, '--format', 'json');
  assert.equal(out.status, 0, out.stderr);
  const rows = (JSON.parse(out.stdout) as { benchmarks: { verdict: string; change: number; metric: string }[] })
    .benchmarks;
  assert.equal(rows.length, 7);
  assert.ok(rows.every((r) => r.verdict === 'unchanged' && r.change === 1 && r.metric === 'instructions'));
});

test('one count raised 2% exits 1 naming it; raised 0.5% exits 0', async () => {
  // 304 instructions: +2% is 310, +0.5% is 306 (rounded counts).
  const up2 = cli('compare', RUN_A, await raised(GET, 1.02));
  assert.equal(up2.status, 1, up2.stderr);
  assert.match(up2.stdout, /❌ \*\*1 regression\*\* in instruction counts over the 1\.0% threshold/);
  assert.ok(
    up2.stdout.includes(`| ${escapeText(GET)} | ❌ regression | 304 instructions | 310 instructions | +2.0% |`),
    up2.stdout,
  );
  const up05 = cli('compare', RUN_A, await raised(GET, 1.005));
  assert.equal(up05.status, 0, up05.stderr);
  assert.match(up05.stdout, /No regressions/);
});

test('--instructions-threshold moves the gate, and a bad value is a usage error', async () => {
  const up2 = await raised(GET, 1.02);
  assert.equal(cli('compare', RUN_A, up2, '--instructions-threshold', '3').status, 0);
  const bad = cli('compare', RUN_A, up2, '--instructions-threshold', 'lots');
  assert.equal(bad.status, 64);
  assert.match(bad.stderr, /--instructions-threshold must be a percentage/);
});

function counted(id: string, count: number): Benchmark {
  return {
    ...benchmark({ id, median: count, unit: 'instructions', metric: 'instructions' }, null),
    source: 'gungraun',
  };
}

function run(benchmarks: Benchmark[], commit = 'a'.repeat(40)): Results {
  return { schemaVersion: SCHEMA_VERSION, run: runMeta(commit), benchmarks };
}

test('counts vary in the history: the spread widens the band as it does for wall time', () => {
  const base = run([counted('f/g/h.x', 1000)]);
  const head = run([counted('f/g/h.x', 1030)], 'b'.repeat(40));
  assert.equal(compare(base, head).rows[0]?.verdict, 'regression');
  // History shows this count moving about 2% between runs of unchanged code.
  const noisy = compare(base, head, { noise: new Map([['f/g/h.x [instructions]', 0.02]]) });
  assert.equal(noisy.rows[0]?.verdict, 'inconclusive');
  assert.ok(noisy.rows[0]?.ci && noisy.rows[0].ci.lower < 1.01 && noisy.rows[0].ci.upper > 1.05);
});

test('a thresholds-file rule with "metric": "instructions" sets count thresholds only', () => {
  const file = parseThresholdsFile(
    't.json',
    JSON.stringify({
      overrides: [
        { pattern: 'f/**', metric: 'instructions', threshold: 5 },
        { pattern: 'f/**', threshold: 1 },
      ],
    }),
  );
  const base = run([counted('f/g/h.x', 1000), { ...benchmark({ id: 'f/g/h.x', median: 100 }, Array(20).fill(100)) }]);
  const head = run(
    [counted('f/g/h.x', 1030), { ...benchmark({ id: 'f/g/h.x', median: 100 }, Array(20).fill(100)) }],
    'b'.repeat(40),
  );
  const rows = compare(base, head, { thresholds: file.overrides }).rows;
  assert.deepEqual(
    rows.map((r) => [r.metric, r.threshold, r.verdict]),
    [
      ['instructions', 0.05, 'unchanged'],
      ['time', 0.01, 'unchanged'],
    ],
  );
});

test('the report puts counts in their own section with the wall-time twin beside them, and says instructions decided', () => {
  const samples = (m: number): number[] => Array.from({ length: 30 }, (_, i) => m * (1 + ((i * 7) % 30) / 100));
  const base = run([
    counted('cache_instructions/cache_get_warm/sark_cache.hit', 300),
    benchmark({ id: 'cache_get_warm/sark_cache', median: 50 }, samples(50)),
  ]);
  const head = run(
    [
      counted('cache_instructions/cache_get_warm/sark_cache.hit', 330),
      benchmark({ id: 'cache_get_warm/sark_cache', median: 51 }, samples(51)),
    ],
    'b'.repeat(40),
  );
  const comparison = compare(base, head);
  const markdown = renderMarkdown(comparison);
  assert.match(markdown, /#### Instruction counts \(1\)/);
  const twin = comparison.rows.find((r) => r.metric === 'time');
  assert.ok(twin && twin.verdict !== 'regression');
  const line = `| ${escapeText('cache_instructions/cache_get_warm/sark_cache.hit')} | ❌ regression (decided by instructions) | 300 instructions | 330 instructions | +10.0% | +2.0% (${twin.verdict}) ${escapeText('cache_get_warm/sark_cache')} |`;
  assert.ok(markdown.includes(line), markdown);
  assert.match(markdown, /❌ \*\*1 regression\*\* in instruction counts/);
});

test('twin ids: gungraun file/group/function.id maps to Criterion-shaped ids', () => {
  assert.deepEqual(twinIds('cache_instructions/cache_get_warm/sark_cache.hit'), [
    'cache_instructions/cache_get_warm/sark_cache.hit',
    'cache_get_warm/sark_cache/hit',
    'cache_get_warm/sark_cache',
    'cache_get_warm/hit',
    'cache_get_warm',
  ]);
  // sark-opa's Criterion suite names whole groups (opa_simple_policy) and a batch size (opa_batch/100).
  assert.ok(twinIds('opa_instructions/opa_simple_policy/sark_opa.allow').includes('opa_simple_policy'));
  assert.deepEqual(twinIds('opa_instructions/opa_batch/sark_opa.inputs_100').at(-1), 'opa_batch/100');
  assert.deepEqual(twinIds('opa_instructions/opa_compilation/sark_opa'), [
    'opa_instructions/opa_compilation/sark_opa',
    'opa_compilation/sark_opa',
    'opa_compilation',
  ]);
  assert.deepEqual(twinIds('plain'), ['plain']);
});

test("the instruction section finds every row's wall-time twin in one index, not one scan of all rows per row", () => {
  const n = 2000;
  let reads = 0;
  const row = (id: string, metric: string): ComparisonRow =>
    Object.defineProperty(
      {
        id,
        verdict: 'unchanged',
        change: 1,
        ci: null,
        pValue: null,
        qValue: null,
        threshold: 0.01,
        direction: 'lower',
        unit: metric === 'time' ? 'ns' : 'instructions',
        baseMedian: 1,
        headMedian: 1,
        baseSamples: null,
        headSamples: null,
        method: 'exact',
        weak: false,
        extraNoise: 0,
      },
      'metric',
      {
        get: () => {
          reads++;
          return metric;
        },
        enumerable: true,
      },
    ) as ComparisonRow;
  const rows = Array.from({ length: n }, (_, i) => [
    row(`file/group${i}/f.case_${i}`, 'instructions'),
    row(`group${i}/f/case_${i}`, 'time'),
  ]).flat();
  const table = instructionRows(rows);
  assert.equal(table.length, n);
  assert.ok(
    table.every((cells) => cells[5]?.startsWith('+0.0% (unchanged)') ?? false),
    table[0]?.join(' | '),
  );
  // Linear: a few reads of each row's metric; a scan per row would read it 2n times per row.
  assert.ok(reads < 10 * rows.length, `${reads} reads of the metric for ${rows.length} rows`);
});

test('a Criterion benchmark counted by the harness: the count decides, a wall-time regression of the same id does not fail, and the first line says so', () => {
  const time = (median: number) =>
    benchmark(
      { id: 'parse/short', median },
      Array.from({ length: 50 }, (_, i) => median + (i % 5)),
    );
  const counted = (n: number): Benchmark => ({
    ...benchmark({ id: 'parse/short', median: n }, null),
    metric: 'instructions',
    source: 'criterion-callgrind',
    unit: 'instructions',
    estimates: { median: n, mean: n, stdDev: null, ci: null },
    samples: null,
  });
  const results = (benchmarks: Benchmark[]): Results => ({
    schemaVersion: SCHEMA_VERSION,
    run: runMeta('c0ffee'),
    benchmarks,
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-crit-counts-'));
  const write = (name: string, r: Results) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(r));
    return path;
  };
  const base = write('base.json', results([time(100), counted(1000)]));
  // Wall time 30% slower, the count unchanged: the count decides, the run passes.
  const slower = cli('compare', base, write('slower.json', results([time(130), counted(1000)])));
  assert.equal(slower.status, 0, slower.stdout + slower.stderr);
  assert.match(
    slower.stdout,
    /✅ \*\*No regressions\*\*.*instruction counts decided 1 benchmark \(1\.0% threshold\); 1 wall-time change over \d+% on counted benchmarks does not decide/,
  );
  // The count 2% higher, wall time unchanged: it fails on the count.
  const more = cli('compare', base, write('more.json', results([time(100), counted(1020)])));
  assert.equal(more.status, 1, more.stdout + more.stderr);
  assert.match(more.stdout, /❌ \*\*1 regression\*\* in instruction counts over the 1\.0% threshold/);
  // Both moved: the count decides, and the worst regression named is the count's, not the overruled wall time's.
  const both = cli('compare', base, write('both.json', results([time(130), counted(1020)])));
  assert.equal(both.status, 1, both.stdout + both.stderr);
  assert.match(
    both.stdout,
    /❌ \*\*1 regression\*\* in instruction counts over the 1\.0% threshold \(worst parse\/short \\?\[instructions\\?\] 1\.02x slower\)/,
  );
});
