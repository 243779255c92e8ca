/** `bench-action shard`: the ids and Criterion filter of shard i of n, balanced by a baseline. */
import { ExitCode, UsageError } from '../../common/errors.ts';
import { loadResults } from '../../files/load.ts';
import { runMetaOnce } from '../../run/metadata.ts';
import type { ShardSpec } from '../../schema/types.ts';
import { criterionFilter, durationsFrom, parseShardSpec, planShards } from '../../shard/plan.ts';
import {
  outputFormat,
  outputFormatFlag,
  onePositional,
  str,
  type CommandHelp,
  type Flag,
  type ParsedFlags,
} from '../flags.ts';

export interface ShardCommand {
  kind: 'shard';
  spec: ShardSpec;
  baseline: string;
  format: 'text' | 'json';
}

export const HELP: CommandHelp = {
  name: 'shard',
  usage: '--plan i/n <baseline-results> [options]',
  description: `Prints the benchmark ids shard i of n runs, and the Criterion filter that runs
them (cargo bench -- '<filter>'). The ids are the baseline's; the split is
deterministic and balanced by the durations the baseline's samples imply
(without samples, by a stable hash of each id). The filter is a regular
expression, as Criterion 0.3.1 and later read it; Criterion 0.3.0 and older
read a filter as a plain substring of the id, so there run each id as its own
filter. docs/sharding.md explains it.`,
};

export const FLAGS: readonly Flag[] = [
  { name: 'plan', value: 'i/n', help: 'which shard: i from 1 to n (required)' },
  outputFormatFlag(
    'text',
    "text (the ids, one a line, then 'filter: <regex>') or\njson ({index, count, ids, filter, estimatedSeconds, totalSeconds})",
  ),
];

export function read(parsed: ParsedFlags): ShardCommand {
  const planText = str(parsed, 'plan');
  if (planText === null) {
    throw new UsageError(
      "bench-action shard: --plan i/n is required, e.g. --plan 1/4 (see 'bench-action shard --help').",
    );
  }
  const spec = parseShardSpec(planText);
  if (!spec.ok) throw new UsageError(`bench-action shard: --plan: ${spec.reason}.`);
  const baseline = onePositional(parsed, 'shard', 'baseline results file');
  const format = outputFormat('shard', parsed, ['text', 'json'] as const);
  return { kind: 'shard', spec: spec.spec, baseline, format };
}

export async function run(command: ShardCommand): Promise<number> {
  const baseline = await loadResults(command.baseline, runMetaOnce());
  const plan = planShards(
    baseline.benchmarks.map((b) => b.id),
    durationsFrom(baseline.benchmarks),
    command.spec.count,
  );
  const shard = plan.shards[command.spec.index - 1];
  if (!shard) throw new Error(`plan has no shard ${command.spec.index}`);
  const filter = criterionFilter(shard.ids);
  const totalSeconds = plan.shards.reduce((sum, s) => sum + s.seconds, 0);
  const json = {
    index: shard.index,
    count: shard.count,
    ids: shard.ids,
    filter,
    estimatedSeconds: shard.seconds,
    totalSeconds,
    balancedByDuration: plan.balancedByDuration,
  };
  process.stdout.write(
    command.format === 'json'
      ? `${JSON.stringify(json, null, 2)}\n`
      : `${[...shard.ids, `filter: ${filter}`].join('\n')}\n`,
  );
  return ExitCode.ok;
}
