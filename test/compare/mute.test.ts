/**
 * Muting (thresholds file `mute`): a noisy benchmark is measured and shown but
 * never fails the build, until its `until` day has passed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../src/analysis/analyze.ts';
import { compare } from '../../src/compare/index.ts';
import type { MuteRule } from '../../src/compare/types.ts';
import type { Results } from '../../src/schema/types.ts';
import { cli } from '../support/cli.ts';
import { scaled, synthetic, type SyntheticSpec } from './synthetic.ts';

const specs: SyntheticSpec[] = ['noisy/a', 'noisy/b', 'steady/c', 'steady/d'].map((id) => ({
  id,
  median: 1000,
  logSd: 0.01,
}));
const base = synthetic(1, specs);
// noisy/a 50% slower, everything else the same.
const head = scaled(synthetic(2, specs), (_, i) => (i === 0 ? 1.5 : 1));
const mute: MuteRule = { pattern: 'noisy/*', reason: 'noisy on shared runners', until: '2026-12-31' };

function file(results: Results): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bench-mute-')), 'r.json');
  writeFileSync(path, JSON.stringify(results));
  return path;
}

describe('a muted benchmark', () => {
  it('is a regression without the mute', () => {
    const row = compare(base, head).rows.find((r) => r.id === 'noisy/a');
    assert.equal(row?.verdict, 'regression');
  });

  it('keeps its numbers, gets the verdict muted and remembers what it would have been', () => {
    const comparison = compare(base, head, { mutes: [mute] });
    const row = comparison.rows.find((r) => r.id === 'noisy/a');
    assert.equal(row?.verdict, 'muted');
    assert.deepEqual(row?.muted, { verdict: 'regression', reason: 'noisy on shared runners', until: '2026-12-31' });
    assert.ok(row.change !== null && row.change > 1.4);
    assert.equal(comparison.summary.counts.regression, 0);
    assert.equal(comparison.summary.counts.muted, 2);
    assert.equal(comparison.summary.inCommon, 4);
    assert.equal(comparison.rows.find((r) => r.id === 'steady/c')?.verdict, 'unchanged');
  });

  it('a mute for another metric leaves wall time alone', () => {
    const comparison = compare(base, head, { mutes: [{ ...mute, metric: 'instructions' }] });
    assert.equal(comparison.rows.find((r) => r.id === 'noisy/a')?.verdict, 'regression');
  });

  it('is shown in a Muted section with its reason and the verdict it would have had; the build passes', () => {
    const analysis = analyze({ base, head, threshold: 0.1, mutes: [mute], today: '2026-12-06' });
    assert.equal(analysis.regressions, 0);
    assert.match(
      analysis.markdown,
      /✅ \*\*No regressions\*\* over the threshold 10% · 2 unchanged · 2 muted · 4 benchmarks/,
    );
    assert.match(analysis.markdown, /#### Muted \(2\)/);
    assert.match(
      analysis.markdown,
      /\| noisy\/a \| ❌ regression \| 1\.\d\dx slower \(\+\d+\.\d%\) \| noisy on shared runners \| 2026-12-31 \|/,
    );
    assert.match(analysis.markdown, /\| noisy\/a \| 🔇 muted \|/, 'the full table too');
  });

  it('counts again the day after its until, and the report says the mute expired', () => {
    const analysis = analyze({ base, head, threshold: 0.1, mutes: [mute], today: '2027-01-01' });
    assert.equal(analysis.regressions, 1);
    assert.match(
      analysis.markdown.split('\n').slice(0, 8).join('\n'),
      /⏰ The mute of noisy\/\\\* \(noisy on shared runners\) expired after 2026-12-31: its benchmarks count again\./,
    );
    assert.equal(
      analyze({ base, head, threshold: 0.1, mutes: [mute], today: '2026-12-31' }).regressions,
      0,
      'its last day still holds',
    );
  });

  it('a muted missing benchmark is not missing, and the CLI exits 0 on a muted regression', () => {
    const fewer = synthetic(2, specs.slice(0, 3));
    const comparison = compare(base, fewer, {
      mutes: [{ pattern: 'steady/d', reason: 'removed on purpose', until: null }],
    });
    assert.equal(comparison.summary.counts.missing, 0);
    const dir = mkdtempSync(join(tmpdir(), 'bench-mute-t-'));
    const thresholds = join(dir, 'thresholds.json');
    writeFileSync(thresholds, JSON.stringify({ mute: [{ pattern: 'noisy/*', reason: 'noisy on shared runners' }] }));
    const [b, h] = [file(base), file(head)];
    assert.equal(cli('compare', b, h).status, 1);
    const muted = cli('compare', b, h, '--thresholds-file', thresholds);
    assert.equal(muted.status, 0, muted.stderr);
    assert.match(muted.stdout, /#### Muted \(2\)/);
  });
});
