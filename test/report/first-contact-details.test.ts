/** Details a first-time user notices (issue #17, item 7): each has its test here or in the e2e suites. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderRunReport } from '../../src/report/run-report.ts';
import { saveCargoCache } from '../../src/run/cargo-cache.ts';
import { medianInterval } from '../../src/common/sample.ts';
import { validateResults } from '../../src/schema/validate.ts';
import type { Results } from '../../src/schema/types.ts';
import { readFileSync } from 'node:fs';
import { REPO_ROOT } from '../support/action-runner.ts';
import { recordingLog } from '../support/log.ts';

describe('the median and its interval', () => {
  it('the order-statistic interval matches the binomial table (n=20: ranks 6 and 15; n=100: 40 and 61)', () => {
    const ranks = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    assert.deepEqual(medianInterval(ranks(20)), { lower: 6, upper: 15, level: 0.95 });
    assert.deepEqual(medianInterval(ranks(100)), { lower: 40, upper: 61, level: 0.95 });
    assert.deepEqual(medianInterval(ranks(6)), { lower: 1, upper: 6, level: 0.95 });
    assert.equal(medianInterval(ranks(5)), null, 'no 95% interval exists from 5 values');
    const big = medianInterval(ranks(100_000));
    assert.ok(big && big.lower < 50_000 && big.upper > 50_001 && big.upper - big.lower < 700, JSON.stringify(big));
  });

  it("a one-run table shows the median's own interval, so the median sits inside its CI column", () => {
    const results = JSON.parse(
      readFileSync(join(REPO_ROOT, 'fixtures', 'results', 'criterion-0.8-run-a.json'), 'utf8'),
    ) as unknown;
    const outcome = validateResults(results);
    assert.ok(outcome.ok);
    const report = renderRunReport(outcome.value, { pairs: [] });
    assert.match(report, /\| Benchmark \| Median \| p95 \| p99 \| Median 95% CI \| Throughput \| Samples \|/);
    for (const b of outcome.value.benchmarks) {
      const ci = medianInterval([...(b.samples ?? [])].sort((x, y) => x - y));
      assert.ok(
        ci && ci.lower <= b.estimates.median && b.estimates.median <= ci.upper,
        `${b.id}: median ${b.estimates.median} in ${JSON.stringify(ci)}`,
      );
    }
  });

  it('the footer names each tool once, also for results that stored "rustc 1.95.0" under rustc', () => {
    const results = validateResults(
      JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', 'results', 'criterion-0.8-run-a.json'), 'utf8')) as unknown,
    );
    assert.ok(results.ok);
    const run: Results = {
      ...results.value,
      run: {
        ...results.value.run,
        versions: { rustc: 'rustc 1.95.0 (59807616e 2026-04-14)', cargo: '1.95.0 (f2d3ce0bd 2026-03-21)' },
      },
    };
    const footer = renderRunReport(run, { pairs: [] }).trimEnd().split('\n').at(-1) ?? '';
    assert.equal(footer, '<sub>rustc 1.95.0 (59807616e 2026-04-14) · cargo 1.95.0 (f2d3ce0bd 2026-03-21)</sub>');
  });
});

describe('the post step', () => {
  it('does not log "Cargo cache saved" when @actions/cache answered -1 after "Failed to save"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-cache-'));
    const values = new Map([
      ['cargo-cache-key', 'bench-action-cargo-linux-x64-1.95.0-abc'],
      ['cargo-cache-paths', JSON.stringify([dir])],
      ['cargo-cache-hit', ''],
    ]);
    const state = {
      set: (name: string, value: string) => void values.set(name, value),
      get: (name: string) => values.get(name) ?? '',
    };
    const service = (id: number) => ({
      isFeatureAvailable: () => true,
      restoreCache: async () => undefined,
      saveCache: async () => id,
    });
    const failed = recordingLog();
    await saveCargoCache(failed, { state, service: service(-1) });
    assert.deepEqual(failed.lines, [
      'info: Cargo cache bench-action-cargo-linux-x64-1.95.0-abc was not saved (see the message above); the next run restores an older entry or builds from scratch.',
    ]);
    const saved = recordingLog();
    await saveCargoCache(saved, { state, service: service(42) });
    assert.deepEqual(saved.lines, ['info: Cargo cache saved as bench-action-cargo-linux-x64-1.95.0-abc.']);
  });
});
