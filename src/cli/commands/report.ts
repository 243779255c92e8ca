/** `bench-action report`: one run summarized without a base. */
import { analyze } from '../../analysis/analyze.ts';
import { ExitCode } from '../../common/errors.ts';
import { loadAnalysisSettings } from '../../files/analysis-settings.ts';
import { loadResults } from '../../files/load.ts';
import { runMetaOnce } from '../../run/metadata.ts';
import {
  onePositional,
  outputFormat,
  outputFormatFlag,
  str,
  type CommandHelp,
  type Flag,
  type ParsedFlags,
  outputPath,
} from '../flags.ts';
import { emit, render } from '../output.ts';
import { DEFAULT_INSTRUCTIONS_THRESHOLD, DEFAULT_THRESHOLD, percentFlag } from './compare.ts';

export interface ReportCommand {
  kind: 'report';
  input: string;
  claimsFile: string | null;
  format: 'markdown' | 'json';
  output: string | null;
}

export const HELP: CommandHelp = {
  name: 'report',
  usage: '<results> [options]',
  description: `Summarizes one run without a base: every benchmark's median and spread,
contender/reference speedups, checks (memory tests) and claims.`,
};

export const FLAGS: readonly Flag[] = [
  {
    name: 'claims',
    value: 'FILE',
    help: 'check a claims file and show the claims table (claims never change the exit code)',
  },
  outputFormatFlag('markdown', 'the report: markdown or json'),
  { name: 'output', short: 'o', value: 'FILE', help: 'write the report here instead of stdout (- is stdout)' },
];

export function read(parsed: ParsedFlags): ReportCommand {
  const input = onePositional(parsed, 'report', 'results file');
  return {
    kind: 'report',
    input,
    claimsFile: str(parsed, 'claims'),
    format: outputFormat('report', parsed, ['markdown', 'json'] as const),
    output: outputPath(parsed),
  };
}

export async function run(command: ReportCommand): Promise<number> {
  const head = await loadResults(command.input, runMetaOnce());
  // The same settings builder as compare's, with compare's defaults: nothing is compared, claims are checked.
  const settings = await loadAnalysisSettings({
    threshold: percentFlag('report', '--threshold', DEFAULT_THRESHOLD),
    instructionsThreshold: percentFlag('report', '--instructions-threshold', DEFAULT_INSTRUCTIONS_THRESHOLD),
    controls: [],
    thresholdsFile: null,
    claimsFile: command.claimsFile,
  });
  const analysis = analyze({ ...settings, base: null, head });
  await emit(render(analysis.json, analysis.markdown, command.format), command.output);
  return ExitCode.ok;
}
