import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../src/common/errors.ts';
import { detectFormat, parseInput, parseSource } from '../../src/formats/index.ts';
import { newestRuns } from '../../src/files/history.ts';
import { loadResults } from '../../src/files/load.ts';
import { writeResults } from '../../src/files/write.ts';
import { collectRunMeta, runMetaOnce } from '../../src/run/metadata.ts';
import { validateResults } from '../../src/schema/validate.ts';
import { fixture, readFixture, readTree } from './helpers.ts';

const file = (rel: string) => ({ kind: 'file', path: rel, text: readFixture(rel) }) as const;

test('formats are detected from content', () => {
  assert.equal(detectFormat({ kind: 'directory', path: 'd', files: readTree('criterion-0.4') }), 'criterion');
  assert.equal(detectFormat(file('bencher/criterion-0.8.txt')), 'bencher');
  assert.equal(detectFormat(file('mitata/mitata-1.0.34.json')), 'mitata');
  assert.equal(detectFormat(file('tinybench/tinybench-6.2.5.json')), 'tinybench');
  assert.equal(detectFormat(file('generic/generic.json')), 'generic');
  assert.equal(detectFormat(file('results/criterion-0.8-run-a.json')), 'results');
  const ndjson = '{"reason":"group-complete","group_name":"g","benchmarks":[]}\n';
  assert.equal(detectFormat({ kind: 'file', path: 'cc.json', text: ndjson }), 'cargo-criterion');
  assert.throws(
    () => detectFormat({ kind: 'file', path: 'x.json', text: '{"rows": []}' }),
    (e: unknown) =>
      e instanceof InputError &&
      /^x\.json: unrecognized format: JSON of no known shape .*--input-format NAME/.test(e.message),
  );
  assert.throws(
    () => detectFormat({ kind: 'file', path: 'x.csv', text: 'a,b\n1,2\n' }),
    (e: unknown) => e instanceof InputError && /^x\.csv: unrecognized format/.test(e.message),
  );
});

test('a results file is validated, and schema errors name the JSON path', () => {
  const parsed = parseInput(file('results/criterion-0.8-run-a.json'));
  assert.equal(parsed.format, 'results');
  assert.equal(parseSource(file('results/criterion-0.8-run-a.json')).length, 6);
  assert.throws(
    () => parseSource(file('broken/results-bad-schema.json')),
    (e: unknown) =>
      e instanceof InputError &&
      e.message ===
        'broken/results-bad-schema.json: does not match the results schema at /benchmarks/2/estimates/median: must be number',
  );
});

test('every broken fixture is an InputError whose message names the file', async () => {
  const cases: [string, RegExp][] = [
    ['broken/truncated.json', /truncated JSON at line 16 column 10$/],
    ['broken/nan-samples.json', /NaN or Infinity in JSON at line 10 column 9/],
    ['broken/zero-benchmarks.json', /no benchmarks found$/],
    ['broken/zero-benchmarks.txt', /no benchmarks found/],
    ['broken/results-bad-schema.json', /at \/benchmarks\/2\/estimates\/median/],
    ['broken/criterion-empty', /no Criterion benchmarks found/],
    ['broken/criterion-missing-sample', /missing fib\/iter\/40\/new\/sample\.json for benchmark 'fib\/iter\/40'/],
    ['broken/criterion-nan', /lone_fn\/new\/estimates\.json: NaN in median\.point_estimate/],
    ['does-not-exist.json', /: no such file or directory$/],
  ];
  for (const [rel, pattern] of cases) {
    const path = fixture(rel);
    await assert.rejects(loadResults(path, runMetaOnce()), (e: unknown) => {
      assert.ok(e instanceof InputError, `${rel}: ${String(e)}`);
      assert.ok(e.message.startsWith(path), `${rel}: message names the file: ${e.message}`);
      assert.match(e.message, pattern);
      assert.doesNotMatch(e.message, /\n/);
      return true;
    });
  }
});

test('an empty directory and a directory without Criterion output are rejected', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-empty-'));
  try {
    await assert.rejects(loadResults(dir, runMetaOnce()), (e: unknown) => e instanceof InputError && e.file === dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('raw output is wrapped with run metadata; results survive a write/load round trip', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-load-'));
  try {
    const loaded = await loadResults(
      fixture('criterion-0.8/run-b'),
      runMetaOnce({ commit: 'abc123', ref: 'refs/pull/7/merge' }),
    );
    assert.equal(validateResults(loaded).ok, true);
    assert.equal(loaded.run.commit, 'abc123');
    assert.equal(loaded.run.ref, 'refs/pull/7/merge');
    assert.equal(loaded.run.versions.node, process.versions.node);
    assert.equal(loaded.benchmarks.length, 6);

    const out = join(dir, 'nested', 'results.json');
    await writeResults(out, loaded);
    assert.deepEqual(await loadResults(out, runMetaOnce()), loaded);
    // Only the final file remains: the temporary one was renamed over it.
    assert.deepEqual(await readdir(join(dir, 'nested')), ['results.json']);

    const before = await readFile(out, 'utf8');
    const invalid = structuredClone(loaded);
    invalid.benchmarks[0]!.samples = [Number.NaN];
    await assert.rejects(
      writeResults(out, invalid),
      (e: unknown) => e instanceof InputError && /refusing to write: .*\/benchmarks\/0\/samples/.test(e.message),
    );
    assert.equal(await readFile(out, 'utf8'), before, 'a rejected write leaves the old file intact');

    await mkdir(join(dir, 'crit', 'g', 'new'), { recursive: true });
    for (const name of ['benchmark', 'estimates', 'sample']) {
      await writeFile(
        join(dir, 'crit', 'g', 'new', `${name}.json`),
        readFixture(`criterion-0.8/run-a/lone_fn/new/${name}.json`),
      );
    }
    const nested = await loadResults(join(dir, 'crit'), runMetaOnce());
    assert.deepEqual(
      nested.benchmarks.map((b) => b.id),
      ['lone_fn'],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('run metadata: overrides win, versions merge, runner describes this machine', () => {
  const meta = collectRunMeta({ commit: 'c0ffee', versions: { criterion: '0.8.2' } });
  assert.equal(meta.commit, 'c0ffee');
  assert.equal(meta.versions.criterion, '0.8.2');
  assert.equal(meta.versions.node, process.versions.node);
  assert.equal(meta.tool.name, 'bench-action');
  assert.ok(meta.runner && meta.runner.cores >= 1);
  assert.ok(!Number.isNaN(Date.parse(meta.timestamp)));
});

test('run metadata is collected once per run, and only for raw tool output', async () => {
  let collected = 0;
  const meta = () => {
    collected++;
    return collectRunMeta({ commit: 'c0ffee' });
  };
  const results = await loadResults(fixture('results/criterion-0.8-run-a.json'), meta);
  assert.equal(collected, 0, 'a results file keeps its own metadata');
  assert.ok(results.benchmarks.length > 0);

  const once = runMetaOnce({ commit: 'c0ffee' });
  const a = await loadResults(fixture('criterion-0.8/run-a'), once);
  const b = await loadResults(fixture('criterion-0.8/run-b'), once);
  assert.deepEqual(a.run, b.run, 'both raw inputs carry the one collection');
  assert.notEqual(a.run, b.run, 'each document has its own copy');
  assert.equal(once(), once());
});

test('newestRuns: the newest matching names, oldest first, without the excluded', () => {
  const names = ['benchmark_3.json', 'benchmark_1.json', 'report.md', 'benchmark_4.json', 'benchmark_2.json'];
  const json = (count: number) => ({ count, match: '*.json' });
  assert.deepEqual(newestRuns(names, json(2), new Set()), ['benchmark_3.json', 'benchmark_4.json']);
  assert.deepEqual(newestRuns(names, json(2), new Set(['benchmark_4.json'])), ['benchmark_2.json', 'benchmark_3.json']);
  assert.deepEqual(newestRuns(names, json(10), new Set(['benchmark_4.json', 'benchmark_3.json'])), [
    'benchmark_1.json',
    'benchmark_2.json',
  ]);
  // Other results in the same directory (the Node suite's own file) are not runs of the series.
  assert.deepEqual(newestRuns([...names, 'node_suite.json'], { count: 2, match: 'benchmark_*.json' }, new Set()), [
    'benchmark_3.json',
    'benchmark_4.json',
  ]);
});
