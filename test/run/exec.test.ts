import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ProcessError } from '../../src/common/errors.ts';
import { exec } from '../../src/run/exec.ts';

// What run/exec.ts does that @actions/exec cannot (see its header): these pin it.

test('a process killed by a signal is reported with the signal, as a runner out of memory kills it', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'bench-exec-'));
  const error = await exec('bash', ['-c', 'kill -KILL $$'], { cwd, echo: false }).catch((e: unknown) => e);
  assert.ok(error instanceof ProcessError);
  assert.equal(error.message.split('\n')[0], `bash -c kill -KILL $$ was killed by SIGKILL in ${cwd}.`);
});

test("a command is found on the child's PATH (a rustup installed by this run), not only on the runner's", async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'bench-exec-'));
  const bin = mkdtempSync(join(tmpdir(), 'bench-bin-'));
  writeFileSync(join(bin, 'bench-action-test-tool'), '#!/bin/sh\necho found\n');
  chmodSync(join(bin, 'bench-action-test-tool'), 0o755);
  const { stdout } = await exec('bench-action-test-tool', [], {
    cwd,
    echo: false,
    env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
  });
  assert.equal(stdout, 'found\n');
});

test('a command that is not installed is one line saying so', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'bench-exec-'));
  const error = await exec('bench-action-no-such-tool', ['x'], { cwd, echo: false }).catch((e: unknown) => e);
  assert.ok(error instanceof ProcessError);
  assert.equal(
    error.message,
    `bench-action-no-such-tool x could not start in ${cwd}: 'bench-action-no-such-tool' is not installed or not on PATH.`,
  );
});

test('the child reads no input: stdin is closed, so a tool that waits for it does not hang the run', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'bench-exec-'));
  const { stdout } = await exec('bash', ['-c', 'cat; echo done'], { cwd, echo: false });
  assert.equal(stdout, 'done\n');
});
