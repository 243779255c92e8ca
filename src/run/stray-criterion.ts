/**
 * Criterion results written where an old Criterion puts them (shell).
 * Criterion before 0.3.3 ignores CRITERION_HOME (read from 0.3.3, its src/lib.rs), which the action sets so a
 * cached target directory cannot leak stale results in: it writes to
 * $CARGO_TARGET_DIR/criterion (0.2.5-0.3.2), else to ./target/criterion in the bench's
 * package directory (cargo's working directory for a bench), whatever
 * directory cargo builds in. The benchmarks a run wrote there (their
 * new/benchmark.json changed since the run started, and not dated in the
 * future) are copied into the
 * Criterion home; older results, a cache's or a previous run's, are not taken.
 * Only regular files are read (a symlink, a FIFO or a device a bench left
 * there is skipped), each bounded, and the copies are new files in the run's
 * own scratch directory.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { MAX_INPUT_BYTES, readText } from '../files/read.ts';
import { probe } from './exec.ts';

/** The files of a benchmark's `new/` directory that the Criterion adapter reads. */
const RESULT_FILES = ['benchmark.json', 'estimates.json', 'sample.json'];
/** Criterion's layout is group/function/value/new: deeper directories are not its. */
const MAX_DEPTH = 6;

/** Where a Criterion that ignores CRITERION_HOME writes, for benches run in `nativeDir` with `env`. */
export async function strayCriterionDirs(nativeDir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const targetDir = env['CARGO_TARGET_DIR'];
  if (targetDir && isAbsolute(targetDir)) return [join(targetDir, 'criterion')];
  const metadata = await probe('cargo', ['metadata', '--format-version', '1', '--no-deps'], nativeDir, env);
  const packages = metadata === null ? [] : ((JSON.parse(metadata) as { packages?: unknown }).packages ?? []);
  const dirs = new Set([nativeDir]);
  if (Array.isArray(packages))
    for (const pkg of packages as { manifest_path?: unknown }[])
      if (typeof pkg.manifest_path === 'string') dirs.add(dirname(pkg.manifest_path));
  // A relative CARGO_TARGET_DIR means the bench's working directory, its package's: so does `target`.
  return [...dirs].map((dir) => join(dir, targetDir || 'target', 'criterion'));
}

/** A clock's drift, or a file system's rounding, that a result written in this run may show. */
const FUTURE_SLACK_MS = 60_000;

/**
 * The `new/` directories below `root` whose benchmark.json is a regular file changed at or after `since`, and not
 * later than now: a time in the future (a cache saved where the clock ran ahead, a `touch -d`) is no proof of this run.
 */
function freshResults(root: string, since: number): string[] {
  const until = Date.now() + FUTURE_SLACK_MS;
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const info = lstatSync(path, { throwIfNoEntry: false });
      if (!info?.isDirectory()) continue;
      if (name === 'new') {
        const marker = lstatSync(join(path, 'benchmark.json'), { throwIfNoEntry: false });
        if (marker?.isFile() && marker.mtimeMs >= since && marker.mtimeMs <= until) found.push(path);
      } else if (depth < MAX_DEPTH && name !== 'report') walk(path, depth + 1);
    }
  };
  walk(root, 0);
  return found;
}

/** What collectStrayCriterion took, and the ids it found written twice in this run. */
export interface StrayTaken {
  copied: number;
  /** Each id written again (at `path`) after home or an earlier directory had it: that copy is not taken. */
  collisions: { id: string; path: string }[];
}

/**
 * Copies into `home` the benchmarks written to `dirs` since `since` (ms) that
 * `home` does not have; the ones it has already (two benches of this run wrote
 * one id) are named, not taken.
 */
export async function collectStrayCriterion(dirs: readonly string[], home: string, since: number): Promise<StrayTaken> {
  const taken: StrayTaken = { copied: 0, collisions: [] };
  for (const root of dirs) {
    if (!existsSync(root)) continue;
    for (const fresh of freshResults(root, since)) {
      const target = join(home, relative(root, fresh));
      if (existsSync(join(target, 'benchmark.json'))) {
        taken.collisions.push({ id: relative(root, dirname(fresh)), path: dirname(fresh) });
        continue;
      }
      const files: [string, string][] = [];
      for (const name of RESULT_FILES) {
        const info = lstatSync(join(fresh, name), { throwIfNoEntry: false });
        if (info?.isFile()) files.push([name, await readText(join(fresh, name), MAX_INPUT_BYTES)]);
      }
      mkdirSync(target, { recursive: true });
      for (const [name, text] of files) writeFileSync(join(target, name), text, { flag: 'wx' });
      taken.copied += 1;
    }
  }
  return taken;
}
