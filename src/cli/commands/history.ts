/** `bench-action history`: the change points of a base branch's history. */
import { ExitCode } from '../../common/errors.ts';
import { loadSeries } from '../../files/load-series.ts';
import { allChangePoints } from '../../history/changes.ts';
import { historyJson, renderHistoryMarkdown } from '../../report/history.ts';
import { runMetaOnce } from '../../run/metadata.ts';
import {
  onePositional,
  outputFormat,
  outputFormatFlag,
  type CommandHelp,
  type Flag,
  type ParsedFlags,
  outputPath,
} from '../flags.ts';
import { emit, render } from '../output.ts';

export interface HistoryCommand {
  kind: 'history';
  input: string;
  format: 'markdown' | 'json';
  output: string | null;
}

export const HELP: CommandHelp = {
  name: 'history',
  usage: '<baseline-dir|history-dir|series.json> [options]',
  description: `Lists the change points of a base branch's history: persistent shifts in each
benchmark's medians, found with PELT (docs/statistics.md), e.g.
  cache_get_warm/sark_cache: +12% at \`a1b2c3d\` (7 runs ago)
The input is a downloaded baseline artifact (series.json, results.json,
history/), a directory of results files (one run each), or a series.json.`,
};

export const FLAGS: readonly Flag[] = [
  outputFormatFlag('markdown', 'markdown or json ({changePoints: [{id, index, commit, before, after, change}]})'),
  { name: 'output', short: 'o', value: 'FILE', help: 'write the list here instead of stdout (- is stdout)' },
];

export function read(parsed: ParsedFlags): HistoryCommand {
  const input = onePositional(parsed, 'history', 'baseline or history directory');
  return {
    kind: 'history',
    input,
    format: outputFormat('history', parsed, ['markdown', 'json'] as const),
    output: outputPath(parsed),
  };
}

export async function run(command: HistoryCommand): Promise<number> {
  const series = await loadSeries(command.input, runMetaOnce());
  const points = allChangePoints(series);
  await emit(
    render(historyJson(series, points), renderHistoryMarkdown(series, points), command.format),
    command.output,
  );
  return ExitCode.ok;
}
