/**
 * A gungraun bench that fails (here: it panics) or hangs is reported with its
 * cause (a hang: the limit that stopped it) and the benches after it still run;
 * run/instruction-pass.ts then fails the job on it (gungraunFailure: the
 * project's own benchmark, never a silent pass, nor a job that waits for its
 * timeout).
 * The workspace's benches are plain `harness = false` programs (one panics,
 * one records that it ran), with gungraun locked in Cargo.lock as a user's
 * would be. Needs Valgrind and gungraun-runner 0.20.0 on PATH (scripts/setup.sh).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import type { Log } from '../../src/common/log.ts';
import { gungraunFailure } from '../../src/run/instruction-pass.ts';
import type { BenchTarget } from '../../src/run/bench-targets.ts';
import { runInstructionBenches } from '../../src/run/instructions.ts';

const log: Log = {
  info: () => {},
  warning: (m) => process.stderr.write(`warning: ${m}\n`),
  error: (m) => process.stderr.write(`error: ${m}\n`),
  group: (name, work) => (process.stderr.write(`${name}\n`), work()),
};

/** The runner's version comes from the lock, as in a gungraun user's workspace (a build rewrites it). */
function lockGungraun(root: string): void {
  writeFileSync(
    join(root, 'Cargo.lock'),
    'version = 4\n\n[[package]]\nname = "fails"\nversion = "0.1.0"\n\n[[package]]\nname = "gungraun"\nversion = "0.20.0"\n',
  );
}

/** A workspace whose benches are plain programs (`name` to `main`'s body), with gungraun 0.20.0 locked. */
function workspace(benches: Record<string, string>): { root: string; bench: (name: string) => BenchTarget } {
  const root = mkdtempSync(join(tmpdir(), 'bench-gungraun-failure-'));
  mkdirSync(join(root, 'benches'));
  const targets = Object.keys(benches)
    .map((name) => `[[bench]]\nname = "${name}"\nharness = false\n`)
    .join('\n');
  writeFileSync(
    join(root, 'Cargo.toml'),
    `[package]\nname = "fails"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n${targets}`,
  );
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'lib.rs'), '');
  for (const [name, body] of Object.entries(benches))
    writeFileSync(join(root, 'benches', `${name}.rs`), `fn main() { ${body} }\n`);
  lockGungraun(root);
  return { root, bench: (name) => ({ package: 'fails', name, srcPath: join(root, 'benches', `${name}.rs`) }) };
}

const setupOf = (root: string) => ({
  nativeDir: root,
  targetDir: join(root, 'target'),
  env: process.env,
  platform: process.platform,
});

it('a failing gungraun bench is reported with its cause; the next bench still runs', { timeout: 600_000 }, async () => {
  const { root, bench } = workspace({ first: 'panic!("the fixture file is missing");', second: '' });
  const ran = join(root, 'second-ran');
  writeFileSync(
    join(root, 'benches', 'second.rs'),
    `fn main() { std::fs::write(${JSON.stringify(ran)}, "").unwrap(); }\n`,
  );
  const outcome = await runInstructionBenches(
    setupOf(root),
    [bench('first'), bench('second')],
    join(root, 'home'),
    { benchSeconds: 1800, passSeconds: 3600 },
    log,
  );
  assert.ok(outcome.ran, outcome.ran ? '' : outcome.reason);
  assert.equal(outcome.failed.length, 1, JSON.stringify(outcome.failed));
  assert.equal(outcome.failed[0]?.bench, 'fails --bench first');
  assert.match(
    outcome.failed[0]?.reason ?? '',
    /^exited with 101: thread 'main'( \(\d+\))? panicked at benches\/first\.rs:1:\d+: the fixture file is missing$/,
  );
  assert.ok(existsSync(ran), 'the bench after the failing one ran');
  assert.match(
    gungraunFailure(outcome.failed)?.message ?? '',
    /^gungraun bench failed: fails --bench first \(exited with 101/,
  );
});

it(
  'a gungraun bench that hangs is stopped at its limit and reported, the next one runs, and the pass ends at its own',
  { timeout: 600_000 },
  async () => {
    const hang = 'std::thread::sleep(std::time::Duration::from_secs(3600));';
    const { root, bench } = workspace({ hangs: hang, quick: '', hangs_too: hang });
    // Built first, so the limits below time the runs, not a compiler on a loaded machine.
    const built = spawnSync('cargo', ['bench', '--no-run'], { cwd: root, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    lockGungraun(root);
    const started = Date.now();
    const outcome = await runInstructionBenches(
      setupOf(root),
      [bench('hangs'), bench('quick'), bench('hangs_too')],
      join(root, 'home'),
      { benchSeconds: 20, passSeconds: 40 },
      log,
    );
    const seconds = (Date.now() - started) / 1000;
    assert.ok(outcome.ran, outcome.ran ? '' : outcome.reason);
    const reasons = new Map(outcome.failed.map((f) => [f.bench, f.reason]));
    assert.equal(
      reasons.get('fails --bench hangs'),
      'stopped at the 20 s limit per gungraun bench (its build included)',
    );
    assert.equal(reasons.has('fails --bench quick'), false, JSON.stringify(outcome.failed));
    // What the first left of the 40 s is under 20 s: the pass's end stops the second hang (or, on a machine too
    // loaded to start the quick bench within the pass, leaves it unrun).
    // The pass's shared limit cut it: its counts are lost, but it did not fail (review counts4 M3).
    assert.equal(reasons.has('fails --bench hangs_too'), false, JSON.stringify(outcome.failed));
    assert.deepEqual(
      outcome.lost.map((l) => l.bench),
      ['fails --bench hangs_too'],
    );
    assert.match(
      outcome.lost[0]?.reason ?? '',
      /^(stopped when|was not run:) the gungraun benches reached its 40 s limit$/,
    );
    assert.ok(seconds < 120, `the hanging benches were stopped at the limits, not after an hour (${seconds} s)`);
    assert.match(
      gungraunFailure(outcome.failed)?.message ?? '',
      /^gungraun bench failed: fails --bench hangs \(stopped/,
    );
  },
);
