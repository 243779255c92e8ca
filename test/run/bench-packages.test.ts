/**
 * run/bench-packages.ts: a bench package's runtime variables and its own
 * Criterion, from cargo metadata and Cargo.lock (test/run/bench-binaries.test.ts
 * compares the variables with what cargo bench itself sets).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metadataPackages, ownCriterion, packageEnv } from '../../src/run/bench-packages.ts';

const lock = (entries: string[]) => `version = 4\n\n${entries.join('\n\n')}\n`;
const registry = (name: string, version: string, deps: string[] = []) =>
  `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\ndependencies = [${deps.map((d) => `"${d}"`).join(', ')}]`;
const member = (name: string, deps: string[]) =>
  `[[package]]\nname = "${name}"\nversion = "0.1.0"\ndependencies = [${deps.map((d) => `"${d}"`).join(', ')}]`;

describe("a workspace member's own Criterion, by Cargo.lock", () => {
  it('reads `criterion` as the one version the lock holds', () => {
    const text = lock([
      member('parse', ['criterion', 'serde']),
      registry('criterion', '0.3.0'),
      registry('serde', '1.0.0'),
    ]);
    assert.equal(ownCriterion(text, { name: 'parse', version: '0.1.0' }), '0.3.0');
  });

  it('reads `criterion <version>` when the lock holds two, each member its own', () => {
    const text = lock([
      member('legacy', ['criterion 0.2.11']),
      member('fast', ['criterion 0.5.1 (registry+https://github.com/rust-lang/crates.io-index)']),
      member('none', ['serde']),
      registry('criterion', '0.2.11'),
      registry('criterion', '0.5.1'),
      // A registry package of a member's name is not the member.
      registry('legacy', '0.1.0', ['criterion 0.5.1']),
    ]);
    assert.equal(ownCriterion(text, { name: 'legacy', version: '0.1.0' }), '0.2.11');
    assert.equal(ownCriterion(text, { name: 'fast', version: '0.1.0' }), '0.5.1');
    assert.equal(ownCriterion(text, { name: 'none', version: '0.1.0' }), null);
    assert.equal(ownCriterion(text, { name: 'absent', version: '0.1.0' }), null);
    assert.equal(ownCriterion('not [toml', { name: 'fast', version: '0.1.0' }), null);
  });
});

describe("a package's runtime variables", () => {
  it('splits the version as cargo does and leaves a missing field empty', () => {
    const env = packageEnv({
      name: 'p',
      version: '1.2.3-rc.1+b.2',
      manifest_path: '/w/p/Cargo.toml',
      authors: ['A', 'B'],
    });
    assert.equal(env['CARGO_MANIFEST_DIR'], '/w/p');
    assert.equal(env['CARGO_PKG_VERSION'], '1.2.3-rc.1+b.2');
    assert.deepEqual(
      ['MAJOR', 'MINOR', 'PATCH', 'PRE'].map((part) => env[`CARGO_PKG_VERSION_${part}`]),
      ['1', '2', '3', 'rc.1'],
    );
    assert.equal(env['CARGO_PKG_AUTHORS'], 'A:B');
    assert.equal(env['CARGO_PKG_LICENSE'], '');
    assert.equal(packageEnv({ version: '0.1.0' })['CARGO_PKG_VERSION_PRE'], '');
  });

  it('reads the packages and the workspace root of cargo metadata', () => {
    const json = JSON.stringify({
      workspace_root: '/w',
      packages: [{ name: 'p', version: '0.1.0', manifest_path: '/w/p/Cargo.toml' }, { name: 3 }],
    });
    const { root, packages } = metadataPackages(json);
    assert.equal(root, '/w');
    assert.deepEqual(
      packages.map((p) => [p.name, p.manifestPath, p.env['CARGO_PKG_NAME']]),
      [['p', '/w/p/Cargo.toml', 'p']],
    );
  });
});
