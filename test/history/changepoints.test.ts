import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32, normalDraw } from '../../src/compare/stats/rng.ts';
import { detectChangePoints, differenceSd, pelt } from '../../src/history/changepoints.ts';
import { history, mediansOf } from './support.ts';

/** Exhaustive optimal partitioning (Jackson et al. 2005), the unpruned reference PELT must agree with. */
function optimalPartitioning(y: number[], sd: number, beta: number, minSegment: number): number[] {
  const n = y.length;
  const cost = (a: number, b: number) => {
    const seg = y.slice(a, b);
    const mean = seg.reduce((s, x) => s + x, 0) / seg.length;
    return seg.reduce((s, x) => s + (x - mean) ** 2, 0) / (sd * sd);
  };
  const best: number[] = [-beta];
  const last: number[] = [-1];
  for (let t = 1; t <= n; t++) {
    best[t] = Infinity;
    last[t] = -1;
    for (let tau = 0; tau <= t - minSegment; tau++) {
      if (tau !== 0 && tau < minSegment) continue;
      const total = best[tau]! + cost(tau, t) + beta;
      if (total < best[t]!) {
        best[t] = total;
        last[t] = tau;
      }
    }
  }
  const starts: number[] = [];
  for (let t = n; t > 0 && last[t]! > 0; t = last[t]!) starts.push(last[t]!);
  return starts.reverse();
}

test('PELT finds the same segmentation as exhaustive optimal partitioning', () => {
  const rng = mulberry32(5);
  for (let trial = 0; trial < 60; trial++) {
    const n = 8 + Math.floor(rng() * 60);
    const levels = [0, 0.3, -0.2, 0.5];
    const y = Array.from(
      { length: n },
      (_, i) => levels[Math.floor((i * levels.length) / n)]! * (trial % 3) + 0.1 * normalDraw(rng),
    );
    const beta = 2 + rng() * 10;
    const minSegment = 1 + (trial % 3);
    assert.deepEqual(pelt(y, 0.1, beta, minSegment), optimalPartitioning(y, 0.1, beta, minSegment), `trial ${trial}`);
  }
});

test('a 10% step in a 30-run history is found within 3 runs of where it was injected', () => {
  for (const at of [10, 20, 27]) {
    for (let seed = 1; seed <= 20; seed++) {
      const runs = history(
        30,
        [{ id: 'cache_get_warm/sark_cache', median: 250, logSd: 0.02, step: { at, factor: 1.1 } }],
        seed,
      );
      const points = detectChangePoints(mediansOf(runs, 'cache_get_warm/sark_cache'));
      assert.equal(points.length, 1, `step at ${at}, seed ${seed}: ${JSON.stringify(points)}`);
      assert.ok(Math.abs(points[0]!.index - at) <= 3, `step at ${at}, found at ${points[0]!.index}`);
      assert.ok(Math.abs(points[0]!.change - 0.1) < 0.04, `change ${points[0]!.change}`);
    }
  }
});

test('nothing is reported on histories without a step', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const runs = history(30, [{ id: 'flat', median: 250, logSd: 0.02 }], seed);
    assert.deepEqual(detectChangePoints(mediansOf(runs, 'flat')), [], `seed ${seed}`);
  }
});

test('exact series: a step under minChange is not reported, one above it is', () => {
  const flat = Array.from({ length: 30 }, () => 1_000_000);
  assert.deepEqual(detectChangePoints(flat), []);
  const small = flat.map((v, i) => (i >= 20 ? v * 1.01 : v));
  assert.deepEqual(detectChangePoints(small), []);
  const big = flat.map((v, i) => (i >= 20 ? v * 1.05 : v));
  const points = detectChangePoints(big);
  assert.equal(points.length, 1);
  assert.equal(points[0]!.index, 20);
  assert.ok(Math.abs(points[0]!.change - 0.05) < 1e-9);
});

test('one outlier run is not a change point; short or broken series give none', () => {
  const rng = mulberry32(9);
  const y = Array.from({ length: 30 }, () => 100 * Math.exp(0.02 * normalDraw(rng)));
  y[15] = 180;
  assert.deepEqual(detectChangePoints(y), []);
  assert.deepEqual(detectChangePoints([1, 1, 2, 2]), []);
  assert.deepEqual(detectChangePoints([...y.slice(0, 10), 0, ...y.slice(10)]), []);
});

test('the sd from first differences barely moves with a level shift, unlike the plain sd', () => {
  const rng = mulberry32(2);
  const y = Array.from({ length: 100 }, (_, i) => (i >= 50 ? 0.1 : 0) + 0.02 * normalDraw(rng));
  const sd = differenceSd(y);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const plain = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / (y.length - 1));
  assert.ok(sd > 0.016 && sd < 0.026, `sd ${sd}`);
  assert.ok(plain > 0.045, `plain sd ${plain}`);
});
