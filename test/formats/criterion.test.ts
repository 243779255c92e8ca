import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/common/errors.ts';
import { isCriterionFile, parseCriterion } from '../../src/formats/criterion.ts';
import { readJson, readTree, type CriterionEstimates, type CriterionSample } from './helpers.ts';

const IDS = ['checksum/sum 1KiB/u8', 'count/nonzero', 'fib/iter/10', 'fib/iter/40', 'flat/sleepless_loop', 'lone_fn'];

for (const dir of ['criterion-0.8/run-a', 'criterion-0.8/run-b', 'criterion-0.4', 'criterion-0.3']) {
  test(`${dir}: ids come from full_id, estimates and samples from the new/ files`, () => {
    const benchmarks = parseCriterion(dir, readTree(dir));
    assert.deepEqual(
      benchmarks.map((b) => b.id),
      IDS,
    );

    // The sanitized directory is "sum 1KiB_u8"; the id keeps the real name.
    const checksum = benchmarks[0]!;
    assert.deepEqual([checksum.group, checksum.function, checksum.parameter], ['checksum', 'sum 1KiB/u8', null]);
    assert.deepEqual(checksum.throughput, { kind: 'bytes', perIteration: 1024 });
    assert.deepEqual(benchmarks[1]!.throughput, { kind: 'elements', perIteration: 1024 });

    const fib = benchmarks[2]!;
    assert.deepEqual([fib.group, fib.function, fib.parameter], ['fib', 'iter', '10']);
    const est = readJson<CriterionEstimates>(`${dir}/fib/iter/10/new/estimates.json`);
    const sample = readJson<CriterionSample>(`${dir}/fib/iter/10/new/sample.json`);
    assert.equal(sample.sampling_mode, 'Linear');
    assert.equal(fib.estimates.median, est.median!.point_estimate);
    assert.equal(fib.estimates.mean, est.mean!.point_estimate);
    assert.equal(fib.estimates.stdDev, est.std_dev!.point_estimate);
    // Linear sampling: the headline interval is the slope's.
    assert.equal(fib.estimates.ci?.lower, est.slope!.confidence_interval.lower_bound);
    assert.equal(fib.estimates.ci?.level, 0.95);
    assert.equal(fib.samples?.length, sample.times.length);
    assert.equal(fib.samples?.[3], sample.times[3]! / sample.iters[3]!);
    assert.equal(fib.unit, 'ns');
    assert.equal(fib.direction, 'lower');
    assert.equal(fib.source, 'criterion');

    const lone = benchmarks[5]!;
    assert.deepEqual([lone.group, lone.function, lone.parameter], ['lone_fn', null, null]);
  });
}

test('flat sampling has no slope: the interval is the mean', () => {
  const benchmarks = parseCriterion('run-a', readTree('criterion-0.8/run-a'));
  const flat = benchmarks.find((b) => b.id === 'flat/sleepless_loop')!;
  const est = readJson<CriterionEstimates>('criterion-0.8/run-a/flat/sleepless_loop/new/estimates.json');
  const sample = readJson<CriterionSample>('criterion-0.8/run-a/flat/sleepless_loop/new/sample.json');
  assert.equal(sample.sampling_mode, 'Flat');
  assert.equal(est.slope, null);
  assert.deepEqual(flat.estimates.ci, {
    lower: est.mean!.confidence_interval.lower_bound,
    upper: est.mean!.confidence_interval.upper_bound,
    level: est.mean!.confidence_interval.confidence_level,
  });
  assert.deepEqual(
    flat.samples,
    sample.times.map((time, i) => time / sample.iters[i]!),
  );
});

test('base/, change/, report/ and other baselines are ignored', () => {
  const files = readTree('criterion-0.8/run-a');
  const garbage = '{"this is": "not a criterion file"';
  files.set('fib/iter/10/base/estimates.json', garbage);
  files.set('fib/iter/10/change/estimates.json', garbage);
  files.set('fib/iter/10/main/benchmark.json', garbage);
  files.set('report/index.json', garbage);
  const before = parseCriterion('run-a', readTree('criterion-0.8/run-a'));
  assert.deepEqual(parseCriterion('run-a', files), before);
  assert.equal(isCriterionFile('fib/iter/10/base/estimates.json'), false);
  assert.equal(isCriterionFile('fib/iter/10/new/tukey.json'), false);
  assert.equal(isCriterionFile('fib/iter/10/new/sample.json'), true);
});

test('Criterion 0.2: PascalCase estimates and [iters, times] samples parse like the current layout', () => {
  const benchmarks = parseCriterion('criterion-0.2', readTree('criterion-0.2'));
  assert.deepEqual(
    benchmarks.map((b) => b.id),
    ['checksum/sum 1KiB/u8', 'fib/iter/10', 'fib/iter/40', 'lone_fn'],
  );
  const est = readJson<CriterionEstimates>('criterion-0.2/fib/iter/40/new/estimates.json');
  const [iters, times] = readJson<[number[], number[]]>('criterion-0.2/fib/iter/40/new/sample.json');
  assert.ok('Median' in est && !('median' in est), 'the 0.2 fixture uses PascalCase keys');
  const fib = benchmarks[2]!;
  assert.equal(fib.estimates.median, est.Median!.point_estimate);
  assert.equal(fib.estimates.mean, est.Mean!.point_estimate);
  assert.equal(fib.estimates.stdDev, est.StdDev!.point_estimate);
  assert.equal(fib.estimates.ci?.upper, est.Slope!.confidence_interval.upper_bound);
  assert.equal(fib.samples?.[5], times[5]! / iters[5]!);
  assert.deepEqual(benchmarks[0]!.throughput, { kind: 'bytes', perIteration: 1024 });
});

test('broken Criterion directories name the file and the problem', () => {
  assert.throws(
    () => parseCriterion('missing', readTree('broken/criterion-missing-sample')),
    (e: unknown) =>
      e instanceof InputError &&
      /^missing: missing fib\/iter\/40\/new\/sample\.json for benchmark 'fib\/iter\/40'$/.test(e.message),
  );
  assert.throws(
    () => parseCriterion('nan', readTree('broken/criterion-nan')),
    (e: unknown) =>
      e instanceof InputError &&
      e.file === 'nan/lone_fn/new/estimates.json' &&
      /NaN in median\.point_estimate/.test(e.message),
  );
  assert.throws(
    () => parseCriterion('empty', readTree('broken/criterion-empty')),
    (e: unknown) => e instanceof InputError && e.file === 'empty' && /no Criterion benchmarks found/.test(e.message),
  );
  const truncated = readTree('criterion-0.8/run-a');
  truncated.set('lone_fn/new/sample.json', truncated.get('lone_fn/new/sample.json')!.slice(0, 40));
  assert.throws(
    () => parseCriterion('t', truncated),
    (e: unknown) =>
      e instanceof InputError && e.message === 't/lone_fn/new/sample.json: truncated JSON at line 1 column 41',
  );
});
