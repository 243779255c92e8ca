import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import { benchExecutables, dylibPath, linkedPaths, runBenchBinaries } from '../../src/run/bench-binaries.ts';

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
    assert.deepEqual(benchExecutables(messages), [
      { target: 'parse', executable: '/t/release/deps/parse-1', packageDir: '/w/crate' },
      { target: 'wall', executable: '/t/release/deps/wall-2', packageDir: '/w/other' },
    ]);
    assert.deepEqual(benchExecutables(''), []);
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
    assert.deepEqual(linkedPaths(messages), ['/t/release/build/a-1/out', '/x/lib']);
    const binary = { target: 'parse', executable: '/t/release/deps/parse-1', packageDir: '/w/crate' };
    // As cargo: a search path outside the profile directory (a system library directory) is not put on the path.
    assert.deepEqual(dylibPath(binary, ['/x/lib', '/t/release/build/a-1/out'], '/sysroot/lib'), [
      '/t/release/build/a-1/out',
      '/t/release/deps',
      '/t/release',
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
        ['--noplot'],
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
