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
  usage: 2,
  github: 3,
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

/** A build or benchmark process failed; the message carries the tail of its output. */
export class ProcessError extends UserError {
  readonly exitCode = ExitCode.badInput;
  constructor(message: string) {
    super(message);
    this.name = 'ProcessError';
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
