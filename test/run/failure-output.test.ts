import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProcessError, UsageError } from '../../src/common/errors.ts';
import { renderFailure } from '../../src/report/failure.ts';
import { exec } from '../../src/run/exec.ts';
import { findWorkspace } from '../../src/run/workspace.ts';

// A build that compiles a lot, fails with rustc's errors in the middle, then prints more.
const FAILING_BUILD = [
  'for i in $(seq 1 60); do echo "   Compiling dep$i v1.0.0" >&2; done',
  'printf "error[E0425]: cannot find value \\`x\\` in this scope\\n  --> src/lib.rs:3:5\\n   |\\n3  |     x\\n" >&2',
  'echo "error: could not compile \\`demo\\` (lib) due to 1 previous error" >&2',
  'for i in $(seq 61 100); do echo "   Compiling dep$i v1.0.0" >&2; done',
  'exit 101',
].join('\n');

describe('failure output', () => {
  it("a failed command's annotation is the command, its own error lines and location, not the build chatter", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bench-exec-'));
    writeFileSync(join(cwd, 'build.sh'), FAILING_BUILD);
    const error = await exec('bash', ['build.sh'], { cwd, echo: false, tailLines: 40 }).catch((e: unknown) => e);
    assert.ok(error instanceof ProcessError);
    const lines = error.message.split('\n');
    assert.equal(lines[0], `bash build.sh exited with 101 in ${cwd}.`);
    assert.deepEqual(error.failure?.errorLines, [
      'error[E0425]: cannot find value `x` in this scope',
      '  --> src/lib.rs:3:5',
      'error: could not compile `demo` (lib) due to 1 previous error',
    ]);
    assert.ok(!error.message.includes('Compiling'), error.message);
    assert.match(error.failure?.tail ?? '', /Compiling dep100/, 'the tail is kept for the summary');
    const hinted = error.withHint("Input 'quick' added --measurement-time 1.");
    assert.equal(hinted.message.split('\n').at(-1), "Input 'quick' added --measurement-time 1.");
  });

  it("a panic is an error line with its message, in Rust 1.90's form with the thread's id and the older one", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bench-exec-'));
    for (const thread of ["thread 'main' (21844)", "thread 'main'"]) {
      const script = `echo "${thread} panicked at benches/first.rs:1:13:" >&2; echo "the fixture file is missing" >&2; echo "note: run with \\\`RUST_BACKTRACE=1\\\`" >&2; exit 101`;
      const error = await exec('bash', ['-c', script], { cwd, echo: false }).catch((e: unknown) => e);
      assert.ok(error instanceof ProcessError);
      assert.deepEqual(error.failure?.errorLines, [
        `${thread} panicked at benches/first.rs:1:13:`,
        'the fixture file is missing',
      ]);
    }
  });

  it('without error lines the annotation carries the last few lines instead', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bench-exec-'));
    const error = await exec('bash', ['-c', 'for i in $(seq 1 30); do echo line$i; done; exit 3'], {
      cwd,
      echo: false,
    }).catch((e: unknown) => e);
    assert.ok(error instanceof ProcessError);
    assert.deepEqual(error.message.split('\n').slice(1), [
      'line23',
      'line24',
      'line25',
      'line26',
      'line27',
      'line28',
      'line29',
      'line30',
    ]);
  });

  it('the failure summary says what failed, the errors, what to try, and folds the output in a fence it cannot break', () => {
    const text = renderFailure({
      what: 'cargo bench exited with 101 in /w.',
      command: 'cargo bench --bench * -- --warm-up-time 0.5',
      errorLines: ["error: Invalid value: The argument '0.5' isn't a valid value"],
      tail: 'a ``` fence in the output\n@someone',
      tryThis: 'set quick: false',
    });
    assert.match(text, /^### ❌ bench-action failed\n\n\*\*What failed:\*\* cargo bench exited with 101 in \/w\./);
    assert.match(text, /```text\nerror: Invalid value: The argument '0\.5' isn't a valid value\n```/);
    assert.match(text, /\*\*What to try:\*\* set quick: false/);
    assert.match(
      text,
      /<details><summary>Last output<\/summary>\n\n````text\na ``` fence in the output\n@someone\n````/,
    );
  });

  it('the workspace: native-dir when set, else native/, else the root, else a message saying where it looked', () => {
    const files =
      (...paths: string[]) =>
      (path: string) =>
        paths.includes(path);
    assert.equal(findWorkspace('/repo', '', files('/repo/native/Cargo.toml', '/repo/Cargo.toml')), '/repo/native');
    assert.equal(findWorkspace('/repo', '', files('/repo/Cargo.toml')), '/repo');
    assert.equal(
      findWorkspace('/repo', 'crates/x', files('/repo/crates/x/Cargo.toml', '/repo/Cargo.toml')),
      '/repo/crates/x',
    );
    assert.throws(
      () => findWorkspace('/repo', 'crates/x', files('/repo/Cargo.toml')),
      /^UsageError: Input 'native-dir': no Cargo\.toml in \/repo\/crates\/x/,
    );
    assert.throws(
      () => findWorkspace('/repo', '', files()),
      (e: unknown) =>
        e instanceof UsageError &&
        e.message ===
          "No Cargo workspace found: looked for native/Cargo.toml and Cargo.toml in /repo; set the input 'native-dir' to your workspace's directory, or 'working-directory' to where it lives; for benchmarks in another language, set 'run' to the command that runs them.",
    );
  });
});
