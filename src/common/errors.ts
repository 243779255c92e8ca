/**
 * Failures a user can cause. Each carries the one-line message the user sees
 * and the exit code the CLI returns; entry points turn them into
 * `core.setFailed` or `process.exit`. Anything that is not a UserError is a bug.
 */
export abstract class UserError extends Error {
  abstract readonly exitCode: number;
}

/** Exit codes, distinct per cause so scripts can branch on them. */
export const ExitCode = {
  ok: 0,
  regression: 1,
  badInput: 2,
  /** A bad flag, argument or action input (sysexits' EX_USAGE). */
  usage: 64,
  github: 3,
  /**
   * Benchmarks of the base missing from the head: always when none is in common, with --fail-on-missing when any is.
   */
  missing: 4,
  /** An unexpected failure: a bug in bench-action (sysexits' EX_SOFTWARE). */
  bug: 70,
} as const;

/** The build fails because of what was measured, not because anything went wrong. */
export class RegressionFailure extends UserError {
  readonly exitCode = ExitCode.regression;
  constructor(message: string) {
    super(message);
    this.name = 'RegressionFailure';
  }
}

/** The build fails because benchmarks of the baseline are missing from the head (compare/gate.ts gateMissing). */
export class MissingBenchmarksFailure extends UserError {
  readonly exitCode = ExitCode.missing;
  constructor(message: string) {
    super(message);
    this.name = 'MissingBenchmarksFailure';
  }
}

/** A file or directory the user pointed at is missing, unreadable or malformed. */
export class InputError extends UserError {
  readonly exitCode = ExitCode.badInput;
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'InputError';
  }
}

/** A flag, argument or action input is unknown or has a bad value. */
export class UsageError extends UserError {
  readonly exitCode = ExitCode.usage;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** GitHub (REST or artifact service) refused or failed a request. */
export class GitHubError extends UserError {
  readonly exitCode = ExitCode.github;
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'GitHubError';
  }
}

/** What a failed command left behind, for the annotation and the job summary. */
export interface ProcessFailure {
  /** The command line as run. */
  command: string;
  cwd: string;
  /** "exited with 101", "was killed by SIGKILL". */
  how: string;
  /** The tool's own `error:` lines (cargo, rustc, Criterion's argument parser), in order. */
  errorLines: string[];
  /** The last lines of its output. */
  tail: string;
  /** The last lines of its stderr alone (what a dying program said last, apart from its stdout's progress). */
  stderrTail?: string;
}

/**
 * A build or benchmark process failed. The message is what the annotation
 * shows: the command, its `error:` lines (or the last few lines when it printed
 * none) and what to try; `failure` keeps the rest for the job summary.
 */
export class ProcessError extends UserError {
  readonly exitCode = ExitCode.badInput;
  constructor(
    message: string,
    readonly failure: ProcessFailure | null = null,
    readonly hint: string | null = null,
  ) {
    super(message);
    this.name = 'ProcessError';
  }

  static of(failure: ProcessFailure, hint: string | null = null): ProcessError {
    const lines = failure.errorLines.length > 0 ? failure.errorLines.slice(0, 12) : failure.tail.split('\n').slice(-8);
    const text = [
      `${failure.command} ${failure.how} in ${failure.cwd}.`,
      ...lines.filter((line) => line.trim() !== ''),
      ...(hint ? [hint] : []),
    ];
    return new ProcessError(text.join('\n'), failure, hint);
  }

  /** The same failure with advice about what to change. */
  withHint(hint: string): ProcessError {
    return this.failure
      ? ProcessError.of(this.failure, hint)
      : new ProcessError(`${this.message}\n${hint}`, null, hint);
  }
}

/**
 * A message as one inert line for a terminal or a log: control characters
 * (newlines that could start a `::error::` workflow command, escape sequences)
 * and line separators become visible escapes.
 */
export function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
