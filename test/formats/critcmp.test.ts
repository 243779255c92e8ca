import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/common/errors.ts';
import { detectFormat, parseCritcmp, parseCriterion, parseInput } from '../../src/formats/index.ts';
import { readFixture, readTree } from './helpers.ts';

const EXPORT = 'critcmp/critcmp-0.1.8-new.json';
const RUN = 'criterion-text/criterion-0.8-run';

test("critcmp --export of a real Criterion run reads as that run's own directory does, without samples", () => {
  const text = readFixture(EXPORT);
  assert.equal(detectFormat({ kind: 'file', path: 'new.json', text }), 'critcmp');
  const exported = parseCritcmp('new.json', text);
  const dir = parseCriterion(RUN, readTree(RUN));
  assert.deepEqual(exported.map((b) => b.id).sort(), dir.map((b) => b.id).sort());
  for (const b of exported) {
    const d = dir.find((x) => x.id === b.id)!;
    // critcmp re-serializes Criterion's f64s: the last digit may differ.
    const close = (x: number | undefined, y: number | undefined) =>
      assert.ok(Math.abs((x ?? NaN) - (y ?? NaN)) <= 1e-12 * Math.abs(y ?? 0), `${b.id}: ${x} vs ${y}`);
    close(b.estimates.median, d.estimates.median);
    close(b.estimates.mean, d.estimates.mean);
    close(b.estimates.stdDev ?? undefined, d.estimates.stdDev ?? undefined);
    close(b.estimates.ci?.lower, d.estimates.ci?.lower);
    close(b.estimates.ci?.upper, d.estimates.ci?.upper);
    assert.equal(b.estimates.ci?.level, d.estimates.ci?.level);
    const rest = (x: typeof b) => ({ ...x, estimates: null, samples: null });
    assert.deepEqual(rest(b), rest(d), b.id);
    assert.equal(b.samples, null);
  }
});

test('critcmp: a damaged entry names the benchmark and what is missing', () => {
  const doc = JSON.parse(readFixture(EXPORT)) as {
    benchmarks: Record<string, { criterion_estimates_v1: Record<string, unknown> }>;
  };
  delete doc.benchmarks['lone_fn']!.criterion_estimates_v1['median'];
  assert.throws(
    () => parseInput({ kind: 'file', path: 'x.json', text: JSON.stringify(doc) }),
    (e: unknown) => e instanceof InputError && e.message === 'x.json: benchmarks["lone_fn"]: missing median',
  );
});
