/** `bench-action merge`: the results of a sharded run's shards as one results file. */
import { controlMatcher } from '../../compare/controls.ts';
import { ExitCode, UsageError } from '../../common/errors.ts';
import { loadResults } from '../../files/load.ts';
import { writeResults } from '../../files/write.ts';
import { plural } from '../../report/format.ts';
import { runMetaOnce } from '../../run/metadata.ts';
import { mergeShards } from '../../shard/merge.ts';
import { controlGlobs, strings, type CommandHelp, type Flag, type ParsedFlags, outputPath } from '../flags.ts';

export interface MergeCommand {
  kind: 'merge';
  inputs: string[];
  output: string | null;
  controls: string[];
}

export const HELP: CommandHelp = {
  name: 'merge',
  usage: '<shard-results>... [-o merged.json] [--controls GLOB]...',
  description: `Merges the results files of a sharded run (each written with a shard i/n)
into one results file. Every shard 1..n must be given once, all must have
measured the same commit, and no benchmark may be in two of them; otherwise
it exits 2 naming the file, the shard or the benchmark. Each shard's run
metadata is kept under 'shards'. Control benchmarks (--controls) are the
exception: every shard runs them; the merged run keeps the lowest shard's copy
and 'shards.controls' each shard's own.`,
};

export const FLAGS: readonly Flag[] = [
  { name: 'output', short: 'o', value: 'FILE', help: 'write the merged results here (default, or -: stdout)' },
  {
    name: 'controls',
    value: 'GLOB',
    multiple: true,
    help: 'control benchmarks every shard ran, repeatable (as in compare)',
  },
];

export function read(parsed: ParsedFlags): MergeCommand {
  if (parsed.positionals.length === 0) {
    throw new UsageError("bench-action merge: give the results file of every shard (see 'bench-action merge --help').");
  }
  return {
    kind: 'merge',
    inputs: parsed.positionals,
    output: outputPath(parsed),
    controls: controlGlobs('merge', strings(parsed, 'controls')),
  };
}

export async function run(command: MergeCommand): Promise<number> {
  const meta = runMetaOnce();
  const parts = [];
  for (const path of command.inputs) parts.push({ origin: path, results: await loadResults(path, meta) });
  const merged = mergeShards(parts, command.controls.length > 0 ? { isControl: controlMatcher(command.controls) } : {});
  if (command.output === null) process.stdout.write(`${JSON.stringify(merged, null, 2)}\n`);
  else {
    await writeResults(command.output, merged);
    console.error(
      `Wrote ${plural(merged.benchmarks.length, 'benchmark')} from ${plural(parts.length, 'shard')} to ${command.output}`,
    );
  }
  return ExitCode.ok;
}
