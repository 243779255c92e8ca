/**
 * Instruction counts for plain Criterion benches (shell), with no change to
 * the project: bench-action's Criterion-compatible harness (harness/criterion)
 * is copied outside the workspace at each Criterion version Cargo.lock locks,
 * swapped in for the build with cargo's `--config patch.crates-io...`, in a
 * target directory of its own; each bench binary then runs under
 * `valgrind --tool=callgrind --collect-atstart=no`, where the harness counts
 * each routine between client requests. Cargo.lock, which the patched build
 * rewrites, is put back byte for byte. Docs: docs/instructions.md.
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
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { ProcessError } from '../common/errors.ts';
import {
  isCallgrindDump,
  MANIFEST_FILE,
  parseCriterionCountsDir,
  type CriterionCounts,
} from '../formats/criterion-callgrind.ts';
import type { Log } from '../common/log.ts';
import type { BenchTarget } from './bench-targets.ts';
import { exec, probe } from './exec.ts';

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

/** The bench executables of `cargo bench --no-run --message-format=json` output, by `package/target`. Pure. */
export function benchExecutables(jsonLines: string): Map<string, { executable: string; manifestDir: string }> {
  const found = new Map<string, { executable: string; manifestDir: string }>();
  for (const line of jsonLines.split('\n')) {
    if (!line.startsWith('{')) continue;
    let message: {
      reason?: unknown;
      executable?: unknown;
      manifest_path?: unknown;
      package_id?: unknown;
      target?: { name?: unknown; kind?: unknown };
    };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      continue;
    }
    const kind = message.target?.kind;
    if (
      message.reason !== 'compiler-artifact' ||
      typeof message.executable !== 'string' ||
      typeof message.manifest_path !== 'string' ||
      typeof message.target?.name !== 'string' ||
      !Array.isArray(kind) ||
      !kind.includes('bench')
    )
      continue;
    found.set(message.target.name, { executable: message.executable, manifestDir: dirname(message.manifest_path) });
  }
  return found;
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

export interface CriterionCountsSetup {
  nativeDir: string;
  /** The workspace's target directory: the patched build goes below it, apart from the wall-time build's. */
  targetDir: string;
  env: NodeJS.ProcessEnv;
  /** The user's cargo arguments before `--` (features, profile). */
  cargoArgs: readonly string[];
  /** Where the harness copies go; os.tmpdir() by default. */
  harnessRoot?: string;
}

export type CriterionCountsOutcome =
  | { ran: true; home: string; counts: CriterionCounts; seconds: { build: number; valgrind: number } }
  | { ran: false; reason: string };

/** Runs `work` and puts Cargo.lock back as it was (or removes one the build created). */
async function keepingLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  const before = existsSync(lockPath) ? readFileSync(lockPath) : null;
  try {
    return await work();
  } finally {
    if (before === null) rmSync(lockPath, { force: true });
    else if (!existsSync(lockPath) || !readFileSync(lockPath).equals(before)) writeFileSync(lockPath, before);
  }
}

/** The workspace root's Cargo.lock (cargo metadata's workspace_root, else the directory itself). */
function workspaceLock(nativeDir: string, metadataRoot: string | null): string {
  return join(metadataRoot ?? nativeDir, 'Cargo.lock');
}

/** cargo metadata's workspace_root: a member crate's directory shares the root's Cargo.lock. */
async function workspaceRoot(nativeDir: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const text = await probe('cargo', ['metadata', '--format-version', '1', '--no-deps'], nativeDir, env);
  if (text === null) return null;
  const root = (JSON.parse(text) as { workspace_root?: unknown }).workspace_root;
  return typeof root === 'string' ? root : null;
}

/** Reads a dump's header only: the counts sit in its first lines, the per-function costs after them. */
function readHead(path: string, bytes = 64 * 1024): string {
  const text = readFileSync(path);
  return text.subarray(0, bytes).toString('utf8');
}

/**
 * Builds the Criterion benches against the harness and runs each under
 * Callgrind; their output lands in `home`, one directory per bench.
 */
export async function runCriterionCounts(
  setup: CriterionCountsSetup,
  targets: readonly BenchTarget[],
  home: string,
  log: Log,
): Promise<CriterionCountsOutcome> {
  const lockPath = workspaceLock(setup.nativeDir, await workspaceRoot(setup.nativeDir, setup.env));
  if (!existsSync(lockPath))
    return { ran: false, reason: `no Cargo.lock in ${dirname(lockPath)}, so the Criterion version is unknown` };
  const versions = lockedRegistryCriterion(readFileSync(lockPath, 'utf8'));
  if (versions.length === 0) return { ran: false, reason: `${lockPath} locks no Criterion from crates.io` };
  const source = harnessSource();
  const root = setup.harnessRoot ?? join(tmpdir(), 'bench-action-criterion-harness');
  const paths = new Map(versions.map((v) => [v, harnessCopy(source, v, root)]));
  const env = { ...setup.env, CARGO_TARGET_DIR: join(setup.targetDir, 'bench-action-counts') };
  const built = new Map<string, { executable: string; manifestDir: string }>();
  const buildStart = Date.now();
  await log.group(
    `Build the Criterion benches with bench-action's counting harness (Criterion ${versions.join(', ')})`,
    () =>
      keepingLock(lockPath, async () => {
        for (const target of targets) {
          const args = [
            'bench',
            '--no-run',
            '--message-format=json-render-diagnostics',
            ...patchConfig(paths),
            '-p',
            target.package,
            '--bench',
            target.name,
            ...setup.cargoArgs,
          ];
          log.info(`cargo ${args.join(' ')}`);
          const { stdout } = await exec('cargo', args, { cwd: setup.nativeDir, env, echo: false, tailLines: 40 });
          for (const [name, exe] of benchExecutables(stdout)) if (name === target.name) built.set(name, exe);
        }
      }),
  );
  const buildSeconds = (Date.now() - buildStart) / 1000;
  rmSync(home, { recursive: true, force: true });
  const valgrindStart = Date.now();
  for (const target of targets) {
    const exe = built.get(target.name);
    if (!exe) continue;
    const out = join(home, `${target.package}.${target.name}`);
    mkdirSync(out, { recursive: true });
    const manifest = join(out, MANIFEST_FILE);
    const args = [
      '--tool=callgrind',
      '--collect-atstart=no',
      `--callgrind-out-file=${join(out, 'callgrind.out')}`,
      exe.executable,
      '--bench',
    ];
    await log.group(`Count instructions: ${target.package} --bench ${target.name} (Callgrind)`, async () => {
      try {
        await exec('valgrind', args, {
          cwd: exe.manifestDir,
          env: { ...setup.env, BENCH_ACTION_CRITERION_MANIFEST: manifest, RUST_BACKTRACE: '0' },
          tailLines: 15,
        });
      } catch (error) {
        // The benchmarks counted before it stay; the one it died in is named in the report.
        const detail = error instanceof Error ? (error.message.split('\n').find((l) => l.trim() !== '') ?? '') : '';
        log.warning(`${target.package} --bench ${target.name} did not end cleanly under Valgrind: ${detail}`);
        writeFileSync(manifest, `${JSON.stringify({ event: 'exit', detail: detail.slice(0, 300) })}\n`, { flag: 'a' });
      }
    });
  }
  const valgrindSeconds = (Date.now() - valgrindStart) / 1000;
  const files = new Map<string, string>();
  for (const sub of existsSync(home) ? readdirSync(home) : []) {
    for (const name of readdirSync(join(home, sub))) {
      if (name === MANIFEST_FILE) files.set(`${sub}/${name}`, readFileSync(join(home, sub, name), 'utf8'));
      else if (isCallgrindDump(name)) files.set(`${sub}/${name}`, readHead(join(home, sub, name)));
    }
  }
  return {
    ran: true,
    home,
    counts: parseCriterionCountsDir(home, files),
    seconds: { build: buildSeconds, valgrind: valgrindSeconds },
  };
}
