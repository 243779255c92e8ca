/**
 * What one shard of the action runs: its share of the Criterion benchmarks
 * (by the plan), every declared control, and the Node suite and the gungraun
 * benches when the plan assigns those units (each run whole) to it. Pure: the listed ids and the baseline in, a share
 * out; every shard of a run computes the same plan from the same inputs.
 */
import type { Benchmark, ShardSpec } from '../schema/types.ts';
import { criterionFilter, durationsFrom, estimateSeconds, planShards } from './plan.ts';

/**
 * The Node suite's place in the plan: one unit (node-bench-command runs as a
 * whole), named so that no benchmark id can collide with it.
 */
export const NODE_SUITE_UNIT = '\u0000node-bench-command';
/** The gungraun benches (instruction counts), also one unit: they run as their own targets. */
export const GUNGRAUN_UNIT = '\u0000gungraun';

const CRITERION_SOURCES: ReadonlySet<Benchmark['source']> = new Set(['criterion', 'cargo-criterion']);

export interface ShareInput {
  spec: ShardSpec;
  /** Every benchmark id `cargo bench -- --list` printed. */
  listed: readonly string[];
  /** The baseline's benchmarks (durations), or null without one. */
  baseline: readonly Benchmark[] | null;
  isControl: (id: string) => boolean;
  /** Whether node-bench-command is set. */
  nodeSuite: boolean;
  /** Whether the instruction-count (gungraun) benches run. */
  gungraun?: boolean;
}

export interface ShardShare {
  spec: ShardSpec;
  /** The Criterion ids this shard was assigned (controls not among them). Sorted. */
  ids: string[];
  /** The control ids every shard runs. Sorted. */
  controls: string[];
  /** The Criterion filter for ids and controls; null when this shard runs no Criterion benchmark. */
  filter: string | null;
  nodeSuite: boolean;
  gungraun: boolean;
  /** This shard's estimated seconds, and all shards' (controls and unestimated ids excluded). */
  seconds: number;
  totalSeconds: number;
  balancedByDuration: boolean;
}

/** The Node suite's recorded duration: the baseline's benchmarks no Criterion run wrote. */
function nodeSuiteSeconds(baseline: readonly Benchmark[]): number | undefined {
  const seconds = baseline
    .filter((b) => !CRITERION_SOURCES.has(b.source))
    .map(estimateSeconds)
    .filter((s): s is number => s !== null);
  return seconds.length > 0 ? seconds.reduce((a, b) => a + b, 0) : undefined;
}

export function shareOf(input: ShareInput): ShardShare {
  const listed = [...new Set(input.listed)];
  const controls = listed.filter(input.isControl).sort();
  const planned = listed.filter((id) => !input.isControl(id));
  const durations = durationsFrom((input.baseline ?? []).filter((b) => CRITERION_SOURCES.has(b.source)));
  const nodeSeconds = input.baseline ? nodeSuiteSeconds(input.baseline) : undefined;
  if (nodeSeconds !== undefined) durations.set(NODE_SUITE_UNIT, nodeSeconds);
  const units = [...(input.nodeSuite ? [NODE_SUITE_UNIT] : []), ...(input.gungraun ? [GUNGRAUN_UNIT] : [])];
  const plan = planShards([...planned, ...units], durations, input.spec.count);
  const shard = plan.shards[input.spec.index - 1];
  if (!shard) throw new RangeError(`no shard ${input.spec.index} of ${input.spec.count}`);
  const ids = shard.ids.filter((id) => !units.includes(id));
  const runs = [...ids, ...controls];
  return {
    spec: input.spec,
    ids,
    controls,
    filter: runs.length > 0 ? criterionFilter(runs) : null,
    nodeSuite: shard.ids.includes(NODE_SUITE_UNIT),
    gungraun: shard.ids.includes(GUNGRAUN_UNIT),
    seconds: shard.seconds,
    totalSeconds: plan.shards.reduce((sum, s) => sum + s.seconds, 0),
    balancedByDuration: plan.balancedByDuration,
  };
}

/**
 * The ids in `cargo bench -- --list` output: libtest and Criterion both print
 * `<id>: bench` (Criterion 0.4 and later `<id>: benchmark`), one a line, among
 * cargo's own chatter.
 */
export function parseBenchList(text: string): string[] {
  const ids: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^(.+): (?:bench|benchmark)$/.exec(line.trimEnd());
    if (match?.[1]) ids.push(match[1]);
  }
  return [...new Set(ids)];
}
