/**
 * run/stray-criterion.ts: what a Criterion before 0.3.3 wrote outside
 * CRITERION_HOME during this run is taken into it; older results, and
 * anything that is not a regular file, are not.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collectStrayCriterion, strayCriterionDirs } from '../../src/run/stray-criterion.ts';

function result(root: string, id: string, files: Record<string, string>): string {
  const dir = join(root, ...id.split('/'), 'new');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const FILES = { 'benchmark.json': '{"b":1}', 'estimates.json': '{"e":1}', 'sample.json': '{"s":1}' };

describe('results a Criterion before 0.3.3 wrote outside CRITERION_HOME', () => {
  it("takes this run's, not older ones, not what home has, and only regular files", async () => {
    const stray = join(mkdtempSync(join(tmpdir(), 'bench-stray-')), 'criterion');
    const home = mkdtempSync(join(tmpdir(), 'bench-home-'));
    const old = result(stray, 'old/x', FILES);
    const past = new Date(Date.now() - 3_600_000);
    for (const name of Object.keys(FILES)) utimesSync(join(old, name), past, past);
    const since = Date.now() - 1000;
    result(stray, 'parse/12', FILES);
    result(stray, 'group/f/7', FILES);
    // A bench could leave a symlink to a file of the runner's, or a FIFO that would block a read.
    const odd = result(stray, 'odd', { 'benchmark.json': '{"b":2}' });
    symlinkSync('/etc/hostname', join(odd, 'sample.json'));
    execFileSync('mkfifo', [join(odd, 'estimates.json')]);
    const linked = join(stray, 'linked', 'new');
    mkdirSync(linked, { recursive: true });
    symlinkSync('/etc/hostname', join(linked, 'benchmark.json'));
    result(home, 'group/f/7', { 'benchmark.json': '{"mine":1}' });
    // Written before the run began, with a time in the future (a cache saved where the clock ran ahead).
    const future = result(stray, 'future/x', FILES);
    const ahead = new Date(Date.now() + 3_600_000);
    for (const name of Object.keys(FILES)) utimesSync(join(future, name), ahead, ahead);

    assert.deepEqual(await collectStrayCriterion([stray, join(stray, 'missing')], home, since), {
      copied: 2,
      collisions: [{ id: join('group', 'f', '7'), path: join(stray, 'group', 'f', '7') }],
    });
    assert.equal(readFileSync(join(home, 'parse', '12', 'new', 'sample.json'), 'utf8'), '{"s":1}');
    assert.equal(readFileSync(join(home, 'group', 'f', '7', 'new', 'benchmark.json'), 'utf8'), '{"mine":1}');
    assert.ok(!existsSync(join(home, 'old')), 'an older result is not this run’s');
    assert.ok(!existsSync(join(home, 'future')), 'a result dated in the future is not this run’s');
    assert.ok(!existsSync(join(home, 'linked')), 'a symlinked benchmark.json is not taken');
    assert.ok(existsSync(join(home, 'odd', 'new', 'benchmark.json')));
    assert.ok(!existsSync(join(home, 'odd', 'new', 'sample.json')), 'a symlink is not followed');
    assert.ok(!existsSync(join(home, 'odd', 'new', 'estimates.json')), 'a FIFO is not read');
  });

  it('looks in $CARGO_TARGET_DIR/criterion, else in ./target/criterion of every package', async () => {
    assert.deepEqual(await strayCriterionDirs('/nowhere', { CARGO_TARGET_DIR: '/t' }), ['/t/criterion']);
    const root = mkdtempSync(join(tmpdir(), 'bench-stray-ws-'));
    writeFileSync(join(root, 'Cargo.toml'), '[workspace]\nmembers = ["member"]\nresolver = "2"\n');
    mkdirSync(join(root, 'member', 'src'), { recursive: true });
    writeFileSync(
      join(root, 'member', 'Cargo.toml'),
      '[package]\nname = "member"\nversion = "0.1.0"\nedition = "2021"\n',
    );
    writeFileSync(join(root, 'member', 'src', 'lib.rs'), '');
    const env = { ...process.env };
    delete env['CARGO_TARGET_DIR'];
    assert.deepEqual(await strayCriterionDirs(root, env), [
      join(root, 'target', 'criterion'),
      join(root, 'member', 'target', 'criterion'),
    ]);
    // Criterion 0.3.0 reads a relative CARGO_TARGET_DIR from the bench's working directory, its package's.
    assert.deepEqual(await strayCriterionDirs(root, { ...env, CARGO_TARGET_DIR: 'tgt' }), [
      join(root, 'tgt', 'criterion'),
      join(root, 'member', 'tgt', 'criterion'),
    ]);
  });
});
