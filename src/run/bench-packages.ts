/**
 * What cargo gives a bench of a package when it runs it, read from `cargo
 * metadata --no-deps` and Cargo.lock, for runs that start bench executables
 * directly (run/bench-binaries.ts): the package's runtime environment
 * (cargo's "Environment variables Cargo sets for crates", which "applies for
 * running binaries with cargo run and cargo test as well") and the version of
 * the Criterion the package itself depends on, which decides how the bench
 * reads its command-line filter. Pure.
 */
import { dirname } from 'node:path';
import { parse } from 'smol-toml';

interface MetadataPackage {
  name?: unknown;
  version?: unknown;
  manifest_path?: unknown;
  authors?: unknown;
  description?: unknown;
  homepage?: unknown;
  repository?: unknown;
  license?: unknown;
  license_file?: unknown;
  rust_version?: unknown;
  readme?: unknown;
}

export interface PackageInfo {
  name: string;
  version: string;
  manifestPath: string;
  /** The variables cargo sets for a bench of this package at run time. */
  env: Record<string, string>;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The variables cargo sets when it runs a target of this package (checked against `cargo bench` of cargo 1.95:
 * a field the manifest leaves out is the empty string, as cargo sets it). CARGO, the cargo binary, is the caller's.
 */
export function packageEnv(pkg: MetadataPackage): Record<string, string> {
  const version = text(pkg.version);
  // SemVer: major.minor.patch[-pre][+build]; cargo's _PRE is the pre-release alone.
  const [core = '', pre = ''] = (version.split('+', 1)[0] ?? '').split(/-(.*)/s);
  const [major = '', minor = '', patch = ''] = core.split('.');
  const manifestPath = text(pkg.manifest_path);
  return {
    CARGO_MANIFEST_DIR: dirname(manifestPath),
    CARGO_MANIFEST_PATH: manifestPath,
    CARGO_PKG_NAME: text(pkg.name),
    CARGO_PKG_VERSION: version,
    CARGO_PKG_VERSION_MAJOR: major,
    CARGO_PKG_VERSION_MINOR: minor,
    CARGO_PKG_VERSION_PATCH: patch,
    CARGO_PKG_VERSION_PRE: pre,
    CARGO_PKG_AUTHORS: Array.isArray(pkg.authors) ? pkg.authors.filter((a) => typeof a === 'string').join(':') : '',
    CARGO_PKG_DESCRIPTION: text(pkg.description),
    CARGO_PKG_HOMEPAGE: text(pkg.homepage),
    CARGO_PKG_REPOSITORY: text(pkg.repository),
    CARGO_PKG_LICENSE: text(pkg.license),
    CARGO_PKG_LICENSE_FILE: text(pkg.license_file),
    CARGO_PKG_RUST_VERSION: text(pkg.rust_version),
    CARGO_PKG_README: text(pkg.readme),
  };
}

/** The workspace's packages in `cargo metadata --no-deps` output, and its root (where Cargo.lock is). */
export function metadataPackages(metadataJson: string): { root: string | null; packages: PackageInfo[] } {
  const metadata = JSON.parse(metadataJson) as { workspace_root?: unknown; packages?: unknown };
  const packages: PackageInfo[] = [];
  for (const pkg of Array.isArray(metadata.packages) ? (metadata.packages as MetadataPackage[]) : []) {
    if (typeof pkg.name !== 'string' || typeof pkg.version !== 'string' || typeof pkg.manifest_path !== 'string')
      continue;
    packages.push({ name: pkg.name, version: pkg.version, manifestPath: pkg.manifest_path, env: packageEnv(pkg) });
  }
  return { root: typeof metadata.workspace_root === 'string' ? metadata.workspace_root : null, packages };
}

interface LockPackage {
  name?: unknown;
  version?: unknown;
  source?: unknown;
  dependencies?: unknown;
}

/**
 * The version of the `criterion` package this workspace member depends on, by Cargo.lock, or null when it
 * depends on none (a bench harness of its own, or Criterion through another crate) or on more than one. Cargo
 * writes a dependency as `name` when the lock holds one version of it, else `name version` (and ` (source)`
 * when that is ambiguous too).
 */
export function ownCriterion(lockText: string, member: { name: string; version: string }): string | null {
  let lock: { package?: unknown };
  try {
    lock = parse(lockText) as { package?: unknown };
  } catch {
    return null;
  }
  const packages = Array.isArray(lock.package) ? (lock.package as LockPackage[]) : [];
  const criterions = packages.filter((p) => p.name === 'criterion').map((p) => String(p.version));
  // A workspace member has no source in the lock; a registry or git package of the same name and version has one.
  const entry = packages.find((p) => p.name === member.name && p.version === member.version && p.source === undefined);
  const deps = Array.isArray(entry?.dependencies) ? entry.dependencies.filter((d) => typeof d === 'string') : [];
  const named = deps.filter((d) => d === 'criterion' || d.startsWith('criterion '));
  if (named.length !== 1) return null;
  const [, version] = (named[0] as string).split(' ');
  if (version !== undefined) return version;
  return criterions.length === 1 ? (criterions[0] as string) : null;
}
