import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchExecutables } from '../../src/run/bench-binaries.ts';

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
