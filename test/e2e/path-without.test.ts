/**
 * The e2e tests that prove the action never reaches for Rust (the language examples) or Valgrind (the instruction
 * counts' fallback) stand on test/support/path-without.ts: the PATH it makes must lack exactly the hidden tools and
 * find every other one where the shell would.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { setEnv } from '../support/env.ts';
import { pathWithout } from '../support/path-without.ts';

function tools(dir: string, names: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

test('pathWithout hides the named tools and keeps the rest, the first of a name on PATH winning', () => {
  const root = mkdtempSync(join(tmpdir(), 'bench-path-without-'));
  const first = tools(join(root, 'first'), ['cargo', 'node', 'go']);
  const second = tools(join(root, 'second'), ['rustc', 'node', 'valgrind', 'python3']);
  const restore = setEnv({ PATH: [first, join(root, 'absent'), second].join(delimiter) });
  let bin: string;
  try {
    bin = pathWithout((name) => name === 'cargo' || name === 'rustc', 'rust');
  } finally {
    restore();
  }
  for (const hidden of ['cargo', 'rustc']) assert.ok(!existsSync(join(bin, hidden)), `${hidden} is still on the PATH`);
  assert.equal(readlinkSync(join(bin, 'node')), join(first, 'node'), 'the first node on PATH wins');
  assert.equal(readlinkSync(join(bin, 'go')), join(first, 'go'));
  assert.equal(readlinkSync(join(bin, 'valgrind')), join(second, 'valgrind'));
  assert.equal(readlinkSync(join(bin, 'python3')), join(second, 'python3'));
});
