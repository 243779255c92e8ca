/**
 * The action's confirmation round leaves to their instruction counts the
 * wall-time rows whose count decides: a count overrules wall time, so
 * re-measuring them spends the budget on a verdict that cannot change. Before,
 * they were candidates like any other, and the round re-measured them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { confirmFlagged } from '../../src/action/jobs/confirm.ts';
import { analyze, type AnalysisInput } from '../../src/analysis/analyze.ts';
import { runMetaOnce } from '../../src/run/metadata.ts';
import type { BuildSettings } from '../../src/run/settings.ts';
import { scaled, synthetic, type SyntheticSpec } from '../compare/synthetic.ts';
import { recordingLog } from '../support/log.ts';

/** `parse/a` has an instruction count beside its wall time (the counting harness); `parse/b` has none. */
function input(ids: readonly string[]): AnalysisInput {
  const specs: SyntheticSpec[] = [
    ...ids.map((id) => ({ id, median: 1000, logSd: 0.02, samples: 50 })),
    { id: 'parse/a', median: 5000, logSd: 0, samples: 1, unit: 'instructions' },
  ];
  const base = synthetic(51, specs);
  // Wall time 1.5x slower on the head's runner: a regression against the baseline; the count is the same.
  const head = scaled(synthetic(52, specs), (_id, i) => (specs[i]?.unit === 'instructions' ? 1 : 1.5));
  return { base, head, threshold: 0.1 };
}

function context(budgetMinutes: number) {
  // Not a git checkout: a round that tries to run is skipped when it looks for the base commit.
  const nativeDir = mkdtempSync(join(tmpdir(), 'confirm-job-'));
  return {
    budgetMinutes,
    build: { cargoBenchArgs: [], quick: true } as unknown as BuildSettings,
    rust: { nativeDir, targetDir: join(nativeDir, 'target'), env: process.env, meta: runMetaOnce({}) },
    scratch: async () => mkdtempSync(join(tmpdir(), 'confirm-job-scratch-')),
  };
}

describe('the confirmation round and instruction counts', () => {
  it('does not re-measure a wall-time regression whose instruction count decided, and says so', async () => {
    const given = input(['parse/a']);
    const first = analyze(given);
    assert.equal(first.comparison?.rows.find((r) => r.id === 'parse/a' && r.metric === 'time')?.verdict, 'regression');
    const log = recordingLog();
    const after = await confirmFlagged(first, given, context(5), log);
    // No round at all: nothing was left for one (before, a round ran, here skipped for want of a git checkout).
    assert.equal(after.comparison?.confirmationRound, undefined, log.lines.join('\n'));
    assert.ok(
      log.lines.includes(
        'info: Confirmation round not needed: 1 wall-time benchmark the baseline could not clear left to their instruction counts, which decide.',
      ),
      log.lines.join('\n'),
    );
  });

  it('re-measures the others, and the round counts those it left to the counts', async () => {
    const given = input(['parse/a', 'parse/b']);
    const log = recordingLog();
    const after = await confirmFlagged(analyze(given), given, context(5), log);
    const round = after.comparison?.confirmationRound;
    assert.equal(round?.state, 'skipped', log.lines.join('\n'));
    assert.equal(round?.candidates, 1);
    assert.equal(round?.leftToCounts, 1);
    const confirmation = (id: string) =>
      after.comparison?.rows.find((r) => r.id === id && r.metric === 'time')?.confirmation?.status;
    assert.equal(confirmation('parse/b'), 'not-measured');
    assert.equal(confirmation('parse/a'), undefined);
  });

  it("names them in the round's line", () => {
    const given = input(['parse/a', 'parse/b']);
    const pairs = Array.from({ length: 5 }, (_, i) => ({ base: 1000, head: 1000 * (1 + 0.01 * (i - 2)) }));
    const md = analyze({
      ...given,
      confirmation: {
        candidates: ['parse/b'],
        pairs: new Map([['parse/b', pairs]]),
        state: 'complete',
        seconds: 20,
        buildSeconds: 3,
        leftToCounts: 1,
      },
    }).markdown;
    assert.match(
      md,
      /🔁 \*\*Confirmation round\*\*: 1 benchmark the baseline could not clear, measured again on this runner \(1 more left to their instruction counts, which overrule wall time\), /,
    );
  });
});
