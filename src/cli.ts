#!/usr/bin/env node
// The bench-action command line: the same analysis the action runs, on local files.
import { analyze } from './analysis/analyze.ts';
import type { ComparisonSummary } from './compare/types.ts';
import { plural } from './report/format.ts';
import { parseCliArgs, type CliCommand } from './config/cli-args.ts';
import { ExitCode, UserError, oneLine } from './common/errors.ts';
import {
  loadClaims,
  loadCombined,
  loadHistory,
  loadHistoryDir,
  loadResults,
  writeResults,
  writeTextFile,
} from './files/load.ts';
import { loadAnalysisSettings } from './files/analysis-settings.ts';
import { runMetaOnce } from './run/metadata.ts';
import { allChangePoints, historyTerms } from './history/changes.ts';
import { seriesFromRuns } from './history/series.ts';
import { loadSeries } from './files/load-series.ts';
import { historyJson, renderHistoryMarkdown } from './report/history.ts';
import { renderDashboard } from './dashboard/render.ts';
import type { Results, RunMeta } from './schema/types.ts';
import { TOOL_VERSION } from './common/version.ts';
import { mergeShards } from './shard/merge.ts';
import { controlMatcher } from './compare/controls.ts';
import { criterionFilter, durationsFrom, planShards } from './shard/plan.ts';

async function emit(text: string, output: string | null): Promise<void> {
  if (output === null) process.stdout.write(text);
  else {
    await writeTextFile(output, text);
    console.error(`Wrote ${output}`);
  }
}

function render(json: unknown, markdown: string, format: 'markdown' | 'json'): string {
  return format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : markdown;
}

function noiseNote(runs: number, cut: number): string {
  const since = cut > 0 ? ` (for ${cut} benchmark${cut === 1 ? '' : 's'}, only the runs since a change point)` : '';
  return `Noise-aware: run-to-run spread estimated from ${runs} base-branch runs${since}.`;
}

/** Exit 4 when nothing was compared, or with --fail-on-missing when the head lacks a benchmark of the base; the reason on stderr. */
function missingExit(
  summary: ComparisonSummary | undefined,
  command: { base: string; head: string; failOnMissing: boolean },
): number {
  if (!summary) return ExitCode.ok;
  const { inCommon, counts } = summary;
  if (inCommon === 0) {
    console.error(
      `bench-action: ${command.head} and ${command.base} have no benchmark in common (${plural(counts.new, 'benchmark')} only in the head, ${counts.missing} only in the base): nothing was compared. Check the paths, or whether the suite was renamed.`,
    );
    return ExitCode.missing;
  }
  if (command.failOnMissing && counts.missing > 0) {
    console.error(
      `bench-action: ${plural(counts.missing, 'benchmark')} of ${command.base} missing from ${command.head} (--fail-on-missing).`,
    );
    return ExitCode.missing;
  }
  return ExitCode.ok;
}

async function run(command: CliCommand): Promise<number> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${command.text}\n`);
      return ExitCode.ok;
    case 'version':
      process.stdout.write(`${TOOL_VERSION}\n`);
      return ExitCode.ok;
    case 'parse': {
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
    case 'compare': {
      const meta = runMetaOnce();
      const base = await loadResults(command.base, meta);
      const head = await loadResults(command.head, meta);
      const history: Results[] = [];
      for (const path of command.history)
        history.push(...(await loadHistory(path, meta, [command.base, command.head])));
      if (command.historyDir)
        history.push(
          ...(await loadHistoryDir(command.historyDir.path, command.historyDir, [command.base, command.head], meta)),
        );
      const settings = await loadAnalysisSettings(command);
      // The base run is one more sample of the base branch's run-to-run spread,
      // counted only since each benchmark's last change point.
      const series = history.length > 0 ? seriesFromRuns([base, ...history]) : null;
      const terms = series ? historyTerms(series, base, head, history.length + 1, settings.controls) : undefined;
      const analysis = analyze({
        ...settings,
        base,
        head,
        today: new Date().toISOString().slice(0, 10),
        seed: command.seed,
        ...(terms
          ? { noise: terms.noise, baseRuns: terms.baseRuns, note: noiseNote(history.length + 1, terms.cut.size) }
          : {}),
        series,
      });
      await emit(render(analysis.json, analysis.markdown, command.format), command.output);
      if (analysis.regressions > 0 && command.fail) return ExitCode.regression;
      return missingExit(analysis.comparison?.summary, command);
    }
    case 'history': {
      const series = await loadSeries(command.input, runMetaOnce());
      const points = allChangePoints(series);
      await emit(
        render(historyJson(series, points), renderHistoryMarkdown(series, points), command.format),
        command.output,
      );
      return ExitCode.ok;
    }
    case 'dashboard': {
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
    case 'report': {
      const head = await loadResults(command.input, runMetaOnce());
      const claims = command.claimsFile ? await loadClaims(command.claimsFile) : null;
      const analysis = analyze({ base: null, head, threshold: 0.1, claims });
      await emit(render(analysis.json, analysis.markdown, command.format), command.output);
      return ExitCode.ok;
    }
    case 'shard': {
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
    case 'merge': {
      const meta = runMetaOnce();
      const parts = [];
      for (const path of command.inputs) parts.push({ origin: path, results: await loadResults(path, meta) });
      const merged = mergeShards(
        parts,
        command.controls.length > 0 ? { isControl: controlMatcher(command.controls) } : {},
      );
      if (command.output === null) process.stdout.write(`${JSON.stringify(merged, null, 2)}\n`);
      else {
        await writeResults(command.output, merged);
        console.error(
          `Wrote ${plural(merged.benchmarks.length, 'benchmark')} from ${plural(parts.length, 'shard')} to ${command.output}`,
        );
      }
      return ExitCode.ok;
    }
  }
}

try {
  process.exitCode = await run(parseCliArgs(process.argv.slice(2)));
} catch (error) {
  if (error instanceof UserError) {
    // Messages quote file contents (ids, property names): one inert line each.
    const message = oneLine(error.message);
    // Usage errors already name their command ("bench-action compare: ..."): one prefix, not two.
    console.error(/^bench-action[ :]/.test(message) ? message : `bench-action: ${message}`);
    process.exitCode = error.exitCode;
  } else {
    // Never exit 1 on a bug: scripts read 1 as "a benchmark regressed".
    console.error(
      `bench-action: crashed, which is a bug: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = ExitCode.bug;
  }
}
