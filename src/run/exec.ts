// Child processes through node:child_process, not @actions/exec: @actions/exec
// looks the command up on the runner's PATH rather than the child's env (a
// rustup this run installed is only on the child's), and it reports a process
// killed by a signal as exit code null, losing the SIGKILL that says a runner
// ran out of memory. test/run/exec.test.ts pins both.
import { spawn } from 'node:child_process';
import { ProcessError } from '../common/errors.ts';
import { benchmarkEnv } from './child-env.ts';
import { GROUPS, hold, killTree } from './process-groups.ts';

export interface ExecOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Echo output live (to stderr, keeping stdout for reports). Default true. */
  echo?: boolean;
  /** How many trailing output lines a failure message carries. */
  tailLines?: number;
  /** Kill the child and all it started (SIGKILL to its group) after this long; it then fails with a TimeoutError. */
  timeoutMs?: number;
  /** Kill the child and all it started when this aborts (a cancelled job). */
  signal?: AbortSignal;
  /** How long to wait for the pipes to close once the child has exited (default DRAIN_MS). */
  drainMs?: number;
}

/** A child killed at its deadline (ExecOptions.timeoutMs). */
export class TimeoutError extends ProcessError {
  constructor(
    message: string,
    readonly seconds: number,
  ) {
    super(message);
  }
}

export interface ExecResult {
  stdout: string;
  durationMs: number;
}

/** Keeps only the last `limit` lines of a stream, so a noisy build cannot fill memory. */
class Tail {
  private lines: string[] = [];
  private partial = '';
  constructor(private readonly limit: number) {}
  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.limit * 2) this.lines = this.lines.slice(-this.limit);
  }
  text(): string {
    const all = this.partial === '' ? this.lines : [...this.lines, this.partial];
    return all.slice(-this.limit).join('\n');
  }
}

/**
 * A tool's own error lines: cargo and rustc (`error:`, `error[E0425]:` and the `-->` after it), clap, panics (and
 * the message on the line after: `thread 'main' panicked at src/x.rs:1:1:`, since Rust 1.90 with the thread's id).
 */
const ERROR_LINE = /^(?:error(?:\[E\d+\])?:|thread '.*'(?: \(\d+\))? panicked at)/;
const PANIC_LINE = /^thread '.*'(?: \(\d+\))? panicked at .*:$/;
const MAX_ERROR_LINES = 20;

/** Keeps the first error lines of a stream, wherever they fall in a long build log; stdout and stderr share `lines`. */
class ErrorLines {
  private partial = '';
  private afterError = false;
  private afterPanic = false;
  constructor(readonly lines: string[]) {}
  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.take(line);
  }
  finish(): void {
    if (this.partial !== '') this.take(this.partial);
    this.partial = '';
  }
  private take(raw: string): void {
    // cargo colours its output when it thinks it has a terminal (CARGO_TERM_COLOR=always on some runners).
    const line = raw.replace(/\u001b\[[0-9;]*m/g, '').trimEnd();
    if (this.lines.length >= MAX_ERROR_LINES) return;
    if (this.afterPanic && line.trim() !== '') {
      this.lines.push(line);
      this.afterPanic = false;
    } else if (ERROR_LINE.test(line)) {
      if (!this.lines.includes(line)) this.lines.push(line);
      this.afterError = true;
      this.afterPanic = PANIC_LINE.test(line);
    } else if (this.afterError && /^\s+--> /.test(line)) {
      this.lines.push(line);
      this.afterError = false;
    } else if (line.trim() !== '') {
      this.afterError = false;
    }
  }
}

/** How long the pipes may stay open once the child has exited (ExecOptions.drainMs). */
const DRAIN_MS = 2000;

/**
 * Runs a command, echoing its output, and fails with a ProcessError carrying
 * the tail of the output: a failed build must never turn into a blank report.
 * The child leads a process group of its own, so a timeout or an abort kills
 * everything it started; the result comes when the child exits and its pipes
 * have drained, or DRAIN_MS after it exits, whichever is first, so a
 * grandchild that inherited the pipes cannot hold the run (it is killed).
 */
export function exec(command: string, args: readonly string[], options: ExecOptions): Promise<ExecResult> {
  const started = Date.now();
  const echo = options.echo ?? true;
  const tail = new Tail(options.tailLines ?? 30);
  const stderrTail = new Tail(10);
  const errorLines: string[] = [];
  const errors = { stdout: new ErrorLines(errorLines), stderr: new ErrorLines(errorLines) };
  const display = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    // Without an explicit env, a child gets the runner's minus every credential.
    const group = hold();
    const release = group.release;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? benchmarkEnv(process.env, { token: '', exposeToken: false }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: GROUPS,
    });
    if (child.pid !== undefined) group.adopt(child);
    let stopped: 'timeout' | 'abort' | null = null;
    const stop = (why: 'timeout' | 'abort') => {
      stopped ??= why;
      killTree(child);
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('abort');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) stop('abort');
    const stdout: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      tail.push(chunk.toString());
      errors.stdout.push(chunk.toString());
      if (echo) process.stderr.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      tail.push(chunk.toString());
      stderrTail.push(chunk.toString());
      errors.stderr.push(chunk.toString());
      if (echo) process.stderr.write(chunk);
    });
    let settled = false;
    let drain: NodeJS.Timeout | undefined;
    const cleanup = () => {
      settled = true;
      release();
      clearTimeout(timer);
      clearTimeout(drain);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      cleanup();
      const hint = error.code === 'ENOENT' ? `'${command}' is not installed or not on PATH` : error.message;
      reject(new ProcessError(`${display} could not start in ${options.cwd}: ${hint}.`));
    });
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let openPipes = 2;
    const finish = () => {
      if (settled || exit === null) return;
      cleanup();
      const { code, signal } = exit;
      if (stopped === 'timeout') {
        const seconds = (options.timeoutMs ?? 0) / 1000;
        const limit = seconds >= 10 ? seconds.toFixed(0) : String(Number(seconds.toFixed(1)));
        reject(new TimeoutError(`${display} ran past its ${limit} s limit and was stopped.`, seconds));
        return;
      }
      if (code === 0 && stopped === null) {
        resolve({ stdout: Buffer.concat(stdout).toString(), durationMs: Date.now() - started });
        return;
      }
      const how =
        stopped === 'abort' ? 'was stopped (cancelled)' : signal ? `was killed by ${signal}` : `exited with ${code}`;
      errors.stdout.finish();
      errors.stderr.finish();
      const failure = { command: display, cwd: options.cwd, how, errorLines, tail: tail.text().trim() };
      reject(ProcessError.of({ ...failure, stderrTail: stderrTail.text().trim() }));
    };
    const pipeClosed = () => {
      openPipes -= 1;
      if (openPipes === 0) finish();
    };
    child.stdout.on('close', pipeClosed);
    child.stderr.on('close', pipeClosed);
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // The limit is the child's: once it has exited, only the bounded drain below remains.
      clearTimeout(timer);
      if (openPipes === 0) return finish();
      drain = setTimeout(() => {
        // Something the child started still holds the pipes: it is stopped, and what it wrote so far is kept.
        killTree(child);
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, options.drainMs ?? DRAIN_MS);
    });
  });
}

/** Runs a command and returns its trimmed stdout, or null when it cannot run or fails. */
export async function probe(
  command: string,
  args: readonly string[],
  cwd: string,
  env?: NodeJS.ProcessEnv,
): Promise<string | null> {
  try {
    const { stdout } = await exec(command, args, { cwd, env, echo: false });
    return stdout.trim();
  } catch {
    return null;
  }
}
