/**
 * Where the Cargo workspace is, when there is one. Pure: the caller passes
 * `exists` (existsSync in the action), so the run plan decides once whether
 * Rust is prepared at all (action/plan.ts).
 */
import { join, resolve } from 'node:path';
import { UsageError } from '../common/errors.ts';

/** Where a Cargo workspace is looked for when 'native-dir' is not set, in order. */
export const WORKSPACE_CANDIDATES = ['native', '.'];

/** The first of native/ and the working directory that holds a Cargo.toml, or null. */
export function detectWorkspace(workDir: string, exists: (path: string) => boolean): string | null {
  const found = WORKSPACE_CANDIDATES.map((candidate) => resolve(workDir, candidate)).find((dir) =>
    exists(join(dir, 'Cargo.toml')),
  );
  return found ?? null;
}

/**
 * The Cargo workspace to benchmark: 'native-dir' when set, else native/
 * (SARK's layout), else the working directory itself; a UsageError naming
 * what to set when there is none.
 */
export function findWorkspace(workDir: string, input: string, exists: (path: string) => boolean): string {
  if (input !== '') {
    const dir = resolve(workDir, input);
    if (!exists(join(dir, 'Cargo.toml')))
      throw new UsageError(
        `Input 'native-dir': no Cargo.toml in ${dir}; point it at the Cargo workspace to benchmark.`,
      );
    return dir;
  }
  const found = detectWorkspace(workDir, exists);
  if (found) return found;
  const looked = WORKSPACE_CANDIDATES.map((candidate) => join(candidate, 'Cargo.toml')).join(' and ');
  throw new UsageError(
    `No Cargo workspace found: looked for ${looked} in ${resolve(workDir)}; set the input 'native-dir' to your workspace's directory, or 'working-directory' to where it lives; for benchmarks in another language, set 'run' to the command that runs them.`,
  );
}
