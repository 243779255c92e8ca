import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { baselineFiles, rollBaseline } from '../../src/github/baseline-layout.ts';
import type { HistoryJson } from '../../src/report/history.ts';
import type { Results } from '../../src/schema/types.ts';
import { history, sha } from './support.ts';

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A directory of results files, one per run. */
function runsDir(runs: readonly Results[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-history-'));
  runs.forEach((run, i) => writeFileSync(join(dir, `run-${String(i).padStart(2, '0')}.json`), JSON.stringify(run)));
  return dir;
}

const specs = [
  { id: 'cache_get_warm/sark_cache', median: 250, logSd: 0.02 },
  { id: 'cache_set/sark_cache', median: 900, logSd: 0.03 },
  { id: 'policy_eval/simple', median: 12_000, logSd: 0.025 },
];

test('history finds a 10% step in one benchmark of a 30-run history within 3 runs, and nothing else', () => {
  const stepped = specs.map((s, i) => (i === 0 ? { ...s, step: { at: 23, factor: 1.1 } } : s));
  const dir = runsDir(history(30, stepped, 21));
  const outcome = cli('history', dir, '--format', 'json');
  assert.equal(outcome.status, 0, outcome.stderr);
  const json = JSON.parse(outcome.stdout) as HistoryJson;
  assert.equal(json.runs, 30);
  assert.equal(json.changePoints.length, 1, outcome.stdout);
  const [point] = json.changePoints;
  assert.equal(point!.id, 'cache_get_warm/sark_cache');
  assert.ok(Math.abs(point!.index - 23) <= 3);
  assert.equal(point!.commit, sha(point!.index));
  assert.ok(point!.change > 0.06 && point!.change < 0.14);
  assert.ok(point!.after > point!.before);

  const markdown = cli('history', dir);
  assert.equal(markdown.status, 0);
  assert.match(
    markdown.stdout,
    new RegExp(
      `cache\\\\_get\\\\_warm/sark\\\\_cache: \\+\\d+(\\.\\d)?% at \`${sha(point!.index).slice(0, 7)}\` \\(${29 - point!.index} runs? ago\\)`,
    ),
  );
});

test('history reports nothing on a history without steps', () => {
  const outcome = cli('history', runsDir(history(30, specs, 22)), '--format', 'json');
  assert.equal(outcome.status, 0, outcome.stderr);
  assert.deepEqual((JSON.parse(outcome.stdout) as HistoryJson).changePoints, []);
  const markdown = cli('history', runsDir(history(30, specs, 22)));
  assert.match(markdown.stdout, /3 benchmarks over 30 runs: no change points/);
});

test('history reads a baseline artifact directory (results.json + history/) and its series.json', () => {
  const runs = history(12, [{ ...specs[0]!, step: { at: 6, factor: 1.2 } }], 23);
  let contents = null;
  for (const run of runs) contents = rollBaseline(contents, run, 30);
  const dir = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
  for (const file of baselineFiles(contents!)) {
    mkdirSync(join(dir, file.path, '..'), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
  const outcome = cli('history', dir, '--format', 'json');
  assert.equal(outcome.status, 0, outcome.stderr);
  const json = JSON.parse(outcome.stdout) as HistoryJson;
  assert.equal(json.runs, 12);
  assert.equal(json.changePoints.length, 1);
  assert.ok(Math.abs(json.changePoints[0]!.index - 6) <= 3);
});

test('history: bad input names the path and exits 2', () => {
  const missing = cli('history', '/nonexistent/history');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /\/nonexistent\/history/);
  const dir = mkdtempSync(join(tmpdir(), 'bench-series-'));
  writeFileSync(join(dir, 'series.json'), JSON.stringify({ seriesVersion: 1, runs: [], series: [{ id: 'x' }] }));
  const damaged = cli('history', dir);
  assert.equal(damaged.status, 2);
  assert.match(damaged.stderr, /series\.json.*series schema/);
  assert.doesNotMatch(damaged.stderr, / {4}at /);
  const empty = cli('history', mkdtempSync(join(tmpdir(), 'bench-empty-')));
  assert.equal(empty.status, 2);
  assert.match(empty.stderr, /holds no series\.json/);
  assert.equal(cli('history').status, 64, 'bad usage');
  assert.equal(cli('history', dir, '--format', 'xml').status, 64, 'bad usage');
  assert.match(cli('history', '--help').stdout, /change points/);
});
