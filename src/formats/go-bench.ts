/**
 * Go `testing` benchmark text (`go test -bench . [-benchmem] [-count N] ./...`):
 *   pkg: example.com/cache
 *   BenchmarkGet/hit-8   	21228057	        55.76 ns/op	  12 B/op	   1 allocs/op
 * A line is the name (with a `-N` GOMAXPROCS suffix when N > 1), the iteration
 * count, then value/unit pairs. With `-count N` a benchmark has N lines: its
 * figures are its samples. `ns/op` is the time metric; every other pair
 * (`B/op`, `allocs/op`, `MB/s`, `b.ReportMetric` units) is a metric of its own,
 * keeping its unit (a `/s` rate is better higher, anything else lower). Ids are named as github-action-benchmark names
 * them, so a migrating user's history carries over: the name without the CPU
 * suffix, and ` (<package>)` after it only when the output covers several
 * packages.
 */
import { mean, median, sampleStandardDeviation } from 'simple-statistics';
import { TIME_METRIC } from '../schema/metric.ts';
import type { Benchmark } from '../schema/types.ts';
import { nonEmpty, splitId, type FileOutcome } from './common.ts';

export const GO_BENCH_LINE = /^Benchmark\S*\s+\d+\s+\d[\d.e+-]*\s+ns\/op\b/m;
const CPU_SUFFIX = /-\d+$/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

interface Line {
  name: string;
  cpu: string;
  pkg: string | null;
  /** Unit to value, `ns/op` among them. */
  values: Map<string, number>;
}

/** The value/unit pairs after the iteration count, or null when the line is not one. */
function pairs(tokens: readonly string[]): Map<string, number> | null {
  if (tokens.length < 2 || tokens.length % 2 !== 0) return null;
  const found = new Map<string, number>();
  for (let i = 0; i < tokens.length; i += 2) {
    const value = tokens[i] ?? '';
    if (!NUMBER.test(value)) return null;
    found.set(tokens[i + 1] ?? '', Number(value));
  }
  return found;
}

/**
 * Group, function and parameter from the Go name's own `/` parts; a package
 * path (`example.com/cache`) has slashes too, so it is kept whole beside the group.
 */
function partsOf(name: string, pkg: string | null): ReturnType<typeof splitId> {
  const parts = splitId(name);
  return pkg === null ? parts : { ...parts, group: `${parts.group} (${pkg})` };
}

function benchmarkOf(
  id: string,
  parts: ReturnType<typeof splitId>,
  goUnit: string,
  values: readonly number[],
): Benchmark {
  const many = values.length >= 2;
  const isTime = goUnit === 'ns/op';
  return {
    id,
    ...parts,
    metric: isTime ? TIME_METRIC : goUnit,
    source: 'go',
    unit: isTime ? 'ns' : goUnit,
    direction: !isTime && goUnit.endsWith('/s') ? 'higher' : 'lower',
    estimates: {
      median: median([...values]),
      mean: mean([...values]),
      stdDev: many ? sampleStandardDeviation([...values]) : null,
      ci: null,
    },
    throughput: null,
    samples: many ? [...values] : null,
  };
}

export function readGoBench(file: string, text: string): FileOutcome {
  const lines: Line[] = [];
  const warnings: string[] = [];
  let pkg: string | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line.startsWith('pkg: ')) pkg = line.slice('pkg: '.length).trim();
    if (!line.startsWith('Benchmark')) return;
    const [nameWithCpu = '', iterations, ...rest] = line.split(/\s+/);
    // `go test -v` prints the bare name before running it.
    if (iterations === undefined) return;
    const found = /^\d+$/.test(iterations) ? pairs(rest) : null;
    if (!found?.has('ns/op')) {
      warnings.push(
        `${file}: line ${index + 1} is not a benchmark result this reader understands; left out: ${line.slice(0, 120)}`,
      );
      return;
    }
    const cpu = CPU_SUFFIX.exec(nameWithCpu)?.[0] ?? '';
    lines.push({ name: nameWithCpu.slice(0, nameWithCpu.length - cpu.length), cpu, pkg, values: found });
  });
  const packages = new Set(lines.map((l) => l.pkg));
  // `-cpu 1,2` runs one name at several GOMAXPROCS: then the suffix is what tells them apart.
  const suffixes = new Map<string, Set<string>>();
  for (const l of lines) suffixes.set(l.name, (suffixes.get(l.name) ?? new Set()).add(l.cpu));
  const byId = new Map<string, { parts: ReturnType<typeof splitId>; metrics: Map<string, number[]> }>();
  for (const l of lines) {
    const name = (suffixes.get(l.name)?.size ?? 0) > 1 ? l.name + l.cpu : l.name;
    const pkgShown = packages.size > 1 ? l.pkg : null;
    const id = pkgShown !== null ? `${name} (${pkgShown})` : name;
    const entry = byId.get(id) ?? { parts: partsOf(name, pkgShown), metrics: new Map<string, number[]>() };
    byId.set(id, entry);
    for (const [unit, value] of l.values) entry.metrics.set(unit, [...(entry.metrics.get(unit) ?? []), value]);
  }
  const benchmarks = [...byId].flatMap(([id, { parts, metrics }]) =>
    [...metrics].map(([unit, values]) => benchmarkOf(id, parts, unit, values)),
  );
  return { benchmarks: nonEmpty(file, benchmarks), warnings };
}
