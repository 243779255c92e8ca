/**
 * bench-action's Criterion-compatible harness (harness/criterion) and how
 * cargo is told to build a project's benches against it: the Criterion
 * versions Cargo.lock locks, a copy of the harness at each version outside
 * the workspace, the `--config patch.crates-io...` arguments, and the user's
 * cargo arguments that still hold for the patched build. Docs:
 * docs/instructions.md.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { ProcessError } from '../common/errors.ts';

/** The registry Criterion versions Cargo.lock locks (a path or git Criterion is left alone). Pure. */
export function lockedRegistryCriterion(cargoLock: string): string[] {
  let lock: unknown;
  try {
    lock = parse(cargoLock);
  } catch {
    return [];
  }
  const packages = (lock as { package?: unknown }).package;
  if (!Array.isArray(packages)) return [];
  const versions = packages
    .filter(
      (p): p is { name: string; version: string; source: string } =>
        typeof p === 'object' &&
        p !== null &&
        (p as { name?: unknown }).name === 'criterion' &&
        typeof (p as { source?: unknown }).source === 'string' &&
        (p as { source: string }).source.startsWith('registry+'),
    )
    .map((p) => String(p.version));
  return [...new Set(versions)].sort();
}

/** A bench whose source uses Criterion's macros or paths (divan, libtest and others are not counted). Pure. */
export function isCriterionSource(source: string): boolean {
  return /\bcriterion_main!|\bcriterion::|\buse\s+criterion\b/.test(source);
}

/**
 * cargo `--config` arguments that patch each locked Criterion version with
 * the harness copy at `paths[version]`: the first under the name `criterion`,
 * the others under distinct keys with `package = "criterion"`. Pure.
 */
export function patchConfig(paths: ReadonlyMap<string, string>): string[] {
  const args: string[] = [];
  [...paths].forEach(([version, path], i) => {
    const key = i === 0 ? 'criterion' : `criterion-bench-action-${version.replace(/[^0-9A-Za-z]/g, '_')}`;
    args.push('--config', `patch.crates-io.${key}.path=${JSON.stringify(path)}`);
    if (i > 0) args.push('--config', `patch.crates-io.${key}.package="criterion"`);
  });
  return args;
}

/** harness/criterion in the action's checkout (dist/ and src/ both sit two levels or fewer below it). */
export function harnessSource(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'harness', 'criterion');
    if (existsSync(join(candidate, 'Cargo.toml'))) return candidate;
    dir = dirname(dir);
  }
  throw new ProcessError(`bench-action's Criterion harness (harness/criterion) is missing beside ${from}.`);
}

/** The harness's files (manifest, build script, sources) by relative path. */
function harnessFiles(source: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set('Cargo.toml', readFileSync(join(source, 'Cargo.toml')));
  files.set('build.rs', readFileSync(join(source, 'build.rs')));
  for (const rel of readdirSync(join(source, 'src'), { recursive: true, encoding: 'utf8' }).sort()) {
    const path = join(source, 'src', rel);
    if (statSync(path).isFile()) files.set(join('src', rel), readFileSync(path));
  }
  return files;
}

/**
 * A copy of the harness at `version`, outside any workspace (a path patch
 * inside the user's workspace would join it). Its directory is named by the
 * version and a hash of the harness, and written whole before it is renamed
 * into place: runs at once on one machine share it, cargo rebuilds it only
 * when the harness changes.
 */
export function harnessCopy(source: string, version: string, root: string): string {
  const files = harnessFiles(source);
  const manifest = (files.get('Cargo.toml') ?? Buffer.alloc(0)).toString('utf8');
  const versioned = manifest.replace(/^version = "0\.0\.0"$/m, `version = "${version}"`);
  if (versioned === manifest) throw new ProcessError(`${join(source, 'Cargo.toml')}: no placeholder version 0.0.0.`);
  files.set('Cargo.toml', Buffer.from(versioned));
  const hash = createHash('sha256');
  for (const [rel, bytes] of files) hash.update(rel).update('\0').update(bytes).update('\0');
  const dir = join(root, `criterion-${version}-${hash.digest('hex').slice(0, 12)}`);
  if (existsSync(join(dir, 'Cargo.toml'))) return dir;
  mkdirSync(root, { recursive: true });
  const staging = mkdtempSync(join(root, '.staging-'));
  for (const [rel, bytes] of files) {
    mkdirSync(dirname(join(staging, rel)), { recursive: true });
    writeFileSync(join(staging, rel), bytes);
  }
  try {
    renameSync(staging, dir);
  } catch (error) {
    // Another run put the same copy in place first.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(dir, 'Cargo.toml'))) throw error;
  }
  return dir;
}

/**
 * The user's cargo arguments for the patched build: the patch rewrites
 * Cargo.lock's Criterion entry, so `--locked` would refuse the build
 * (`--frozen` keeps its `--offline` half); the lock is restored afterwards
 * (run/file-guard.ts). Pure.
 */
export function countingCargoArgs(cargoArgs: readonly string[]): string[] {
  return cargoArgs.flatMap((arg) => (arg === '--locked' ? [] : arg === '--frozen' ? ['--offline'] : [arg]));
}
