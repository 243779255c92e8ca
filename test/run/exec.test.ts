import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it, test } from 'node:test';
import { ProcessError } from '../../src/common/errors.ts';
import { exec, TimeoutError } from '../../src/run/exec.ts';
import { ends, pidIn, show } from '../support/processes.ts';

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

// A grandchild that inherits the pipes (a bench binary under Valgrind under cargo) sleeps 120 s: on the old code,
// which waited for the pipes to close and killed the direct child only, each of these took the full 120 s.
describe('a child and everything it started', { skip: process.platform === 'win32' }, () => {
  it(
    'are killed at the time limit, and the result comes although a grandchild held the pipes',
    { timeout: 90_000 },
    async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'bench-exec-'));
      const started = Date.now();
      const error = await exec('bash', ['-c', 'sleep 120 & echo $! > grandchild; wait'], {
        cwd,
        echo: false,
        timeoutMs: 5000,
      }).catch((e: unknown) => e);
      assert.ok(error instanceof TimeoutError, String(error));
      const grandchild = await pidIn(join(cwd, 'grandchild'));
      assert.ok(
        Date.now() - started < 60_000,
        `settled after ${Date.now() - started} ms, not when the grandchild ended`,
      );
      assert.ok(await ends(grandchild), `the grandchild was killed with its parent: ${show(grandchild)}`);
    },
  );

  it(
    'settle when the child exits, within the drain time, though a grandchild still holds the pipes',
    { timeout: 90_000 },
    async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'bench-exec-'));
      const started = Date.now();
      const { stdout } = await exec('bash', ['-c', 'sleep 120 & echo $! > grandchild; echo done'], {
        cwd,
        echo: false,
        drainMs: 500,
      });
      assert.equal(stdout, 'done\n');
      assert.ok(Date.now() - started < 60_000, `settled after ${Date.now() - started} ms`);
      const grandchild = await pidIn(join(cwd, 'grandchild'));
      assert.ok(await ends(grandchild), `the grandchild that held the pipes was stopped: ${show(grandchild)}`);
    },
  );

  it(
    "a child that exited in time is a success, though the drain of a grandchild's pipes runs past the time limit",
    { timeout: 90_000 },
    async () => {
      // The limit is the child's: once it has exited 0, only the bounded drain remains (it was a TimeoutError).
      const cwd = mkdtempSync(join(tmpdir(), 'bench-exec-'));
      const { stdout } = await exec('bash', ['-c', 'sleep 120 & echo $! > grandchild; echo done'], {
        cwd,
        echo: false,
        timeoutMs: 10_000,
        drainMs: 20_000,
      });
      assert.equal(stdout, 'done\n');
      const grandchild = await pidIn(join(cwd, 'grandchild'));
      assert.ok(await ends(grandchild), `the grandchild that held the pipes was stopped: ${show(grandchild)}`);
    },
  );

  it('are killed when the signal aborts (a cancelled job)', { timeout: 90_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bench-exec-'));
    const abort = new AbortController();
    const pending = exec('bash', ['-c', 'sleep 120 & echo $! > grandchild; wait'], {
      cwd,
      echo: false,
      signal: abort.signal,
    }).catch((e: unknown) => e);
    const grandchild = await pidIn(join(cwd, 'grandchild'));
    abort.abort();
    const error = await pending;
    assert.ok(error instanceof ProcessError);
    assert.match(error.message, /was stopped \(cancelled\)/);
    assert.ok(await ends(grandchild), `the grandchild was killed: ${show(grandchild)}`);
  });

  it('are killed when this process is told to stop, and it then ends by that signal', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-exec-'));
    const script = join(dir, 'runs.mts');
    writeFileSync(
      script,
      `import { exec } from ${JSON.stringify(resolve('src/run/exec.ts'))};
await exec('bash', ['-c', 'sleep 120 & echo $! > grandchild; wait'], { cwd: ${JSON.stringify(dir)}, echo: false });`,
    );
    const proc = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'ignore' });
    const grandchild = await pidIn(join(dir, 'grandchild'));
    const ended = new Promise<NodeJS.Signals | null>((done) => proc.on('close', (_code, signal) => done(signal)));
    proc.kill('SIGTERM');
    assert.equal(await ended, 'SIGTERM');
    assert.ok(await ends(grandchild), `the grandchild did not outlive the process: ${show(grandchild)}`);
  });
});
