import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import { roundHarnessArgs, roundPadding, roundShape, type FilterMatch } from '../../src/run/confirm-args.ts';
import {
  benchBinaryArgs,
  benchStart,
  startBytes,
  dylibPath,
  findBenchBinaries,
  needsTargetDir,
  runBenchBinaries,
} from '../../src/run/bench-binaries.ts';
import { benchArtifacts, cargoMessages, linkedPaths } from '../../src/run/cargo-messages.ts';

const artifact = (kind: string, name: string, executable: string | null, manifest = '/w/crate/Cargo.toml') =>
  JSON.stringify({
    reason: 'compiler-artifact',
    manifest_path: manifest,
    target: { kind: [kind], name },
    profile: { test: kind === 'bench' },
    executable,
  });

describe("the bench executables in cargo's JSON messages", () => {
  it('keeps bench targets with an executable, each once, with the package directory cargo runs them in', () => {
    const messages = [
      artifact('lib', 'crate', null),
      '{"reason":"compiler-message","message":{}}',
      artifact('bench', 'parse', '/t/release/deps/parse-1'),
      'not json',
      artifact('bench', 'wall', '/t/release/deps/wall-2', '/w/other/Cargo.toml'),
      artifact('bench', 'parse', '/t/release/deps/parse-1'),
      artifact('bin', 'tool', '/t/release/tool'),
      '{"reason":"build-finished","success":true}',
    ].join('\n');
    assert.deepEqual(benchArtifacts(cargoMessages(messages)), [
      { target: 'parse', executable: '/t/release/deps/parse-1', packageDir: '/w/crate' },
      { target: 'wall', executable: '/t/release/deps/wall-2', packageDir: '/w/other' },
    ]);
    assert.deepEqual(benchArtifacts(cargoMessages('')), []);
  });
});

describe('a bench run directly finds the shared libraries cargo bench would have let it find', () => {
  it("reads the build scripts' search paths from cargo's messages, kind prefix dropped, each once", () => {
    const messages = [
      '{"reason":"build-script-executed","package_id":"a","linked_paths":["native=/t/release/build/a-1/out","/x/lib"]}',
      '{"reason":"build-script-executed","package_id":"b","linked_paths":["all=/x/lib"]}',
      '{"reason":"build-script-executed","package_id":"c","linked_paths":[]}',
      'not json',
    ].join('\n');
    assert.deepEqual(linkedPaths(cargoMessages(messages)), ['/t/release/build/a-1/out', '/x/lib']);
    const binary = { target: 'parse', executable: '/t/release/deps/parse-1', packageDir: '/w/crate' };
    // As cargo: a search path outside the profile directory (a system library directory) is not put on the path;
    // the profile directory before its deps (the order cargo 1.95 gives; the e2e below compares with cargo itself).
    assert.deepEqual(dylibPath(binary, ['/x/lib', '/t/release/build/a-1/out'], ['/libdir', '/sysroot/lib']), [
      '/t/release/build/a-1/out',
      '/t/release',
      '/t/release/deps',
      '/libdir',
      '/sysroot/lib',
    ]);
  });

  it(
    'runs each executable in its package directory with the dylib path and the manifest directory set',
    {
      skip: process.platform !== 'linux',
    },
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'bench-binaries-'));
      const pkg = join(root, 'crate');
      mkdirSync(pkg);
      const seen = join(root, 'seen');
      const executable = join(root, 'parse-1');
      // A stand-in for a bench executable: it records where and with what it was started.
      writeFileSync(
        executable,
        `#!/bin/sh\nprintf '%s|%s|%s|%s' "$PWD" "$LD_LIBRARY_PATH" "$CARGO_MANIFEST_DIR" "$*" > ${seen}\n`,
      );
      chmodSync(executable, 0o755);
      const binary = { target: 'parse', executable, packageDir: pkg, libraryPath: ['/x/lib', root] };
      await runBenchBinaries(
        [binary],
        () => ['--noplot'],
        { ...process.env, LD_LIBRARY_PATH: '/already' },
        join(root, 'out'),
      );
      const [cwd, libraryPath, manifestDir, args] = readFileSync(seen, 'utf8').split('|');
      assert.equal(cwd, pkg);
      assert.equal(libraryPath, ['/x/lib', root, '/already'].join(delimiter));
      assert.equal(manifestDir, pkg);
      assert.equal(args, '--noplot --bench');
    },
  );
});

describe('the query for the bench executables', () => {
  it("drops the user's --message-format, which cargo refuses beside the query's own", () => {
    // Before: `cargo bench --no-run --message-format short --message-format=json` failed and every round was skipped.
    for (const user of [['--message-format', 'short'], ['--message-format=short']]) {
      const args = benchBinaryArgs(['bench', '--no-run', ...user, '-p', 'x', '--', 'parse']);
      assert.deepEqual(args, ['bench', '--no-run', '-p', 'x', '--message-format=json']);
    }
  });
});

describe('where a bench run directly writes its results', () => {
  it(
    'points CARGO_TARGET_DIR at the run only for a Criterion that writes under it (0.2.5-0.3.2)',
    {
      skip: process.platform !== 'linux',
    },
    async () => {
      assert.deepEqual(
        ['0.2.5', '0.3.0', '0.3.2', '0.3.3', '0.3.4', '0.5.1'].map((v) => needsTargetDir([v])),
        [true, true, true, false, false, false],
      );
      assert.equal(needsTargetDir(undefined), true, 'unknown: it may');
      assert.equal(needsTargetDir(['0.5.1', '0.3.0']), true);
      const root = mkdtempSync(join(tmpdir(), 'bench-binaries-'));
      const seen = join(root, 'seen');
      const executable = join(root, 'parse-1');
      writeFileSync(executable, `#!/bin/sh\nprintf '%s|%s' "$CARGO_TARGET_DIR" "$CRITERION_HOME" > ${seen}\n`);
      chmodSync(executable, 0o755);
      const out = join(root, 'out');
      const env = { ...process.env, CARGO_TARGET_DIR: '/side/target' };
      // Before, every bench saw the run's empty directory: one that runs cargo itself rebuilt everything in each run.
      await runBenchBinaries(
        [{ target: 'parse', executable, packageDir: root, criterion: ['0.5.1'] }],
        () => [],
        env,
        out,
      );
      assert.deepEqual(readFileSync(seen, 'utf8').split('|'), ['/side/target', join(out, 'criterion')]);
      await runBenchBinaries(
        [{ target: 'parse', executable, packageDir: root, criterion: ['0.3.0'] }],
        () => [],
        env,
        out,
      );
      assert.deepEqual(readFileSync(seen, 'utf8').split('|'), [out, join(out, 'criterion')]);
    },
  );
});

/** A bench (no dependencies, harness = false) that prints the environment it was started with. */
function envCrate(root: string): void {
  mkdirSync(join(root, 'member', 'benches'), { recursive: true });
  mkdirSync(join(root, 'member', 'src'));
  writeFileSync(join(root, 'Cargo.toml'), '[workspace]\nmembers = ["member"]\nresolver = "2"\n');
  writeFileSync(
    join(root, 'member', 'Cargo.toml'),
    [
      '[package]',
      'name = "env-probe"',
      'version = "1.2.3-beta.1+build.5"',
      'edition = "2021"',
      'authors = ["A <a@example.invalid>", "B"]',
      'description = "probe"',
      'homepage = "https://example.invalid/h"',
      'license = "MIT"',
      'rust-version = "1.70"',
      '[[bench]]',
      'name = "show-env"',
      'harness = false',
      '',
    ].join('\n'),
  );
  writeFileSync(join(root, 'member', 'src', 'lib.rs'), '');
  writeFileSync(join(root, 'member', 'README.md'), 'probe\n');
  writeFileSync(
    join(root, 'member', 'benches', 'show-env.rs'),
    'fn main() { for (k, v) in std::env::vars() { println!("{k}={v}"); } println!("PWD={}", std::env::current_dir().unwrap().display()); }\n',
  );
}

const envOf = (stdout: string) =>
  new Map(
    stdout
      .split('\n')
      .flatMap((line) => (line.includes('=') ? [line.split(/=(.*)/s).slice(0, 2) as [string, string]] : [])),
  );

describe("a bench run directly gets cargo bench's runtime environment (checked against cargo itself)", () => {
  it(
    'sets CARGO, CARGO_MANIFEST_*, every CARGO_PKG_* and the dylib path as cargo bench does, in a member package',
    { timeout: 300_000 },
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'bench-env-'));
      envCrate(root);
      const env: NodeJS.ProcessEnv = { ...process.env, CARGO_TARGET_DIR: join(root, 'target') };
      delete env['LD_LIBRARY_PATH'];
      const viaCargo = spawnSync('cargo', ['bench', '-q', '--bench', 'show-env'], { cwd: root, env, encoding: 'utf8' });
      assert.equal(viaCargo.status, 0, viaCargo.stderr);
      const [binary] = await findBenchBinaries(['bench', '--no-run', '--bench', 'show-env'], root, env);
      assert.ok(binary);
      const out = join(root, 'out');
      const [direct] = await runBenchBinaries([binary], () => [], env, out);
      const cargo = envOf(viaCargo.stdout);
      const ours = envOf(direct?.stdout ?? '');
      const names = [...cargo.keys()].filter((name) => /^CARGO($|_MANIFEST|_PKG)/.test(name)).sort();
      // Cargo's own list (cargo 1.95): the manifest's fields, empty when left out, the version's parts, CARGO.
      for (const name of [
        'CARGO',
        'CARGO_MANIFEST_PATH',
        'CARGO_PKG_VERSION_PRE',
        'CARGO_PKG_README',
        'CARGO_PKG_REPOSITORY',
      ])
        assert.ok(names.includes(name), `${name} in ${names.join(' ')}`);
      for (const name of names) assert.equal(ours.get(name), cargo.get(name), name);
      assert.equal(ours.get('PWD'), cargo.get('PWD'));
      assert.equal(ours.get('PWD'), join(root, 'member'));
      assert.equal(ours.get('LD_LIBRARY_PATH'), cargo.get('LD_LIBRARY_PATH'));
    },
  );

  it(
    "applies the workspace's .cargo/config.toml as cargo bench does: [env] (forced, unforced, relative) and the host's runner",
    {
      timeout: 300_000,
    },
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'bench-env-config-'));
      envCrate(root);
      const host = /^host: (\S+)$/m.exec(spawnSync('rustc', ['-vV'], { encoding: 'utf8' }).stdout)?.[1];
      assert.ok(host, 'rustc -vV names the host');
      mkdirSync(join(root, '.cargo'));
      writeFileSync(
        join(root, '.cargo', 'config.toml'),
        [
          '[env]',
          'PROBE_SET = "config"',
          'PROBE_KEEP = "config"',
          'PROBE_FORCED = { value = "config", force = true }',
          'PROBE_REL = { value = "data", relative = true }',
          `[target.${host}]`,
          'runner = "./tools/runner.sh --marker"',
          '',
        ].join('\n'),
      );
      mkdirSync(join(root, 'tools'));
      writeFileSync(
        join(root, 'tools', 'runner.sh'),
        '#!/bin/sh\n[ "$1" = --marker ] && shift\nPROBE_RUNNER=yes exec "$@"\n',
        {
          mode: 0o755,
        },
      );
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CARGO_TARGET_DIR: join(root, 'target'),
        PROBE_KEEP: 'outside',
        PROBE_FORCED: 'outside',
      };
      const viaCargo = spawnSync('cargo', ['bench', '-q', '--bench', 'show-env'], { cwd: root, env, encoding: 'utf8' });
      assert.equal(viaCargo.status, 0, viaCargo.stderr);
      const [binary] = await findBenchBinaries(['bench', '--no-run', '--bench', 'show-env'], root, env);
      assert.ok(binary);
      const [direct] = await runBenchBinaries([binary], () => [], env, join(root, 'out'));
      const cargo = envOf(viaCargo.stdout);
      const ours = envOf(direct?.stdout ?? '');
      // What cargo itself gave the bench, first: the test is only as good as its reference.
      assert.deepEqual(
        ['PROBE_SET', 'PROBE_KEEP', 'PROBE_FORCED', 'PROBE_REL', 'PROBE_RUNNER'].map((k) => cargo.get(k)),
        ['config', 'outside', 'config', join(root, 'data'), 'yes'],
      );
      for (const name of ['PROBE_SET', 'PROBE_KEEP', 'PROBE_FORCED', 'PROBE_REL', 'PROBE_RUNNER'])
        assert.equal(ours.get(name), cargo.get(name), name);
      assert.equal(ours.get('PWD'), cargo.get('PWD'));
    },
  );
});

describe("a pair's base and head runs start alike", () => {
  it('pads every run of the round to one start size, though the sides differ in paths, target directories and filters', () => {
    // As confirm.ts builds them: the base in a scratch worktree with its own target directory, the head where it is.
    const base = {
      target: 'parse',
      executable: '/tmp/scratch-a1/base-target/release/deps/parse-1',
      packageDir: '/tmp/scratch-a1/base-worktree/crate',
      criterion: ['0.3.0'],
      env: { CARGO_PKG_NAME: 'crate', CARGO_MANIFEST_PATH: '/tmp/scratch-a1/base-worktree/crate/Cargo.toml' },
      libraryPath: ['/tmp/scratch-a1/base-target/release', '/tmp/scratch-a1/base-target/release/deps'],
    };
    const head = {
      target: 'parse',
      executable: '/w/target/release/deps/parse-2',
      packageDir: '/w/crate',
      criterion: ['0.3.6'],
      env: { CARGO_PKG_NAME: 'crate', CARGO_MANIFEST_PATH: '/w/crate/Cargo.toml' },
      libraryPath: ['/w/target/release', '/w/target/release/deps'],
    };
    const envs = { base: { PATH: '/bin', CARGO_TARGET_DIR: '/tmp/scratch-a1/base-target' }, head: { PATH: '/bin' } };
    const harness = (ids: readonly string[], match: FilterMatch) =>
      roundHarnessArgs(['--', 'parse'], [['--noplot']], ids, null, match);
    const ids = ['parse_digits/12', 'parse_digits/120'] as const;
    const shape = roundShape({ base: [base], head: [head] }, { base: ['0.3.0'], head: ['0.3.6'] });
    const sides = {
      base: { binaries: [base], env: envs.base, harness },
      head: { binaries: [head], env: envs.head, harness },
    };
    const padTo = roundPadding(sides, ids, shape, '/tmp/scratch-a1');
    const sizes = new Set<number>();
    const unpadded = new Set<number>();
    for (const [pair, id] of [
      [0, ids[0]],
      [12, ids[1]],
    ] as const)
      for (const side of ['base', 'head'] as const) {
        const binary = side === 'base' ? base : head;
        const args = harness([id], shape.match(side, binary));
        const outDir = `/tmp/scratch-a1/confirm-${pair}-0-0-${side}`;
        sizes.add(startBytes(benchStart(binary, args, envs[side], outDir, padTo)));
        unpadded.add(startBytes(benchStart(binary, args, envs[side], outDir)));
      }
    // Before, each side's start was its own size (the base's longer paths and CARGO_TARGET_DIR).
    assert.ok(unpadded.size > 1, [...unpadded].join(' '));
    assert.deepEqual([...sizes], [padTo]);
  });
});
