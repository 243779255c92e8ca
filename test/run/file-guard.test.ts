/**
 * run/file-guard.ts: Cargo.lock (or any file the counting build changes) is
 * put back when the process is cancelled, as the runner cancels a job
 * (SIGTERM, or SIGINT), while a child that rewrote it is still running. The
 * process under test is real and killed for real.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { keepingFiles } from '../../src/run/file-guard.ts';

const SCRIPT = `
import { keepingFiles } from ${JSON.stringify(resolve('src/run/file-guard.ts'))};
import { exec } from ${JSON.stringify(resolve('src/run/exec.ts'))};
const lock = process.argv[2];
await keepingFiles([lock], (signal) =>
  exec('sh', ['-c', 'printf rewritten > "$0"; echo "ready $$"; exec sleep 120', lock], { cwd: '/', signal }),
);
`;

/** Runs the script, waits for its child to rewrite the lock, sends `signal`; resolves when the process is gone. */
function cancelDuring(lock: string, signal: NodeJS.Signals): Promise<{ signal: NodeJS.Signals | null; child: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-guard-'));
  const script = join(dir, 'guarded.mts');
  writeFileSync(script, SCRIPT);
  const proc = spawn(process.execPath, ['--import', 'tsx', script, lock], { stdio: ['ignore', 'ignore', 'pipe'] });
  let child = 0;
  let stderr = '';
  return new Promise((done, fail) => {
    const deadline = setTimeout(() => {
      proc.kill('SIGKILL');
      fail(new Error(`the guarded process did not report its child within 60 s:\n${stderr}`));
    }, 60_000);
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const ready = /ready (\d+)/.exec(stderr);
      if (ready && child === 0) {
        child = Number(ready[1]);
        assert.equal(readFileSync(lock, 'utf8'), 'rewritten', 'the child rewrote the lock before the signal');
        proc.kill(signal);
      }
    });
    proc.on('close', (_code, how) => {
      clearTimeout(deadline);
      done({ signal: how, child });
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the user's files come back when the job is cancelled", () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: the running child is killed, Cargo.lock restored byte for byte, the process ends by ${signal}`, async () => {
      const lock = join(mkdtempSync(join(tmpdir(), 'bench-guard-lock-')), 'Cargo.lock');
      const original = "# the user's lock\r\nversion = 3\n\u00e9";
      writeFileSync(lock, original);
      const ended = await cancelDuring(lock, signal);
      assert.equal(ended.signal, signal);
      assert.equal(readFileSync(lock, 'utf8'), original);
      assert.ok(ended.child > 0 && !alive(ended.child), `the child ${ended.child} was killed`);
    });
  }

  it('what the step left at the path is replaced, never written through: a symlink, a FIFO; the mode comes back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-guard-links-'));
    const lock = join(dir, 'Cargo.lock');
    const victim = join(dir, 'victim');
    writeFileSync(lock, 'the lock');
    chmodSync(lock, 0o640);
    writeFileSync(victim, 'not yours');
    await keepingFiles([lock], async () => {
      rmSync(lock);
      symlinkSync(victim, lock);
    });
    assert.equal(readFileSync(victim, 'utf8'), 'not yours', "the symlink's target is untouched");
    assert.ok(lstatSync(lock).isFile(), 'a regular file again');
    assert.equal(readFileSync(lock, 'utf8'), 'the lock');
    assert.equal(lstatSync(lock).mode & 0o777, 0o640);
    // A FIFO is never opened (a read or write would block the process on its way out).
    await keepingFiles([lock], async () => {
      rmSync(lock);
      execFileSync('mkfifo', [lock]);
    });
    assert.ok(lstatSync(lock).isFile());
    assert.equal(readFileSync(lock, 'utf8'), 'the lock');
  });

  it('a lock the build created is removed, and an error restores as a normal end does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-guard-new-'));
    const created = join(dir, 'Cargo.lock');
    await assert.rejects(
      keepingFiles([created], async () => {
        writeFileSync(created, 'made by the build');
        throw new Error('the build failed');
      }),
      /the build failed/,
    );
    assert.equal(existsSync(created), false);
    assert.equal(process.listenerCount('SIGTERM'), 0, 'no signal listener is left behind');
  });
});
