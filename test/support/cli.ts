/** Runs the CLI from source, as a user would run the bundled one, for the CLI tests. */
import { spawnSync } from 'node:child_process';

export interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function cli(...args: string[]): Outcome {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
