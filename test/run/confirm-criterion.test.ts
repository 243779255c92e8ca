/**
 * The confirmation round's shell against real Criterion: the fixture crate on
 * Criterion 0.3.0 (clap 2, a substring filter), 0.3.6 (clap 2, a regex) and on
 * 0.5.1 (clap 4), in a git repository of two commits, with a filter of the
 * user's own in cargo-bench-args. Before, the round appended its filter to the
 * user's and Criterion refused the second positional, so the round never ran
 * for anyone who restricts the suite; and on 0.3.0 and older the round's
 * anchored regex was a substring no id contains, so every run measured
 * nothing, silently. The crates build into this file's own test target directory (criterionTarget), as
 * the first-contact e2e does, so Criterion compiles once per file; the base
 * build starts from a copy of it, as the action's does from the head's.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { filteredBenchArgs } from '../../src/run/confirm-args.ts';
import { confirmOnRunner } from '../../src/run/confirm.ts';
import { runMetaOnce } from '../../src/run/metadata.ts';
import { createCriterionRepo, criterionTarget } from '../support/criterion-workspace.ts';
import { recordingLog } from '../support/log.ts';

/** This file's own target directory (cargo's lock and Criterion's results are this file's alone). */
const TARGET = criterionTarget('confirm-criterion');

const ID = 'parse_digits/12';

/** A second benchmark whose id contains ID: Criterion 0.3.0's substring filter `parse_digits/12` runs both. */
function withContainingId(root: string): void {
  const bench = join(root, 'benches', 'parse.rs');
  const source = readFileSync(bench, 'utf8');
  const one = /^(\s*)c\.bench_function\("parse_digits\/12".*$/m.exec(source);
  assert.ok(one, source);
  const second = `${one[1]}c.bench_function("parse_digits/120", |b| b.iter(|| parse_digits(black_box(&[b'1'; 120]))));`;
  writeFileSync(bench, source.replace(one[0], `${one[0]}\n${second}`));
}
const USER_ARGS = ['--', 'parse_digits'];

describe("the confirmation round on real Criterion, with the user's filter", { concurrency: 1 }, () => {
  for (const [version, fixture] of [
    ['0.3.0', 'criterion-0.3.0'],
    ['0.3.6', 'criterion-0.3'],
    ['0.5.1', 'criterion-0.5'],
  ] as const) {
    it(
      `runs on Criterion ${version}, where the old composition of filters was refused`,
      { timeout: 900_000 },
      async () => {
        const repo = createCriterionRepo('main', fixture, version === '0.3.0' ? withContainingId : undefined);
        const env = { ...process.env, CARGO_TARGET_DIR: TARGET };
        // The head's build, as the action's benchmark step leaves it.
        const built = spawnSync('cargo', ['bench', '--no-run'], { cwd: repo.root, env, encoding: 'utf8' });
        assert.equal(built.status, 0, built.stderr.slice(-2000));

        // What the round ran before: the user's filter and its own, two positionals.
        const old = spawnSync('cargo', ['bench', '--bench', '*', '--', 'parse_digits', `^(${ID})$`], {
          cwd: repo.root,
          env: { ...env, CRITERION_HOME: mkdtempSync(join(tmpdir(), 'crit-old-')) },
          encoding: 'utf8',
        });
        assert.notEqual(old.status, 0, 'Criterion accepted two filters');
        assert.match(old.stderr, /wasn't expected|unexpected argument/);
        assert.deepEqual(filteredBenchArgs(USER_ARGS, [], [ID]), [
          'bench',
          '--bench',
          '*',
          '--',
          '^(parse_digits/12)$',
        ]);
        if (version === '0.3.0') {
          // What the round's filter did on a substring Criterion: a run that succeeds and measures nothing.
          const regex = spawnSync('cargo', ['bench', '--bench', '*', '--', `^(${ID})$`], {
            cwd: repo.root,
            env,
            encoding: 'utf8',
          });
          assert.equal(regex.status, 0, regex.stderr.slice(-2000));
          assert.doesNotMatch(regex.stdout, /parse_digits/, 'Criterion 0.3.0 read the filter as a regex');
        }

        const log = recordingLog();
        const scratch = mkdtempSync(join(tmpdir(), 'confirm-crit-scratch-'));
        const measured = await confirmOnRunner(
          {
            nativeDir: repo.root,
            baseSha: repo.baseSha,
            candidates: [{ key: ID, id: ID, threshold: 0.1, direction: 'lower' }],
            userArgs: USER_ARGS,
            env,
            scratch,
            meta: runMetaOnce({}),
            targetDir: TARGET,
            budgetMs: 10 * 60_000,
            // Three pairs, one look: enough to show the round runs; the rule itself is tested in test/compare.
            design: { alpha: 0.05, looksAt: [3] },
          },
          log,
        );
        assert.equal(measured.state, 'complete', log.lines.join('\n'));
        assert.equal(measured.pairs.get(ID)?.length, 3, log.lines.join('\n'));
        assert.ok(measured.pairs.get(ID)?.every((p) => p.base > 0 && p.head > 0));
        assert.ok(
          log.lines.some((line) => /builds from a copy of the head's/.test(line)),
          log.lines.join('\n'),
        );
        // Each run was a short one: Criterion took the round's --sample-size 10 (its default is 100), so the round
        // pays for a median, not for Criterion's own analysis (100,000 resamples took most of a run before).
        // Criterion 0.3.0 saves the sample as [iters, times], later versions as { iters, times }.
        for (const run of readdirSync(scratch).filter((name) => name.startsWith('confirm-'))) {
          const sample = JSON.parse(
            readFileSync(join(scratch, run, 'criterion', 'parse_digits_12', 'new', 'sample.json'), 'utf8'),
          ) as { iters: number[] } | [number[], number[]];
          assert.equal((Array.isArray(sample) ? sample[0] : sample.iters).length, 10, run);
          // The substring filter ran parse_digits/120 as well; the round kept parse_digits/12's median alone.
          if (version === '0.3.0') assert.ok(existsSync(join(scratch, run, 'criterion', 'parse_digits_120')), run);
        }
        console.log(
          `Criterion ${version}: base build ${measured.buildSeconds.toFixed(1)} s (warm, from a copy), round ${measured.seconds.toFixed(1)} s`,
        );
      },
    );
  }
});
