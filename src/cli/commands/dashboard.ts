/** `bench-action dashboard`: one self-contained HTML page of a base branch's series. */
import { ExitCode } from '../../common/errors.ts';
import { renderDashboard } from '../../dashboard/render.ts';
import { loadSeries } from '../../files/load-series.ts';
import { writeTextFile } from '../../files/write.ts';
import { allChangePoints } from '../../history/changes.ts';
import { plural } from '../../report/format.ts';
import { runMetaOnce } from '../../run/metadata.ts';
import { onePositional, str, type CommandHelp, type Flag, type ParsedFlags } from '../flags.ts';

export interface DashboardCommand {
  kind: 'dashboard';
  input: string;
  output: string;
  title: string;
}

export const HELP: CommandHelp = {
  name: 'dashboard',
  usage: '<baseline-dir|history-dir|series.json> [options]',
  description: `Writes one self-contained HTML file (no network needed to view it): every
benchmark's base-branch series with its interval band, change points marked,
commit SHAs, search and filter by id or group. Inputs as for 'history'.`,
};

export const FLAGS: readonly Flag[] = [
  { name: 'output', short: 'o', value: 'FILE', default: 'dashboard.html', help: 'where to write it' },
  { name: 'title', value: 'TEXT', default: 'Benchmark history', help: 'the page title' },
];

export function read(parsed: ParsedFlags): DashboardCommand {
  const input = onePositional(parsed, 'dashboard', 'baseline or history directory');
  return {
    kind: 'dashboard',
    input,
    output: str(parsed, 'output') ?? 'dashboard.html',
    title: str(parsed, 'title') ?? 'Benchmark history',
  };
}

export async function run(command: DashboardCommand): Promise<number> {
  const series = await loadSeries(command.input, runMetaOnce());
  const html = renderDashboard({
    series,
    changePoints: allChangePoints(series),
    title: command.title,
    generatedAt: new Date().toISOString(),
  });
  await writeTextFile(command.output, html);
  console.error(
    `Wrote ${command.output}: ${plural(series.series.length, 'benchmark')} over ${plural(series.runs.length, 'run')}.`,
  );
  return ExitCode.ok;
}
