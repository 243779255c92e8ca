/**
 * What cargo's configuration adds when it runs a target itself, for bench
 * executables the confirmation round starts directly (bench-binaries.ts): the
 * `[env]` table and the host target's `runner`. Without them a round would
 * measure another program than the head's `cargo bench` did (a `[env]
 * RAYON_NUM_THREADS = "1"` dropped), or fail to start one a runner must start.
 *
 * Read as cargo reads them (doc.rust-lang.org/cargo/reference/config.html):
 * `.cargo/config.toml` (or `.cargo/config`, which wins when both exist) in the
 * directory cargo runs in and each parent, the nearer first, then
 * `$CARGO_HOME/config.toml`; `CARGO_TARGET_<TRIPLE>_RUNNER` before them all.
 * Left out, and said in a note: `target.'cfg(...)'` runners, `--config`
 * arguments and `CARGO_BUILD_TARGET` / `build.target` (a cross target's
 * runner). The parsing and merging are pure; `readCargoConfig` reads the files.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'smol-toml';

export interface ConfigFile {
  /** The file's path: relative values in it are read against the directory that holds its `.cargo`. */
  path: string;
  text: string;
}

export interface CargoRunConfig {
  /** `[env]` as it applies over `env`: unforced keys the environment already sets are left to it. */
  env: Record<string, string>;
  /** The program and its arguments cargo puts before a target's executable; null: none. */
  runner: string[] | null;
  /** What the round does not apply, each a sentence for the log. */
  notes: string[];
}

type Table = Record<string, unknown>;

const isTable = (value: unknown): value is Table =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The directory a config file's relative paths mean: the parent of its `.cargo` (or of $CARGO_HOME). */
const baseOf = (file: ConfigFile): string => dirname(dirname(file.path));

/** A runner's program: a bare name is looked up on PATH, a path with a separator is the config's (cargo's rule). */
function runnerProgram(program: string, file: ConfigFile): string {
  if (isAbsolute(program) || !/[\\/]/.test(program)) return program;
  return resolve(baseOf(file), program);
}

function runnerOf(value: unknown, file: ConfigFile): string[] | null {
  const words = typeof value === 'string' ? value.split(/\s+/).filter((w) => w !== '') : value;
  if (!Array.isArray(words) || words.length === 0 || !words.every((w): w is string => typeof w === 'string'))
    return null;
  const [program, ...rest] = words as [string, ...string[]];
  return [runnerProgram(program, file), ...rest];
}

/**
 * `[env]` and the runner for `host` from config files (nearest first, as readCargoConfig finds them) over the
 * environment `env`, as cargo would apply them to a target it runs. A file that does not parse is named in a note
 * and skipped (cargo itself would refuse to run; the head's build already ran, so it parsed there). Pure.
 */
export function runConfig(files: readonly ConfigFile[], host: string, env: NodeJS.ProcessEnv): CargoRunConfig {
  const notes: string[] = [];
  const entries = new Map<string, { value: string; force: boolean }>();
  let runner: string[] | null = null;
  for (const file of files) {
    let doc: Table;
    try {
      doc = parse(file.text) as Table;
    } catch {
      notes.push(`${file.path} does not parse as TOML: its [env] and runner are not applied to the round's runs.`);
      continue;
    }
    const envTable = isTable(doc['env']) ? doc['env'] : {};
    for (const [key, raw] of Object.entries(envTable)) {
      if (entries.has(key)) continue; // a nearer file set it
      if (typeof raw === 'string') entries.set(key, { value: raw, force: false });
      else if (isTable(raw) && typeof raw['value'] === 'string') {
        const value = raw['relative'] === true ? join(baseOf(file), raw['value']) : raw['value'];
        entries.set(key, { value, force: raw['force'] === true });
      }
    }
    const targets = isTable(doc['target']) ? doc['target'] : {};
    const own = targets[host];
    if (runner === null && isTable(own) && own['runner'] !== undefined) runner = runnerOf(own['runner'], file);
    for (const [key, table] of Object.entries(targets))
      if (key.startsWith('cfg(') && isTable(table) && table['runner'] !== undefined)
        notes.push(`${file.path} sets a runner for target.'${key}': the round runs the bench executables without it.`);
    const build = isTable(doc['build']) ? doc['build'] : {};
    if (build['target'] !== undefined)
      notes.push(`${file.path} sets build.target: the round applies only the host's (${host}) runner.`);
  }
  const fromEnv = env[`CARGO_TARGET_${host.toUpperCase().replace(/[-.]/g, '_')}_RUNNER`];
  if (fromEnv) runner = fromEnv.split(/\s+/).filter((w) => w !== '');
  const applied: Record<string, string> = {};
  for (const [key, { value, force }] of entries) if (force || env[key] === undefined) applied[key] = value;
  return { env: applied, runner: runner && runner.length > 0 ? runner : null, notes };
}

/** The config files cargo reads when run in `cwd`, nearest first ($CARGO_HOME's last, once). */
export async function readCargoConfig(cwd: string, env: NodeJS.ProcessEnv): Promise<ConfigFile[]> {
  const dirs: string[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    dirs.push(join(dir, '.cargo'));
    if (dirname(dir) === dir) break;
  }
  const home = env['CARGO_HOME'] ? resolve(env['CARGO_HOME']) : join(homedir(), '.cargo');
  if (!dirs.includes(home)) dirs.push(home);
  const files: ConfigFile[] = [];
  for (const dir of dirs) {
    // Cargo reads `config` when both exist (and warns).
    const path = [join(dir, 'config'), join(dir, 'config.toml')].find((p) => existsSync(p));
    if (path) files.push({ path, text: await readFile(path, 'utf8') });
  }
  return files;
}
