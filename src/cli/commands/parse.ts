/** `bench-action parse`: any supported format in, one results document out. */
import { ExitCode, UsageError } from '../../common/errors.ts';
import { loadCombined } from '../../files/load.ts';
import { writeResults } from '../../files/write.ts';
import { FORMATS, isFormat, type Format } from '../../formats/detect.ts';
import { plural } from '../../report/format.ts';
import { runMetaOnce } from '../../run/metadata.ts';
import type { RunMeta, ShardSpec } from '../../schema/types.ts';
import { parseShardSpec } from '../../shard/plan.ts';
import { str, type CommandHelp, type Flag, type ParsedFlags, outputPath } from '../flags.ts';

export interface ParseCommand {
  kind: 'parse';
  inputs: string[];
  output: string | null;
  commit: string | null;
  ref: string | null;
  inputFormat: Format | null;
  shard?: ShardSpec;
}

export const HELP: CommandHelp = {
  name: 'parse',
  usage: '<criterion-dir|file>... [-o results.json]',
  description: `Reads Criterion output directories (target/criterion), cargo-criterion NDJSON,
libtest/bencher text, mitata or tinybench JSON, generic JSON or results files,
and writes them as one results file in the bench-action schema. The format is
detected from the content; docs/formats.md lists what each one reads.`,
};

export const FLAGS: readonly Flag[] = [
  { name: 'output', short: 'o', value: 'FILE', help: 'write the results here (default, or -: stdout)' },
  {
    name: 'input-format',
    oldName: 'format',
    value: 'NAME',
    help: `read every input as NAME instead of detecting it:\n${FORMATS.join(', ')}`,
  },
  { name: 'commit', value: 'SHA', help: 'commit the benchmarks ran on (default: GITHUB_SHA or git HEAD)' },
  { name: 'ref', value: 'REF', help: 'git ref (default: GITHUB_REF or the current branch)' },
  { name: 'shard', value: 'i/n', help: "the inputs are shard i of n of a sharded run (see 'bench-action merge')" },
];

export function read(parsed: ParsedFlags): ParseCommand {
  if (parsed.positionals.length === 0) {
    throw new UsageError(
      "bench-action parse: give at least one Criterion directory or results file (see 'bench-action parse --help').",
    );
  }
  const inputFormat = str(parsed, 'input-format');
  if (inputFormat !== null && !isFormat(inputFormat)) {
    const output =
      inputFormat === 'markdown' || inputFormat === 'json'
        ? " (parse always writes a results file; 'compare' and 'report' take --output-format)"
        : '';
    throw new UsageError(
      `bench-action parse: --input-format must be one of ${FORMATS.join(', ')}; got '${inputFormat}'${output}.`,
    );
  }
  const shardText = str(parsed, 'shard');
  const shard = shardText === null ? null : parseShardSpec(shardText);
  if (shard && !shard.ok) throw new UsageError(`bench-action parse: --shard: ${shard.reason}.`);
  return {
    kind: 'parse',
    inputs: parsed.positionals,
    output: outputPath(parsed),
    commit: str(parsed, 'commit'),
    ref: str(parsed, 'ref'),
    inputFormat,
    ...(shard?.ok ? { shard: shard.spec } : {}),
  };
}

export async function run(command: ParseCommand): Promise<number> {
  const overrides: Partial<RunMeta> = {
    ...(command.commit ? { commit: command.commit } : {}),
    ...(command.ref ? { ref: command.ref } : {}),
  };
  const results = await loadCombined(
    command.inputs,
    runMetaOnce(overrides),
    command.inputFormat ? { format: command.inputFormat } : {},
  );
  if (command.shard) results.run = { ...results.run, shard: command.shard };
  if (command.output === null) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else {
    await writeResults(command.output, results);
    console.error(`Wrote ${plural(results.benchmarks.length, 'benchmark')} to ${command.output}`);
  }
  return ExitCode.ok;
}
