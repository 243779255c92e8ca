/**
 * The job summary of a run that failed before it had a report: what failed,
 * the tool's own error lines, what to try, and the last output folded. Pure.
 * Tool output may come from a pull request's code, so it only ever appears
 * inside code blocks, whose fence is longer than any backtick run in it.
 */
import { ProcessError, UserError } from '../common/errors.ts';
import { escapeText } from './format.ts';

export interface FailureReport {
  /** One line: what failed. */
  what: string;
  /** The failing command line, when a process failed. */
  command?: string;
  /** The tool's own `error:` lines. */
  errorLines?: readonly string[];
  /** The last lines of its output. */
  tail?: string;
  /** What the user can change. */
  tryThis: string;
}

function codeBlock(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

export function renderFailure(report: FailureReport): string {
  const lines = ['### ❌ bench-action failed', '', `**What failed:** ${escapeText(report.what)}`];
  if (report.command) lines.push('', '**Command:**', '', codeBlock(report.command));
  if (report.errorLines && report.errorLines.length > 0)
    lines.push('', '**Errors:**', '', codeBlock(report.errorLines.join('\n')));
  lines.push('', `**What to try:** ${escapeText(report.tryThis)}`);
  if (report.tail)
    lines.push('', '<details><summary>Last output</summary>', '', codeBlock(report.tail), '', '</details>');
  return `${lines.join('\n')}\n`;
}

const ADVICE: Readonly<Record<string, string>> = {
  UsageError: 'Fix the input named above; every input is listed, with its default, in the README and action.yml.',
  InputError: 'Check the file named above: that it exists in the checkout and holds what the message says is missing.',
  GitHubError:
    "Check the workflow's permissions (pull-requests: write to comment, actions: read to find the baseline); if GitHub was having trouble, re-run the job.",
};

/** What the job summary says about an error that ended the run, and what to try. */
export function failureReport(error: unknown): FailureReport {
  if (error instanceof ProcessError && error.failure) {
    const { command, how, cwd, errorLines, tail } = error.failure;
    const tryThis = error.hint ?? `Run \`${command}\` in ${cwd} on your machine: the errors above are the tool's own.`;
    return {
      what: `${command.split(' ').slice(0, 2).join(' ')} ${how} in ${cwd}.`,
      command,
      errorLines,
      tail,
      tryThis,
    };
  }
  if (!(error instanceof UserError))
    return {
      what: `bench-action crashed, which is a bug: ${(error as Error).message}`,
      tryThis: 'Re-run the job; if it fails again, report it with this log.',
    };
  const hint = error instanceof ProcessError ? error.hint : null;
  return {
    what: error.message.split('\n')[0] ?? error.message,
    tryThis: hint ?? ADVICE[error.name] ?? 'See the message above and the step log.',
  };
}
