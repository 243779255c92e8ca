/**
 * The CLI's commands: each module in commands/ holds its flags (one table),
 * its help (generated from that table), how its arguments are read and how it
 * runs. This module lists them, reads argv into one typed command and runs it.
 */
import { ExitCode, UsageError } from '../common/errors.ts';
import { TOOL_VERSION } from '../common/version.ts';
import * as compare from './commands/compare.ts';
import * as dashboard from './commands/dashboard.ts';
import * as history from './commands/history.ts';
import * as merge from './commands/merge.ts';
import * as parse from './commands/parse.ts';
import * as report from './commands/report.ts';
import * as shard from './commands/shard.ts';
import { helpText, parseFlags, type CommandHelp, type Flag, type ParsedFlags } from './flags.ts';

/** The CLI's commands after parsing and validation. */
export type CliCommand =
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | parse.ParseCommand
  | compare.CompareCommand
  | report.ReportCommand
  | history.HistoryCommand
  | dashboard.DashboardCommand
  | shard.ShardCommand
  | merge.MergeCommand;

interface CommandModule {
  HELP: CommandHelp;
  FLAGS: readonly Flag[];
  read(parsed: ParsedFlags): CliCommand;
}

/** In the order the main help lists them. */
const COMMANDS: readonly CommandModule[] = [parse, compare, report, history, dashboard, shard, merge];

export const MAIN_HELP = `bench-action: benchmark results in one schema, compared with noise-aware statistics.

Usage:
${COMMANDS.map(({ HELP }) => `  bench-action ${HELP.name} ${HELP.usage}`).join('\n')}

Run 'bench-action <command> --help' for a command's options.

Exit codes: 0 no regression, 1 a regression over the threshold, 2 bad input (a file is missing
or malformed), 3 GitHub refused, 4 nothing in common between base and head (or, with
--fail-on-missing, any benchmark of the base missing from the head), 64 bad usage (a flag or
argument), 70 a bug in bench-action.`;

/** argv to one command. Pure. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help')
    return { kind: 'help', text: MAIN_HELP };
  if (name === '-V' || name === '--version') return { kind: 'version' };
  const command = COMMANDS.find(({ HELP }) => HELP.name === name);
  if (!command) {
    throw new UsageError(
      `bench-action: unknown command '${name}'; commands are ${COMMANDS.map(({ HELP }) => HELP.name).join(', ')} (see 'bench-action --help').`,
    );
  }
  const parsed = parseFlags(name, rest, command.FLAGS);
  return parsed === null ? { kind: 'help', text: helpText(command.HELP, command.FLAGS) } : command.read(parsed);
}

export async function runCommand(command: CliCommand): Promise<number> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${command.text}\n`);
      return ExitCode.ok;
    case 'version':
      process.stdout.write(`${TOOL_VERSION}\n`);
      return ExitCode.ok;
    case 'parse':
      return parse.run(command);
    case 'compare':
      return compare.run(command);
    case 'report':
      return report.run(command);
    case 'history':
      return history.run(command);
    case 'dashboard':
      return dashboard.run(command);
    case 'shard':
      return shard.run(command);
    case 'merge':
      return merge.run(command);
  }
}
