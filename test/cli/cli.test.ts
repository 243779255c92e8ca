import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { slowDown } from '../../evaluation/verdicts/evaluate.ts';
import type { ComparisonJsonReport } from '../../src/report/index.ts';
import type { Results } from '../../src/schema/types.ts';
import { scaled, synthetic } from '../compare/synthetic.ts';
import { validateResults } from '../../src/schema/validate.ts';
import { cli, type Outcome } from '../support/cli.ts';

const RUN_A = 'fixtures/criterion-0.8/run-a';
const RUN_B = 'fixtures/criterion-0.8/run-b';
const RESULTS_A = 'fixtures/results/criterion-0.8-run-a.json';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'bench-cli-'));
}

/** The same run slowed by exactly `factor`, written to a scratch file. */
function slowed(path: string, factor: number): string {
  const out = join(scratch(), `slowed-${factor}.json`);
  writeFileSync(out, JSON.stringify(slowDown(JSON.parse(readFileSync(path, 'utf8')) as Results, factor)));
  return out;
}

function rows(outcome: Outcome): ComparisonJsonReport['benchmarks'] {
  return (JSON.parse(outcome.stdout) as ComparisonJsonReport).benchmarks;
}

test('parse turns a Criterion directory into a valid results file', () => {
  const out = join(scratch(), 'results.json');
  const outcome = cli('parse', RUN_A, '-o', out, '--commit', 'f'.repeat(40));
  assert.equal(outcome.status, 0, outcome.stderr);
  const parsed: unknown = JSON.parse(readFileSync(out, 'utf8'));
  const validation = validateResults(parsed);
  assert.ok(validation.ok);
  if (validation.ok) {
    assert.equal(validation.value.run.commit, 'f'.repeat(40));
    assert.ok(validation.value.benchmarks.some((b) => b.id === 'checksum/sum 1KiB/u8'));
  }
});

test('parse of two inputs with the same ids refuses to merge, naming both', () => {
  const outcome = cli('parse', RUN_A, RESULTS_A);
  assert.equal(outcome.status, 2);
  assert.match(outcome.stderr, /criterion-0\.8-run-a\.json: benchmark '.*' is also in fixtures\/criterion-0\.8\/run-a/);
});

test('two runs of the same code: no regression, exit 0', () => {
  const outcome = cli('compare', RUN_A, RUN_B, '--format', 'json');
  assert.equal(outcome.status, 0, outcome.stderr);
  assert.ok(rows(outcome).every((row) => row.verdict !== 'regression'));
});

test('the same head slowed 20%: every benchmark a regression, exit 1', () => {
  const outcome = cli('compare', RESULTS_A, slowed(RESULTS_A, 1.2), '--format', 'json');
  assert.equal(outcome.status, 1, outcome.stderr);
  const all = rows(outcome);
  assert.ok(all.length >= 6);
  for (const row of all) {
    assert.equal(row.verdict, 'regression', `${row.id}: ${row.verdict}`);
    assert.ok(Math.abs((row.change ?? 0) - 1.2) < 1e-9);
    assert.ok(row.ci && row.ci.lower > 1, `${row.id}: interval ${JSON.stringify(row.ci)}`);
  }
});

test('3% slower is not a regression at the 10% threshold', () => {
  const outcome = cli('compare', RESULTS_A, slowed(RESULTS_A, 1.03), '--format', 'json');
  assert.equal(outcome.status, 0, outcome.stderr);
  assert.ok(rows(outcome).every((row) => row.verdict === 'unchanged' || row.verdict === 'inconclusive'));
});

test('--no-fail reports the regression but exits 0; --threshold moves the bar', () => {
  const head = slowed(RESULTS_A, 1.2);
  const noFail = cli('compare', RESULTS_A, head, '--no-fail');
  assert.equal(noFail.status, 0);
  assert.match(noFail.stdout, /regressions?\*\* over the threshold 10%/);
  const high = cli('compare', RESULTS_A, head, '--threshold', '50', '--format', 'json');
  assert.equal(high.status, 0);
  assert.ok(rows(high).every((row) => row.verdict !== 'regression'));
});

test('a thresholds file overrides by glob', () => {
  const dir = scratch();
  const file = join(dir, 'thresholds.json');
  writeFileSync(file, JSON.stringify({ overrides: [{ pattern: 'fib/**', threshold: 50 }] }));
  const outcome = cli('compare', RESULTS_A, slowed(RESULTS_A, 1.2), '--thresholds-file', file, '--format', 'json');
  assert.equal(outcome.status, 1);
  for (const row of rows(outcome)) assert.equal(row.verdict === 'regression', !row.id.startsWith('fib/'), row.id);
});

/** Four controls (third-party caches) and three of our benchmarks, 3% noise, in a scratch file. */
function controlledPair(factor: (id: string) => number): [string, string] {
  const specs = [
    'get/moka',
    'get/quick_cache',
    'set/moka',
    'set/quick_cache',
    'get/ours',
    'set/ours',
    'delete/ours',
  ].map((id, i) => ({
    id,
    median: 50 * (i + 1),
    logSd: 0.03,
    samples: 50,
  }));
  const dir = scratch();
  const [basePath, headPath] = [join(dir, 'base.json'), join(dir, 'head.json')];
  writeFileSync(basePath, JSON.stringify(synthetic(21, specs)));
  writeFileSync(headPath, JSON.stringify(scaled(synthetic(22, specs), factor)));
  return [basePath, headPath];
}

test('--controls: a runner 30% slower across the board is no regression, and the report says how much slower', () => {
  const [base, head] = controlledPair(() => 1.3);
  const plain = cli('compare', base, head);
  assert.equal(plain.status, 1, 'without controls it is 7 regressions');
  const markdown = cli('compare', base, head, '--controls', '*/moka', '--controls', '*/quick_cache');
  assert.equal(markdown.status, 0, markdown.stdout);
  assert.match(markdown.stdout, /Runner 1\.[23]\dx slower than the baseline's; changes corrected/);
  const json = cli('compare', base, head, '--controls', '*/moka', '--controls', '*/quick_cache', '--format', 'json');
  const report = JSON.parse(json.stdout) as ComparisonJsonReport;
  assert.ok(report.drift?.applied && Math.abs(report.drift.factor - 1.3) < 0.05, JSON.stringify(report.drift));
});

test('--controls: only our benchmarks 20% slower flags every one of them; controls never fail', () => {
  const [base, head] = controlledPair((id) => (id.endsWith('/ours') ? 1.2 : 1));
  const outcome = cli('compare', base, head, '--controls', '*/moka', '--controls', '*/quick_cache', '--format', 'json');
  assert.equal(outcome.status, 1);
  for (const row of rows(outcome))
    assert.equal(row.verdict, row.id.endsWith('/ours') ? 'regression' : 'control', row.id);
  const [base2, head2] = controlledPair((id) => (id.endsWith('/ours') ? 1 : 1.5));
  const file = join(scratch(), 'thresholds.json');
  writeFileSync(file, JSON.stringify({ controls: ['*/moka', '*/quick_cache'] }));
  const controlsSlower = cli('compare', base2, head2, '--thresholds-file', file, '--format', 'json');
  assert.equal(controlsSlower.status, 0, 'controls 50% slower fail nothing');
  assert.ok(
    rows(controlsSlower)
      .filter((row) => !row.id.endsWith('/ours'))
      .every((row) => row.verdict === 'control'),
  );
});

test('markdown report leads with the verdict line and writes to -o', () => {
  const out = join(scratch(), 'report.md');
  const outcome = cli('compare', RESULTS_A, slowed(RESULTS_A, 1.2), '-o', out);
  assert.equal(outcome.status, 1);
  const text = readFileSync(out, 'utf8');
  assert.match(text.split('\n')[2] ?? '', /^❌ \*\*6 regressions\*\*/);
  assert.match(text, /1\.20x slower/);
});

test('report summarizes a single run', () => {
  const outcome = cli('report', RESULTS_A);
  assert.equal(outcome.status, 0, outcome.stderr);
  assert.match(outcome.stdout, /6 benchmarks/);
  assert.match(outcome.stdout, /p95/);
});

for (const file of [
  'fixtures/broken/truncated.json',
  'fixtures/broken/nan-samples.json',
  'fixtures/broken/zero-benchmarks.json',
  'fixtures/broken/zero-benchmarks.txt',
  'fixtures/broken/results-bad-schema.json',
  'fixtures/broken/criterion-missing-sample',
  'fixtures/broken/criterion-nan',
  'fixtures/broken/criterion-empty',
  'fixtures/does-not-exist.json',
]) {
  test(`broken input ${file}: exit 2, one line naming the file, no stack`, () => {
    for (const args of [
      ['parse', file],
      ['compare', RESULTS_A, file],
    ]) {
      const outcome = cli(...args);
      assert.equal(outcome.status, 2, outcome.stderr);
      const lines = outcome.stderr.trim().split('\n');
      assert.equal(lines.length, 1, outcome.stderr);
      assert.ok(lines[0]?.startsWith(`bench-action: ${file}`), outcome.stderr);
      assert.doesNotMatch(outcome.stderr, /\bat .*\.ts:\d+/);
    }
  });
}

test('usage errors exit 64 (not 2, which is bad input) with one line', () => {
  for (const args of [['compare', RESULTS_A], ['frob'], ['compare', RESULTS_A, RESULTS_A, '--bogus']]) {
    const outcome = cli(...args);
    assert.equal(outcome.status, 64);
    assert.equal(outcome.stderr.trim().split('\n').length, 1, outcome.stderr);
  }
});

test('a bad claims file names itself', () => {
  const file = join(scratch(), 'claims.json');
  writeFileSync(file, '{"claims": [{"id": 1}]}');
  const outcome = cli('report', RESULTS_A, '--claims', file);
  assert.equal(outcome.status, 2);
  assert.ok(outcome.stderr.startsWith(`bench-action: ${file}`), outcome.stderr);
});

test('the bundled CLI runs on Node 20 and Node 24 alike', () => {
  const node24 = '.tools/node24/node_modules/node/bin/node';
  assert.ok(existsSync(node24), 'Node 24 is missing: run scripts/setup.sh');
  for (const node of [process.execPath, node24]) {
    const result = spawnSync(node, ['dist/cli.js', 'compare', RESULTS_A, slowed(RESULTS_A, 1.2), '--format', 'json'], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 1, `${node}: ${result.stderr}`);
    assert.equal((JSON.parse(result.stdout) as ComparisonJsonReport).benchmarks.length, 6);
  }
});

test('--history takes a directory of earlier runs and widens noisy verdicts', () => {
  const dir = scratch();
  // Four earlier runs whose medians swing ±25% around the base: that is the base branch's own noise.
  for (const [i, factor] of [0.8, 1.25, 0.85, 1.2].entries()) {
    writeFileSync(join(dir, `run-${i}.json`), readFileSync(slowed(RESULTS_A, factor)));
  }
  const head = slowed(RESULTS_A, 1.2);
  const plain = cli('compare', RESULTS_A, head, '--format', 'json');
  assert.equal(plain.status, 1);
  const aware = cli('compare', RESULTS_A, head, '--history', dir, '--format', 'json');
  assert.equal(aware.status, 0, aware.stderr);
  assert.ok(
    rows(aware).every((row) => row.verdict === 'inconclusive'),
    JSON.stringify(rows(aware).map((r) => r.verdict)),
  );
  const markdown = cli('compare', RESULTS_A, head, '--history', dir);
  assert.match(markdown.stdout, /Too noisy to judge \(6\)/);
  assert.match(markdown.stdout, /run-to-run spread estimated from 5 base-branch runs/);
});

test('--history-dir takes the newest runs of a directory, leaving out the base and head', () => {
  const dir = scratch();
  // Named by time as run_benchmarks.sh names them; the swings are the base branch's own noise.
  for (const [i, factor] of [0.8, 1.25, 0.85, 1.2].entries()) {
    writeFileSync(join(dir, `benchmark_2026010${i}_120000.json`), readFileSync(slowed(RESULTS_A, factor)));
  }
  const base = join(dir, 'benchmark_20260105_120000.json');
  const head = join(dir, 'benchmark_20260106_120000.json');
  writeFileSync(base, readFileSync(RESULTS_A));
  writeFileSync(head, readFileSync(slowed(RESULTS_A, 1.2)));
  writeFileSync(join(dir, 'benchmark_report_20260106_120000.md'), 'not a run');
  writeFileSync(join(dir, 'node_suite.json'), readFileSync(slowed(RESULTS_A, 3)));

  const all = cli('compare', base, head, '--history-dir', dir, '--history-match', 'benchmark_*.json');
  assert.equal(all.status, 0, all.stderr);
  assert.match(all.stdout, /run-to-run spread estimated from 5 base-branch runs/);
  const two = cli(
    'compare',
    base,
    head,
    '--history-dir',
    dir,
    '--history-match',
    'benchmark_*.json',
    '--history-count',
    '2',
    '--no-fail',
  );
  assert.equal(two.status, 0, two.stderr);
  assert.match(two.stdout, /run-to-run spread estimated from 3 base-branch runs/);

  const missing = cli('compare', base, head, '--history-dir', join(dir, 'nope'));
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope: cannot read directory/);
});

test('parse --format forces an adapter; a line the adapter cannot read is a warning, not a lost file', () => {
  const file = join(scratch(), 'bench.log');
  writeFileSync(file, 'test good ... bench: 5 ns/iter (+/- 1)\ntest bad ... bench: lots\n');
  const out = join(scratch(), 'out.json');
  const outcome = cli('parse', file, '--format', 'bencher', '-o', out);
  assert.equal(outcome.status, 0, outcome.stderr);
  assert.match(outcome.stderr, new RegExp(`^bench-action: warning: ${file}: line 2 is not a bench result`, 'm'));
  assert.deepEqual(
    (JSON.parse(readFileSync(out, 'utf8')) as Results).benchmarks.map((b) => b.id),
    ['good'],
  );
  const wrong = cli('parse', file, '--format', 'mitata');
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, new RegExp(`^bench-action: ${file}: invalid JSON`));
  const unknown = cli('parse', file, '--format', 'frob');
  assert.equal(unknown.status, 64, 'an unknown format name is bad usage');
  assert.match(unknown.stderr, /--input-format must be one of criterion, bencher/);
});
