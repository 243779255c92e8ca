// Metrics other than time (rates, bytes, counts) keep their unit and direction
// from the adapter through compare and the report: a drop in JMH throughput and
// a rise in bytes allocated per operation are both regressions, in their units.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare } from '../../src/compare/compare.ts';
import { worsening } from '../../src/compare/verdict.ts';
import { readJmh } from '../../src/formats/jmh.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { SCHEMA_VERSION, type Benchmark, type Results } from '../../src/schema/types.ts';
import { runMeta } from '../compare/synthetic.ts';
import { readFixture } from './helpers.ts';

function results(commit: string, benchmarks: Benchmark[]): Results {
  return { schemaVersion: SCHEMA_VERSION, run: runMeta(commit), benchmarks };
}

function scaled(b: Benchmark, factor: number): Benchmark {
  const ci = b.estimates.ci;
  return {
    ...b,
    estimates: {
      ...b.estimates,
      median: b.estimates.median * factor,
      mean: b.estimates.mean * factor,
      ci: ci && { ...ci, lower: ci.lower * factor, upper: ci.upper * factor },
    },
    samples: b.samples?.map((v) => v * factor) ?? null,
  };
}

test('JMH ops/us (higher is better) and B/op (lower is better) keep unit and direction through compare and report', () => {
  const base = readJmh('jmh.json', readFixture('jmh/jmh-1.37.json')).benchmarks;
  const head = base.map((b) =>
    b.metric === 'ops/us' ? scaled(b, 1 / 4) : b.metric === 'gc.alloc.rate.norm' ? scaled(b, 4) : b,
  );
  const comparison = compare(results('a'.repeat(40), base), results('b'.repeat(40), head), { threshold: 0.1 });
  const rate = comparison.rows.filter((r) => r.metric === 'ops/us');
  const bytes = comparison.rows.filter((r) => r.metric === 'gc.alloc.rate.norm' && r.id.includes('boxed'));
  assert.equal(rate.length, 4);
  assert.equal(bytes.length, 2);
  for (const row of [...rate, ...bytes]) {
    assert.equal(row.unit, row.metric === 'ops/us' ? 'ops/us' : 'B/op');
    assert.equal(row.direction, row.metric === 'ops/us' ? 'higher' : 'lower');
    assert.ok(
      row.change !== null && worsening(row.change, row.direction) > 3,
      `${row.id} [${row.metric}]: ${row.change}`,
    );
    assert.notEqual(row.verdict, 'improvement');
  }
  const markdown = renderMarkdown(comparison);
  assert.match(markdown, /ops\/us/);
  assert.match(markdown, /B\/op/);
});
