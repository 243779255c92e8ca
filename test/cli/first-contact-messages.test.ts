/**
 * What a new user met on first contact with the CLI (issue #27), each fixed
 * and pinned here: one "bench-action" prefix, negative percentages, the two
 * meanings of --format, a directory of results files, --history holding the
 * base and head, a run compared with itself, the terminal's timestamps, claims
 * that were not measured, and "1 benchmark".
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { slowDown } from '../../evaluation/verdicts/evaluate.ts';
import { claimsPhrase, escapeText, formatTimestamp } from '../../src/report/format.ts';
import { readGoBench } from '../../src/formats/go-bench.ts';
import type { Results } from '../../src/schema/types.ts';
import { cli } from '../support/cli.ts';

const RESULTS_A = 'fixtures/results/criterion-0.8-run-a.json';
const RUN_A = 'fixtures/criterion-0.8/run-a';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'bench-first-'));
}

function slowed(factor: number, dir = scratch(), name = `x${factor}.json`): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(slowDown(JSON.parse(readFileSync(RESULTS_A, 'utf8')) as Results, factor)));
  return path;
}

test('a usage error names the command once, not "bench-action: bench-action compare:"', () => {
  const outcome = cli('compare', RESULTS_A);
  assert.equal(outcome.status, 64, 'bad usage');
  assert.match(outcome.stderr, /^bench-action compare: expected <base> and <head>, got 1 path\(s\)/);
  assert.doesNotMatch(outcome.stderr, /bench-action: bench-action/);
  // An input error still gets the prefix.
  assert.match(cli('compare', 'nope.json', RESULTS_A).stderr, /^bench-action: nope\.json: no such file or directory$/m);
});

test('--threshold -5 is refused as a percentage, not as an ambiguous argument', () => {
  for (const flag of ['--threshold', '--instructions-threshold']) {
    const outcome = cli('compare', RESULTS_A, RESULTS_A, flag, '-5');
    assert.equal(outcome.status, 64, 'bad usage');
    assert.equal(outcome.stderr.trim(), `bench-action compare: ${flag} must be a percentage from 0 to 1000; got '-5'.`);
  }
});

test('--format: --input-format in parse, --output-format in compare, report, history and shard, each told apart', () => {
  const out = join(scratch(), 'r.json');
  assert.equal(cli('parse', '--input-format', 'criterion', RUN_A, '-o', out).status, 0);
  const json = cli('compare', RESULTS_A, out, '--output-format', 'json');
  assert.equal(json.status, 0, json.stderr);
  assert.ok(JSON.parse(json.stdout));
  assert.equal(cli('report', RESULTS_A, '--output-format', 'json').status, 0);
  const wrongWay = cli('compare', RESULTS_A, out, '--format', 'go');
  assert.equal(wrongWay.status, 64, 'bad usage');
  assert.match(
    wrongWay.stderr,
    /^bench-action compare: --output-format \(or --format\) is the report's format, markdown or json; got 'go'\. 'go' is an input format: 'bench-action parse --input-format go FILE -o results\.json' reads it/,
  );
  const parseJson = cli('parse', RUN_A, '--format', 'json');
  assert.equal(parseJson.status, 64, 'bad usage');
  assert.match(
    parseJson.stderr,
    /--input-format must be one of .*; got 'json' \(parse always writes a results file; 'compare' and 'report' take --output-format\)/,
  );
  assert.match(
    cli('compare', RESULTS_A, out, '--format', 'json', '--output-format', 'json').stderr,
    /give --output-format once/,
  );
  assert.match(cli('parse', '--help').stdout, /--input-format NAME/);
  assert.match(cli('compare', '--help').stdout, /--output-format FMT/);
});

test('a directory of results files is named for what it is, with where such files go', () => {
  const dir = scratch();
  slowed(1, dir, 'benchmark_1.json');
  slowed(1.1, dir, 'benchmark_2.json');
  const outcome = cli('compare', dir, RESULTS_A);
  assert.equal(outcome.status, 2);
  assert.match(
    outcome.stderr,
    /^bench-action: .*: a directory of JSON files \(benchmark_1\.json, benchmark_2\.json\), not Criterion or gungraun output: give one file, e\.g\. .*benchmark_1\.json; to use them as earlier runs of the base, pass the directory to --history or --history-dir$/m,
  );
  assert.doesNotMatch(outcome.stderr, /no Criterion benchmarks found/);
});

test('--history DIR holding the base and head counts neither as an earlier run', () => {
  const dir = scratch();
  for (const [i, factor] of [0.8, 1.25, 0.85, 1.2].entries()) slowed(factor, dir, `run-${i}.json`);
  const base = slowed(1, dir, 'run-base.json');
  const head = slowed(1.2, dir, 'run-head.json');
  const withDir = cli('compare', base, head, '--history', dir);
  const withHistoryDir = cli('compare', base, head, '--history-dir', dir);
  assert.match(withDir.stdout, /run-to-run spread estimated from 5 base-branch runs/, withDir.stdout.slice(0, 600));
  assert.match(withHistoryDir.stdout, /run-to-run spread estimated from 5 base-branch runs/);
  assert.equal(withDir.status, withHistoryDir.status, 'the same verdict either way');
});

test('a run compared with itself is unchanged everywhere, not inconclusive', () => {
  for (const input of [RUN_A, RESULTS_A]) {
    const outcome = cli('compare', input, input, '--output-format', 'json');
    assert.equal(outcome.status, 0, outcome.stderr);
    const report = JSON.parse(outcome.stdout) as { summary: { counts: Record<string, number> } };
    assert.equal(report.summary.counts['inconclusive'], 0);
    assert.equal(report.summary.counts['unchanged'], 6);
  }
  // Nearly the same is still judged: a 1.0001x copy keeps its interval's verdict.
  const near = cli('compare', RESULTS_A, slowed(1.0001), '--output-format', 'json');
  assert.equal(
    (JSON.parse(near.stdout) as { summary: { counts: Record<string, number> } }).summary.counts['inconclusive'],
    1,
  );
});

test("a run's timestamp reads as a time in a terminal: no &#58;", () => {
  assert.equal(formatTimestamp('2026-11-26T18:05:27.123Z'), '2026-11-26 18:05:27 UTC');
  assert.equal(
    formatTimestamp('not :a: date'),
    escapeText('not :a: date'),
    'text that is not a date stays escaped data',
  );
  const outcome = cli('report', RESULTS_A);
  assert.doesNotMatch(outcome.stdout, /&#58;/);
  assert.match(outcome.stdout, /· \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
});

test('claims whose benchmarks are missing are "not measured", not "not met"', () => {
  const missing = Array.from({ length: 7 }, () => ({ status: 'missing' }));
  assert.equal(claimsPhrase(missing), '⚠️ 7 of 7 claims not measured');
  assert.equal(
    claimsPhrase([{ status: 'fail' }, { status: 'missing' }, { status: 'pass' }]),
    '❌ 1 of 3 claims not met, ⚠️ 1 not measured',
  );
  assert.equal(claimsPhrase([{ status: 'pass' }]), '✅ all 1 claim met');
});

test('Go ids with a package path keep the path whole in their group', () => {
  const text = [
    'pkg: example.com/bench/fib',
    'BenchmarkFib10-8   1000   1200 ns/op',
    'BenchmarkFib/n=20-8   1000   5200 ns/op',
    'pkg: example.com/bench/sum',
    'BenchmarkSum-8   1000   300 ns/op',
  ].join('\n');
  const { benchmarks } = readGoBench('go.txt', text);
  const fib10 = benchmarks.find((b) => b.id === 'BenchmarkFib10 (example.com/bench/fib)');
  assert.deepEqual(
    [fib10?.group, fib10?.function, fib10?.parameter],
    ['BenchmarkFib10 (example.com/bench/fib)', null, null],
  );
  const fib20 = benchmarks.find((b) => b.id === 'BenchmarkFib/n=20 (example.com/bench/fib)');
  assert.deepEqual([fib20?.group, fib20?.function], ['BenchmarkFib (example.com/bench/fib)', 'n=20']);
});

test('"1 benchmark", never "1 benchmarks"', () => {
  const dir = scratch();
  const one = join(dir, 'one.json');
  writeFileSync(one, JSON.stringify({ benchmarks: [{ id: 'solo', unit: 'ns', value: 5 }] }));
  const out = join(dir, 'r.json');
  const parsed = cli('parse', one, '-o', out);
  assert.equal(parsed.status, 0, parsed.stderr);
  assert.match(parsed.stderr, /^Wrote 1 benchmark to /m);
  assert.match(cli('compare', out, out).stdout, /· 1 benchmark$/m);
});
