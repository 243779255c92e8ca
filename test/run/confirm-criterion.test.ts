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
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadResults } from '../../src/files/load.ts';
import { filteredBenchArgs } from '../../src/run/confirm-args.ts';
import { confirmOnRunner } from '../../src/run/confirm.ts';
import { runMetaOnce } from '../../src/run/metadata.ts';
import { REPO_ROOT } from '../support/action-runner.ts';
import { git } from '../support/cargo-repo.ts';
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
const ID_120 = 'parse_digits/120';

/** Each benchmark's median in each of the round's run directories (`confirm-<pair>-<i>-<j>-<side>`), by directory. */
async function runDirMedians(scratch: string): Promise<Map<string, Map<string, number>>> {
  const byDir = new Map<string, Map<string, number>>();
  for (const run of readdirSync(scratch).filter((name) => name.startsWith('confirm-'))) {
    const results = await loadResults(join(scratch, run, 'criterion'), runMetaOnce({}));
    byDir.set(run, new Map(results.benchmarks.map((b) => [b.id, b.estimates.median])));
  }
  return byDir;
}

const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);

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
        // On 0.3.0, parse_digits/120 is a candidate too, first: its own run (filter `parse_digits/120`) measures it
        // alone, and parse_digits/12's run (filter `parse_digits/12`) measures it as well, after it.
        const ids = version === '0.3.0' ? [ID_120, ID] : [ID];
        const measured = await confirmOnRunner(
          {
            nativeDir: repo.root,
            baseSha: repo.baseSha,
            candidates: ids.map((id) => ({ key: id, id, threshold: 0.1, direction: 'lower' as const })),
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
        for (const id of ids) {
          assert.equal(measured.pairs.get(id)?.length, 3, log.lines.join('\n'));
          assert.ok(measured.pairs.get(id)?.every((p) => p.base > 0 && p.head > 0));
        }
        assert.ok(
          log.lines.some((line) => /builds from a copy of the head's/.test(line)),
          log.lines.join('\n'),
        );
        // Each run was a short one: Criterion took the round's --sample-size 10 (its default is 100), so the round
        // pays for a median, not for Criterion's own analysis (100,000 resamples took most of a run before).
        // Criterion 0.3.0 saves the sample as [iters, times], later versions as { iters, times }.
        for (const run of readdirSync(scratch).filter((name) => name.startsWith('confirm-'))) {
          for (const dir of readdirSync(join(scratch, run, 'criterion')).filter((d) => d.startsWith('parse_digits'))) {
            const sample = JSON.parse(
              readFileSync(join(scratch, run, 'criterion', dir, 'new', 'sample.json'), 'utf8'),
            ) as { iters: number[] } | [number[], number[]];
            assert.equal((Array.isArray(sample) ? sample[0] : sample.iters).length, 10, `${run} ${dir}`);
          }
        }
        if (version === '0.3.0') {
          // The substring filter ran parse_digits/120 in parse_digits/12's runs as well; the round kept each id's
          // median from its own runs only (deleting the round's `wanted` filter fails this: the later run's wins).
          const byDir = await runDirMedians(scratch);
          const own = (id: string) =>
            [...byDir.values()].filter((medians) => (id === ID_120 ? !medians.has(ID) : medians.has(ID)));
          assert.ok(
            own(ID).some((medians) => medians.has(ID_120)),
            'a parse_digits/12 run measured parse_digits/120 too',
          );
          for (const id of ids) {
            const kept = (measured.pairs.get(id) ?? []).flatMap((p) => [p.base, p.head]);
            assert.deepEqual(sorted(kept), sorted(own(id).map((medians) => medians.get(id) ?? Number.NaN)), id);
          }
        }
        console.log(
          `Criterion ${version}: base build ${measured.buildSeconds.toFixed(1)} s (warm, from a copy), round ${measured.seconds.toFixed(1)} s`,
        );
      },
    );
  }

  it(
    'runs both sides of a pair in one shape when the pull request moves Criterion from 0.3.0 to 0.3.6',
    { timeout: 900_000 },
    async () => {
      // Base on 0.3.0 (a substring filter), head on 0.3.6 (a regex): before, the base ran each id in its own process
      // and the head both in one, a difference between the sides that the pair measured as the pull request's.
      const repo = createCriterionRepo('main', 'criterion-0.3.0', withContainingId);
      for (const name of ['Cargo.toml', 'Cargo.lock', 'src']) rmSync(join(repo.root, name), { recursive: true });
      for (const name of ['Cargo.toml', 'Cargo.lock', 'src'])
        cpSync(join(REPO_ROOT, 'fixtures', 'workspaces', 'criterion-0.3', name), join(repo.root, name), {
          recursive: true,
        });
      const bench = join(repo.root, 'benches', 'parse.rs');
      writeFileSync(bench, readFileSync(bench, 'utf8').replace('old_criterion::', 'first_contact::'));
      git(repo.root, 'add', '-A');
      git(repo.root, 'commit', '-qm', 'criterion 0.3.6');
      const env = { ...process.env, CARGO_TARGET_DIR: TARGET };
      const built = spawnSync('cargo', ['bench', '--no-run'], { cwd: repo.root, env, encoding: 'utf8' });
      assert.equal(built.status, 0, built.stderr.slice(-2000));
      const log = recordingLog();
      const scratch = mkdtempSync(join(tmpdir(), 'confirm-crit-scratch-'));
      const measured = await confirmOnRunner(
        {
          nativeDir: repo.root,
          baseSha: repo.baseSha,
          candidates: [ID, ID_120].map((id) => ({ key: id, id, threshold: 0.1, direction: 'lower' as const })),
          userArgs: USER_ARGS,
          env,
          scratch,
          meta: runMetaOnce({}),
          targetDir: TARGET,
          budgetMs: 10 * 60_000,
          design: { alpha: 0.05, looksAt: [3] },
        },
        log,
      );
      assert.equal(measured.state, 'complete', log.lines.join('\n'));
      const runs = readdirSync(scratch).filter((name) => name.startsWith('confirm-'));
      // The pair that measured both candidates ran each in its own run on both sides: a second invocation (j = 1).
      for (const side of ['base', 'head'])
        assert.ok(
          runs.some((run) => run.endsWith(`-1-${side}`)),
          `${side}: ${runs.join(' ')}\n${log.lines.join('\n')}`,
        );
      // Both sides ran the same benchmarks beside the wanted one: parse_digits/12's runs measured parse_digits/120 too,
      // on the head (0.3.6, the escaped id unanchored) as on the base (0.3.0, the id as a substring).
      const byDir = await runDirMedians(scratch);
      const sets = (side: string) =>
        new Set([...byDir].filter(([run]) => run.endsWith(`-${side}`)).map(([, m]) => [...m.keys()].sort().join(',')));
      assert.deepEqual(sets('head'), sets('base'));
      assert.ok(sets('head').has([ID, ID_120].sort().join(',')), [...sets('head')].join(' | '));
    },
  );
});
