/** Step 4: the report as files beside the results, the job summary, the outputs and the annotations. */
import { writeTextFile } from '../../files/write.ts';
import { annotate } from '../../github/regressions.ts';
import type { OutputPaths } from '../job.ts';
import { OUTPUT, type Outputs } from '../outputs.ts';
import type { Compared } from './analysis.ts';

/** Returns the report's path. */
export async function report({ analysis, verdict }: Compared, paths: OutputPaths, outputs: Outputs): Promise<string> {
  const reportPath = paths.beside('.report.md');
  await writeTextFile(reportPath, analysis.markdown);
  await writeTextFile(paths.beside('.report.json'), `${JSON.stringify(analysis.json, null, 2)}\n`);
  await outputs.summary(analysis.markdown);
  outputs.set(OUTPUT.verdict, verdict);
  outputs.set(OUTPUT.regressions, String(analysis.regressions));
  outputs.set(OUTPUT.improvements, String(analysis.improvements));
  outputs.set(OUTPUT.missing, String(analysis.comparison?.summary.counts.missing ?? 0));
  outputs.set(OUTPUT.reportPath, reportPath);
  annotate(analysis);
  return reportPath;
}
