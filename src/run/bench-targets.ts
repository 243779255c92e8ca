/**
 * Which of a Cargo workspace's bench targets are gungraun (Valgrind) benches
 * and which are Criterion's: they take different flags and write different
 * output, so each runs on its own. The split reads `cargo metadata` and each
 * bench's source (a gungraun bench calls `gungraun::main!` or imports it).
 */
import { readFileSync } from 'node:fs';
import { probe } from './exec.ts';

export interface BenchTarget {
  package: string;
  name: string;
  srcPath: string;
}

export interface BenchTargets {
  criterion: BenchTarget[];
  gungraun: BenchTarget[];
}

interface Metadata {
  packages?: { name?: unknown; targets?: { name?: unknown; kind?: unknown; src_path?: unknown }[] }[];
}

/** A bench's source uses gungraun (or iai-callgrind, its former name). Pure. */
export function isGungraunSource(source: string): boolean {
  return /\b(gungraun|iai_callgrind)::(main!|library_benchmark|binary_benchmark)|use\s+(gungraun|iai_callgrind)\b/.test(
    source,
  );
}

/** Splits the bench targets of `cargo metadata --no-deps` output. Pure apart from `read`. */
export function splitBenchTargets(metadataJson: string, read: (path: string) => string | null): BenchTargets {
  const metadata = JSON.parse(metadataJson) as Metadata;
  const split: BenchTargets = { criterion: [], gungraun: [] };
  for (const pkg of metadata.packages ?? []) {
    for (const target of pkg.targets ?? []) {
      if (!Array.isArray(target.kind) || !target.kind.includes('bench')) continue;
      if (typeof pkg.name !== 'string' || typeof target.name !== 'string' || typeof target.src_path !== 'string')
        continue;
      const bench = { package: pkg.name, name: target.name, srcPath: target.src_path };
      (isGungraunSource(read(bench.srcPath) ?? '') ? split.gungraun : split.criterion).push(bench);
    }
  }
  return split;
}

function readSource(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The workspace's bench targets, split; none when cargo metadata fails (the build will say why). */
export async function findBenchTargets(nativeDir: string, env: NodeJS.ProcessEnv): Promise<BenchTargets> {
  const metadata = await probe('cargo', ['metadata', '--format-version', '1', '--no-deps'], nativeDir, env);
  return metadata ? splitBenchTargets(metadata, readSource) : { criterion: [], gungraun: [] };
}

/** Criterion's bench names when gungraun benches must be left out of `cargo bench`, else null (all). */
export function criterionOnly(targets: BenchTargets): string[] | null {
  return targets.gungraun.length > 0 ? targets.criterion.map((t) => t.name) : null;
}
