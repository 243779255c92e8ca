import { ownTargetDir } from '../support/env.ts';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compare } from '../../src/compare/index.ts';
import type { Log } from '../../src/common/log.ts';
import { runMetaOnce } from '../../src/run/metadata.ts';
import { roundOrder, runSameRunner } from '../../src/run/same-runner.ts';
import { createSpinRepo } from '../support/spin-workspace.ts';

function recordingLog(): Log & { groups: string[] } {
  const groups: string[] = [];
  return {
    groups,
    info: () => {},
    warning: () => {},
    error: () => {},
    async group(name, work) {
      groups.push(name);
      return work();
    },
  };
}

test('rounds alternate which side goes first', () => {
  assert.deepEqual([0, 1, 2, 3].map(roundOrder), [
    ['base', 'head'],
    ['head', 'base'],
    ['base', 'head'],
    ['head', 'base'],
  ]);
});

test(
  'same-runner builds the base in a worktree, interleaves rounds, and sees a real 5x slowdown',
  { timeout: 240_000 },
  async () => {
    const repo = createSpinRepo(2_000, 10_000);
    const log = recordingLog();
    // Quiet cargo: the test's own output should stay readable.
    const result = await runSameRunner(
      {
        nativeDir: repo.nativeDir,
        baseSha: repo.baseSha,
        rounds: 3,
        quick: false,
        userArgs: [],
        env: ownTargetDir(),
        scratch: mkdtempSync(join(tmpdir(), 'bench-sr-')),
        meta: runMetaOnce({ commit: repo.headSha }),
      },
      log,
    );
    assert.deepEqual(
      log.groups.filter((name) => name.startsWith('Round')),
      [
        'Round 1/3: base',
        'Round 1/3: head',
        'Round 2/3: head',
        'Round 2/3: base',
        'Round 3/3: base',
        'Round 3/3: head',
      ],
    );
    assert.equal(result.base.run.commit, repo.baseSha);
    assert.equal(result.head.run.commit, repo.headSha);
    // Three rounds of 40 samples per side, pooled. Three rounds, not two: the
    // spread between rounds is estimated with 4 degrees of freedom instead of 2,
    // and a 5x change stays clear of it even when the machine is saturated.
    assert.equal(result.base.benchmarks[0]?.samples?.length, 120);
    const ratio =
      (result.head.benchmarks[0]?.estimates.median ?? 0) / (result.base.benchmarks[0]?.estimates.median ?? 1);
    assert.ok(ratio > 3 && ratio < 8, `head/base = ${ratio}`);
    const comparison = compare(result.base, result.head, { threshold: 0.1, noise: result.noise });
    assert.equal(comparison.rows[0]?.verdict, 'regression');
  },
);
