import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  cargoCacheKey,
  manifestHash,
  restoreCargoCache,
  saveCargoCache,
  type CacheService,
  type CacheState,
} from '../../src/run/cargo-cache.ts';
import { withEnv } from '../support/env.ts';
import { recordingLog } from '../support/log.ts';

/** The state files' stand-in: what the main step set is what the post step reads. */
function memoryState(): CacheState & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return { values, set: (name, value) => void values.set(name, value), get: (name) => values.get(name) ?? '' };
}

interface FakeCache extends CacheService {
  restored: Array<{ paths: string[]; key: string; restoreKeys: string[] }>;
  saved: Array<{ paths: string[]; key: string }>;
}

function fakeCache(
  answer: {
    available?: boolean;
    hit?: (key: string) => string | undefined;
    saveId?: number;
    fail?: 'restore' | 'save';
  } = {},
): FakeCache {
  const restored: FakeCache['restored'] = [];
  const saved: FakeCache['saved'] = [];
  return {
    restored,
    saved,
    isFeatureAvailable: () => answer.available ?? true,
    async restoreCache(paths, key, restoreKeys) {
      restored.push({ paths, key, restoreKeys });
      if (answer.fail === 'restore') throw new Error('cache service unreachable');
      return answer.hit?.(key);
    },
    async saveCache(paths, key) {
      saved.push({ paths, key });
      if (answer.fail === 'save') throw new Error('reserve failed');
      return answer.saveId ?? 7;
    },
  };
}

/**
 * A Cargo workspace on disk: the root manifest and lock, two members, and a target/ holding a packaged crate's
 * Cargo.toml.
 */
function workspace(name = 'ws'): string {
  const root = join(mkdtempSync(join(tmpdir(), 'bench-cargo-cache-')), name);
  const files: Record<string, string> = {
    'Cargo.toml': '[workspace]\nmembers = ["crates/a", "b"]\n',
    'Cargo.lock': 'version = 4\n',
    'crates/a/Cargo.toml': '[package]\nname = "a"\n',
    'b/Cargo.toml': '[package]\nname = "b"\n',
    'b/src/lib.rs': '',
    'target/package/a-0.1.0/Cargo.toml': '[package]\nname = "a"\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('the cargo cache key', () => {
  it('is the same for the same manifests, in another directory too, and keeps its restore prefix', async () => {
    const first = cargoCacheKey('1.95.0', await manifestHash(workspace()));
    const second = cargoCacheKey('1.95.0', await manifestHash(workspace()));
    assert.deepEqual(first, second);
    assert.match(first.key, /^bench-action-cargo-[a-z0-9]+-[a-z0-9]+-1\.95\.0-[0-9a-f]{20}$/);
    assert.ok(first.key.startsWith(first.restorePrefix));
  });

  it('changes with Cargo.lock or a member manifest, while the restore prefix stays', async () => {
    const dir = workspace();
    const before = cargoCacheKey('1.95.0', await manifestHash(dir));
    writeFileSync(join(dir, 'Cargo.lock'), 'version = 4\n\n[[package]]\nname = "serde"\n');
    const locked = cargoCacheKey('1.95.0', await manifestHash(dir));
    assert.notEqual(locked.key, before.key);
    assert.equal(locked.restorePrefix, before.restorePrefix);
    writeFileSync(join(dir, 'crates', 'a', 'Cargo.toml'), '[package]\nname = "a"\nversion = "0.2.0"\n');
    assert.notEqual(cargoCacheKey('1.95.0', await manifestHash(dir)).key, locked.key);
  });

  it('reads no manifest under target/, node_modules/ or a hidden directory', async () => {
    const dir = workspace();
    const before = await manifestHash(dir);
    for (const path of [
      'target/package/a-0.1.0/Cargo.toml',
      'target/debug/build/x/out/Cargo.lock',
      'node_modules/n/Cargo.toml',
      'b/target/Cargo.toml',
      '.git/c/Cargo.toml',
    ]) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), `changed ${path}\n`);
    }
    assert.equal(await manifestHash(dir), before);
    writeFileSync(join(dir, 'b', 'Cargo.toml'), '[package]\nname = "b"\nedition = "2024"\n');
    assert.notEqual(await manifestHash(dir), before);
  });

  it('finds the manifests of a workspace whose path holds glob characters', async () => {
    const plain = await manifestHash(workspace());
    const odd = workspace('ws [1] *?');
    assert.equal(await manifestHash(odd), plain);
    writeFileSync(join(odd, 'Cargo.lock'), 'version = 3\n');
    assert.notEqual(await manifestHash(odd), plain);
  });

  it('changes with the toolchain, in the prefix', () => {
    assert.notEqual(cargoCacheKey('1.95.0', 'ab').restorePrefix, cargoCacheKey('nightly', 'ab').restorePrefix);
  });
});

describe('restore in the main step, save in the post step', () => {
  const cargoHome = mkdtempSync(join(tmpdir(), 'bench-cargo-home-'));

  it('a miss restores by prefix and the post step saves the paths under the exact key', async () => {
    const dir = workspace();
    const state = memoryState();
    const service = fakeCache({ hit: () => undefined });
    const log = recordingLog();
    await withEnv({ CARGO_HOME: cargoHome }, () =>
      restoreCargoCache(dir, join(dir, 'target'), '1.95.0', log, { state, service }),
    );
    const { key, restorePrefix } = cargoCacheKey('1.95.0', await manifestHash(dir));
    assert.deepEqual(service.restored, [
      {
        paths: [
          join(cargoHome, 'registry', 'index'),
          join(cargoHome, 'registry', 'cache'),
          join(cargoHome, 'git', 'db'),
          join(dir, 'target'),
        ],
        key,
        restoreKeys: [restorePrefix],
      },
    ]);
    assert.deepEqual(log.lines, [`info: Cargo cache: no entry for ${key}.`]);

    mkdirSync(join(cargoHome, 'registry', 'index'), { recursive: true });
    const post = recordingLog();
    await saveCargoCache(post, { state, service });
    // Only the paths that exist by then are saved: git/db was never created.
    assert.deepEqual(service.saved, [{ paths: [join(cargoHome, 'registry', 'index'), join(dir, 'target')], key }]);
    assert.deepEqual(post.lines, [`info: Cargo cache saved as ${key}.`]);
  });

  it('an exact hit is not saved again', async () => {
    const dir = workspace();
    const state = memoryState();
    const service = fakeCache({ hit: (key) => key });
    await restoreCargoCache(dir, join(dir, 'target'), '1.95.0', recordingLog(), { state, service });
    const post = recordingLog();
    await saveCargoCache(post, { state, service });
    assert.deepEqual(service.saved, []);
    assert.match(
      post.lines.join('\n'),
      /^info: Cargo cache bench-action-cargo-\S+ was restored exactly; not saving again\.$/,
    );
  });

  it('an older entry restored by prefix is saved under the new key', async () => {
    const dir = workspace();
    const state = memoryState();
    const service = fakeCache({ hit: () => 'bench-action-cargo-linux-x64-1.95.0-older' });
    await restoreCargoCache(dir, join(dir, 'target'), '1.95.0', recordingLog(), { state, service });
    await saveCargoCache(recordingLog(), { state, service });
    assert.deepEqual(
      service.saved.map((entry) => entry.key),
      [state.get('cargo-cache-key')],
    );
  });

  it('a restore failure is a warning, and the post step still saves', async () => {
    const dir = workspace();
    const state = memoryState();
    const service = fakeCache({ fail: 'restore' });
    const log = recordingLog();
    await restoreCargoCache(dir, join(dir, 'target'), '1.95.0', log, { state, service });
    assert.deepEqual(log.lines, ['warning: Cargo cache restore failed: cache service unreachable']);
    await saveCargoCache(recordingLog(), { state, service });
    assert.equal(service.saved.length, 1);
  });

  it('without the cache service nothing is recorded and the post step does nothing', async () => {
    const state = memoryState();
    const service = fakeCache({ available: false });
    const log = recordingLog();
    await restoreCargoCache(workspace(), '/nonexistent/target', '1.95.0', log, { state, service });
    assert.deepEqual(log.lines, [
      'info: Cargo cache: the Actions cache service is not available here; building from scratch.',
    ]);
    assert.equal(state.values.size, 0);
    await saveCargoCache(recordingLog(), { state, service });
    assert.deepEqual(service.saved, []);
  });

  it('a save failure is a warning, never a failed post step', async () => {
    const dir = workspace();
    const state = memoryState();
    const service = fakeCache({ fail: 'save' });
    await restoreCargoCache(dir, join(dir, 'target'), '1.95.0', recordingLog(), { state, service });
    const post = recordingLog();
    await saveCargoCache(post, { state, service });
    assert.deepEqual(post.lines, ['warning: Cargo cache save failed: reserve failed']);
  });
});
