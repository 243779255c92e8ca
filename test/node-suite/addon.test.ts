// Behaviour of the sark-node addon as Node sees it: errors are exceptions with
// the Rust message, undefined is not false, the cache holds its capacity bound.
// Builds the addon in debug with cargo first (a no-op when it is up to date), so
// a clean clone needs nothing else; SARK_NODE_ADDON points at a prebuilt .node.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type * as Addon from '../../native/sark-node/index.js';
import { ownTargetDir } from '../support/env.ts';

function loadAddon(): typeof Addon {
  let path = process.env.SARK_NODE_ADDON;
  if (!path) {
    const native = resolve('native');
    // Into native/target, where it is copied from below, whatever target directory the shell exported.
    const build = spawnSync('cargo', ['build', '--quiet', '-p', 'sark-node'], {
      cwd: native,
      encoding: 'utf8',
      env: ownTargetDir(),
    });
    assert.equal(build.status, 0, `cargo build -p sark-node failed: ${build.stderr}`);
    // require() loads native code only from a .node file name.
    path = join(mkdtempSync(join(tmpdir(), 'sark-node-')), 'sark-node.node');
    copyFileSync(join(native, 'target/debug/libsark_node.so'), path);
  }
  return createRequire(import.meta.url)(path) as typeof Addon;
}

const { Cache, PolicyEngine } = loadAddon();

test('cache: strings and Buffers round-trip; a miss is null', () => {
  const cache = new Cache(100);
  cache.set('a', 'alpha');
  cache.set(Buffer.from([0, 1, 2]), Buffer.from([255, 0]));
  assert.equal(cache.getString('a'), 'alpha');
  assert.deepEqual(cache.get('a'), Buffer.from('alpha'));
  assert.deepEqual(cache.get(Buffer.from([0, 1, 2])), Buffer.from([255, 0]));
  assert.equal(cache.get('missing'), null);
  assert.equal(cache.delete('a'), true);
  assert.equal(cache.delete('a'), false);
  assert.equal(cache.len(), 1);
  assert.equal(cache.isEmpty(), false);
  cache.clear();
  assert.equal(cache.len(), 0);
  assert.equal(cache.isEmpty(), true);
  assert.deepEqual(cache.stats(), { hits: 3, misses: 1, inserts: 2, updates: 0, evictions: 0, expirations: 0 });
});

test('cache: never holds more than its capacity, evicting keys never read', () => {
  const cache = new Cache(10, null, 1);
  for (let i = 0; i < 1000; i++) {
    cache.set(`k${i}`, `v${i}`);
    assert.ok(cache.len() <= 10);
  }
  assert.equal(cache.len(), 10);
  assert.equal(cache.capacity, 10);
  assert.equal(cache.stats().evictions, 990);
  assert.equal(cache.getString('k999'), 'v999');
  assert.equal(cache.get('k0'), null);
});

test('cache: entries expire after their TTL', async () => {
  const cache = new Cache(10, 60_000);
  cache.set('short', 'x', 20);
  cache.set('long', 'y');
  await sleep(60);
  assert.equal(cache.get('short'), null);
  assert.equal(cache.getString('long'), 'y');
  assert.equal(cache.stats().expirations, 1);
});

test('cache: bad arguments throw with the reason, and the process lives on', () => {
  assert.throws(() => new Cache(0), /capacity must be a whole number from 1/);
  assert.throws(() => new Cache(2.5), /capacity must be a whole number/);
  assert.throws(() => new Cache(10, Number.NaN), /ttlMs must be a finite number/);
  assert.throws(() => new Cache(10, null, 0), /shards must be a whole number/);
  const cache = new Cache(10);
  assert.throws(() => cache.set('k', 'v', 0.5), /invalid ttl/);
  assert.throws(() => cache.set('k', 'v', -1), /ttlMs must be a finite number/);
  assert.throws(() => cache.set('k', 'v', 1e300), /ttlMs must be a finite number/);
  assert.throws(() => cache.set('k', 'v', 2 ** 60), /invalid ttl/);
  assert.throws(() => cache.get(42 as unknown as string));
  assert.throws(() => cache.set('k', { not: 'bytes' } as unknown as string));
  assert.equal(cache.len(), 0);
});

const SIMPLE = `package t
default allow := false
allow if input.role == "admin"
reason := "admin" if allow
`;

test('policy: false and undefined stay distinct', () => {
  const engine = new PolicyEngine();
  engine.loadModule('t.rego', SIMPLE);
  assert.equal(engine.evaluate('data.t.allow', { role: 'admin' }), true);
  assert.equal(engine.evaluate('data.t.allow', { role: 'viewer' }), false);
  assert.equal(engine.evaluate('data.t.reason', { role: 'viewer' }), undefined);
  assert.equal(engine.evaluate('data.t.reason', { role: 'admin' }), 'admin');
  assert.equal(engine.evaluateJson('data.t.allow', '{"role":"admin"}'), true);
  assert.deepEqual(engine.evaluateBatch('data.t.reason', [{ role: 'admin' }, { role: 'x' }]), ['admin', undefined]);
});

test('policy: errors are exceptions with the Rust message; a failed load changes nothing', () => {
  const engine = new PolicyEngine();
  engine.loadModule('t.rego', SIMPLE);
  assert.throws(() => engine.loadModule('bad.rego', 'package bad\nallow if {'), /parse error at bad\.rego:2/);
  assert.deepEqual(engine.moduleNames(), ['t.rego']);
  assert.throws(() => engine.evaluateJson('data.t.allow', '{"role":'), /invalid input/);
  assert.throws(() => engine.removeModule('nope.rego'), /no module named nope\.rego/);
  assert.throws(() => engine.loadDir('/nonexistent/policies'), /cannot read/);
  engine.loadModule('c.rego', 'package c\nx := 1 if input.a\nx := 2 if input.a');
  assert.throws(() => engine.evaluate('data.c.x', { a: true }), /evaluation error/);
  assert.throws(
    () => engine.evaluateBatch('data.c.x', [{ a: false }, { a: true }]),
    /^Error: input 1: evaluation error/,
  );
});

test('policy: the SARK policies load and decide like their fixtures', () => {
  const engine = new PolicyEngine();
  engine.loadDir(resolve('native/sark-opa/policies'));
  const input = { user: { roles: ['developer'] }, action: 'tool:invoke' };
  assert.equal(engine.evaluate('data.sark.simple.allow', input), true);
  assert.equal(engine.evaluate('data.sark.simple.allow', { user: { roles: ['viewer'] } }), false);
});
