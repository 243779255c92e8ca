#!/usr/bin/env node
// The bench-action command line: the same analysis the action runs, on local files.
// Each command is a module of cli/commands/; a failure a user can cause exits with its own code.
import { runCommand, parseCliArgs } from './cli/commands.ts';
import { ExitCode, UserError, oneLine } from './common/errors.ts';

try {
  process.exitCode = await runCommand(parseCliArgs(process.argv.slice(2)));
} catch (error) {
  if (error instanceof UserError) {
    // Messages quote file contents (ids, property names): one inert line each.
    const message = oneLine(error.message);
    // Usage errors already name their command ("bench-action compare: ..."): one prefix, not two.
    console.error(/^bench-action[ :]/.test(message) ? message : `bench-action: ${message}`);
    process.exitCode = error.exitCode;
  } else {
    // Never exit 1 on a bug: scripts read 1 as "a benchmark regressed".
    console.error(
      `bench-action: crashed, which is a bug: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = ExitCode.bug;
  }
}
