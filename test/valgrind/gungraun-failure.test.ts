/**
 * A gungraun bench that fails (here: it panics) is reported with its cause and
 * the benches after it still run; run/instruction-pass.ts then fails the job on
 * it (gungraunFailure: the project's own benchmark, never a silent pass).
 * The workspace's benches are plain `harness = false` programs (one panics,
 * one records that it ran), with gungraun locked in Cargo.lock as a user's
 * would be. Needs Valgrind and gungraun-runner 0.20.0 on PATH (scripts/setup.sh).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import type { Log } from '../../src/common/log.ts';
import { gungraunFailure } from '../../src/run/instruction-pass.ts';
import { runInstructionBenches } from '../../src/run/instructions.ts';

const log: Log = {
  info: () => {},
  warning: (m) => process.stderr.write(`warning: ${m}\n`),
  error: (m) => process.stderr.write(`error: ${m}\n`),
  group: (name, work) => (process.stderr.write(`${name}\n`), work()),
};

it('a failing gungraun bench is reported with its cause; the next bench still runs', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'bench-gungraun-failure-'));
  const ran = join(root, 'second-ran');
  mkdirSync(join(root, 'benches'));
  writeFileSync(
    join(root, 'Cargo.toml'),
    '[package]\nname = "fails"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n[[bench]]\nname = "first"\nharness = false\n\n[[bench]]\nname = "second"\nharness = false\n',
  );
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'lib.rs'), '');
  writeFileSync(join(root, 'benches', 'first.rs'), 'fn main() { panic!("the fixture file is missing"); }\n');
  writeFileSync(
    join(root, 'benches', 'second.rs'),
    `fn main() { std::fs::write(${JSON.stringify(ran)}, "").unwrap(); }\n`,
  );
  // The runner's version comes from the lock, as in a gungraun user's workspace.
  writeFileSync(
    join(root, 'Cargo.lock'),
    'version = 4\n\n[[package]]\nname = "fails"\nversion = "0.1.0"\n\n[[package]]\nname = "gungraun"\nversion = "0.20.0"\n',
  );
  const bench = (name: string) => ({ package: 'fails', name, srcPath: join(root, 'benches', `${name}.rs`) });
  const outcome = await runInstructionBenches(
    { nativeDir: root, targetDir: join(root, 'target'), env: process.env, platform: process.platform },
    [bench('first'), bench('second')],
    join(root, 'home'),
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
