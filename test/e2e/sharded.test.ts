/**
 * A sharded workflow end to end against the loopback GitHub: two `shard: i/2`
 * jobs of one pull-request run benchmark their halves of a real Criterion 0.3
 * crate (the first-contact fixture with four benchmarks, built into the shared
 * e2e target) and upload them; a `mode: merge` job of the same run merges them
 * and posts one comment whose verdicts equal an unsharded `mode: compare` job's
 * on the same results. A push whose second shard is missing fails the merge
 * naming it and uploads no baseline. One Node runtime: the rest is covered by
 * the Node 20/24 suites.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SCHEMA_VERSION, type Benchmark, type Results } from '../../src/schema/types.ts';
import { NODE20, runAction, type ActionRun } from '../support/action-runner.ts';
import { createCriterionRepo, criterionTarget, type CriterionRepo } from '../support/criterion-workspace.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { pullRequestEvent, pushEvent } from '../support/github-events.ts';
import { git } from '../support/cargo-repo.ts';

/** This file's own target directory (cargo's lock and Criterion's results are this file's alone). */
const TARGET = criterionTarget('sharded');

const BENCH = `use criterion::{black_box, criterion_group, criterion_main, Criterion};
use first_contact::parse_digits;
use std::time::Duration;

fn digits(c: &mut Criterion) {
    c.bench_function("parse_digits/4", |b| b.iter(|| parse_digits(black_box(b"1234"))));
    c.bench_function("parse_digits/12", |b| b.iter(|| parse_digits(black_box(b"123456789012"))));
    c.bench_function("parse_digits/18", |b| b.iter(|| parse_digits(black_box(b"123456789012345678"))));
    c.bench_function("parse_digits/bad", |b| b.iter(|| parse_digits(black_box(b"12345x"))));
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(200)).measurement_time(Duration::from_millis(400)).sample_size(10).without_plots();
    targets = digits
}
criterion_main!(benches);
`;
const IDS = ['parse_digits/12', 'parse_digits/18', 'parse_digits/4', 'parse_digits/bad'];

function explain(run: ActionRun): string {
  return `exit ${run.code}\n--- stdout (tail)\n${run.stdout.slice(-4000)}\n--- stderr (tail)\n${run.stderr.slice(-2000)}`;
}

/** A baseline far from anything measured here on two ids (a regression and an improvement), near it on the others. */
function baseline(commit: string): Results {
  const medians: Record<string, number> = {
    'parse_digits/4': 0.01,
    'parse_digits/12': 8,
    'parse_digits/18': 1e6,
    'parse_digits/bad': 4,
  };
  const benchmarks: Benchmark[] = IDS.map((id) => {
    const median = medians[id] ?? 1;
    const samples = Array.from({ length: 10 }, (_, i) => median * (1 + (i - 4.5) * 0.002));
    return {
      id,
      metric: 'time',
      group: 'parse_digits',
      function: id.split('/')[1] ?? null,
      parameter: null,
      source: 'criterion',
      unit: 'ns',
      direction: 'lower',
      estimates: { median, mean: median, stdDev: median * 0.006, ci: null },
      throughput: null,
      samples,
    };
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    run: {
      tool: { name: 'bench-action', version: '0.1.0' },
      commit,
      ref: 'refs/heads/main',
      timestamp: '2026-12-01T08:00:00.000Z',
      runner: null,
      versions: {},
    },
    benchmarks,
  };
}

interface ReportRow {
  id: string;
  verdict: string;
  change: number | null;
}

function reportRows(run: ActionRun): Map<string, Omit<ReportRow, 'id'>> {
  const json = JSON.parse(readFileSync((run.outputs['report-path'] ?? '').replace(/\.md$/, '.json'), 'utf8')) as {
    benchmarks: ReportRow[];
  };
  return new Map(json.benchmarks.map((row) => [row.id, { verdict: row.verdict, change: row.change }]));
}

describe('Node 20: a 2-shard matrix and a merge job', { concurrency: 1 }, () => {
  let fake: FakeGitHub;
  let repo: CriterionRepo;
  const shardFiles: Record<string, Record<string, string>> = {};
  const env = (runId: number, job: string) => ({
    ...fake.env(runId, { GITHUB_JOB: job }),
    CARGO_TARGET_DIR: TARGET,
  });

  before(async () => {
    assert.equal(NODE20.missing, null);
    fake = await FakeGitHub.start();
    repo = createCriterionRepo('main');
    writeFileSync(join(repo.root, 'benches', 'parse.rs'), BENCH);
    git(repo.root, 'commit', '-qam', 'four benchmarks');
    repo.headSha = git(repo.root, 'rev-parse', 'HEAD');
    const push = fake.addRun({ headSha: repo.baseSha, status: 'completed', conclusion: 'success' });
    fake.addArtifact({
      runId: push.id,
      name: 'bench-baseline',
      files: { 'results.json': JSON.stringify(baseline(repo.baseSha)) },
    });
    fake.addPull({ number: 5, headSha: repo.headSha, baseSha: repo.baseSha });
    fake.setMergeBase(repo.baseSha, repo.headSha, repo.baseSha);
  });
  after(() => fake.close());

  it(
    'each shard runs its half, uploads it and posts nothing; the merge posts one comment with the unsharded verdicts',
    { timeout: 900_000 },
    async () => {
      const run = fake.addRun({
        headSha: repo.headSha,
        event: 'pull_request',
        headBranch: 'feature',
        pullRequests: [5],
      });
      const measured: string[][] = [];
      for (const index of [1, 2]) {
        const result = await runAction({
          node: NODE20,
          env: env(run.id, 'bench'),
          event: pullRequestEvent(fake, 5),
          inputs: { 'github-token': fake.writeToken, shard: `${index}/2` },
          workspace: repo.root,
          timeoutMs: 880_000,
        });
        assert.equal(result.code, 0, explain(result));
        const [artifact] = fake.artifactsOf(run.id, `bench-action-shard-${index}-of-2`);
        assert.ok(artifact, explain(result));
        shardFiles[index] = fake.artifactFiles(artifact.id);
        const results = JSON.parse(shardFiles[index]['results.json'] ?? '') as Results;
        assert.deepEqual(results.run.shard?.index, index);
        assert.match(results.run.shard?.basis ?? '', /the baseline of commit/);
        measured.push(results.benchmarks.map((b) => b.id).sort());
        assert.match(result.summary, new RegExp(`shard ${index} of 2`));
        assert.equal(fake.commentsOn(5).length, 0, 'a shard posts no comment');
      }
      // Balanced by the baseline's durations: two each, disjoint, everything covered.
      assert.deepEqual(
        measured.map((ids) => ids.length),
        [2, 2],
      );
      assert.deepEqual(measured.flat().sort(), IDS);

      const merge = await runAction({
        node: NODE20,
        env: env(run.id, 'report'),
        event: pullRequestEvent(fake, 5),
        inputs: { 'github-token': fake.writeToken, mode: 'merge' },
        workspace: repo.root,
        timeoutMs: 120_000,
      });
      assert.equal(merge.code, 0, explain(merge));
      const comments = fake.commentsOn(5);
      assert.equal(comments.length, 1, 'one comment for the whole run');
      const merged = JSON.parse(readFileSync(merge.outputs['results-path'] ?? '', 'utf8')) as Results;
      assert.deepEqual(merged.benchmarks.map((b) => b.id).sort(), IDS);
      assert.deepEqual(
        merged.shards?.parts.map((p) => p.shard?.index),
        [1, 2],
      );
      assert.equal(fake.artifactsOf(run.id, 'bench-baseline').length, 0, 'a PR never uploads a baseline');

      // One unsharded job compares the same results.
      const dir = await mkdtemp(join(tmpdir(), 'bench-shard-e2e-'));
      for (const index of [1, 2])
        writeFileSync(join(dir, `shard-${index}.json`), shardFiles[index]?.['results.json'] ?? '');
      fake.addPull({ number: 6, headSha: repo.headSha, baseSha: repo.baseSha });
      const single = fake.addRun({
        headSha: repo.headSha,
        event: 'pull_request',
        headBranch: 'feature',
        pullRequests: [6],
      });
      const whole = await runAction({
        node: NODE20,
        env: env(single.id, 'bench'),
        event: pullRequestEvent(fake, 6),
        inputs: {
          'github-token': fake.writeToken,
          mode: 'compare',
          results: `${join(dir, 'shard-1.json')}\n${join(dir, 'shard-2.json')}`,
        },
        workspace: repo.root,
      });
      assert.equal(whole.code, 0, explain(whole));
      const sharded = reportRows(merge);
      assert.deepEqual([...sharded.keys()].sort(), IDS);
      assert.deepEqual(sharded, reportRows(whole));
      assert.equal(sharded.get('parse_digits/4')?.verdict, 'regression');
      assert.equal(sharded.get('parse_digits/18')?.verdict, 'improvement');
      assert.equal(merge.outputs['verdict'], whole.outputs['verdict']);
      assert.equal(merge.outputs['regressions'], whole.outputs['regressions']);
    },
  );

  it(
    'a push whose shard 2 is missing: the merge reports shard 1 marked incomplete, fails naming shard 2, and uploads no baseline',
    { timeout: 120_000 },
    async () => {
      const run = fake.addRun({ headSha: repo.headSha });
      fake.addArtifact({ runId: run.id, name: 'bench-action-shard-1-of-2', files: shardFiles[1] ?? {} });
      const merge = await runAction({
        node: NODE20,
        env: env(run.id, 'report'),
        event: pushEvent(fake, run.id),
        inputs: { 'github-token': fake.writeToken, mode: 'merge' },
        workspace: repo.root,
      });
      assert.equal(merge.code, 1, explain(merge));
      assert.ok(
        merge.errors.some((e) => /shard 2\/2 \(artifact bench-action-shard-2-of-2\) is missing/.test(e)),
        explain(merge),
      );
      assert.match(merge.summary, /Incomplete run: shard 2\/2/);
      const merged = JSON.parse(readFileSync(merge.outputs['results-path'] ?? '', 'utf8')) as Results;
      assert.deepEqual(merged.shards?.missing, [2]);
      assert.equal(merged.benchmarks.length, 2);
      assert.equal(
        fake.artifactsOf(run.id, 'bench-baseline').length,
        0,
        'an incomplete run never becomes the baseline',
      );
    },
  );

  it(
    'instruction counts a shard could not measure: the shard hands the reason over and the merged report says it',
    { timeout: 900_000 },
    async () => {
      const run = fake.addRun({ headSha: repo.headSha });
      for (const index of [1, 2]) {
        const result = await runAction({
          node: NODE20,
          env: env(run.id, 'bench'),
          event: pushEvent(fake, run.id),
          inputs: { 'github-token': fake.writeToken, shard: `${index}/2`, instructions: 'true' },
          workspace: repo.root,
          timeoutMs: 880_000,
        });
        assert.equal(result.code, 0, explain(result));
      }
      // The first-contact crate has no gungraun bench: the one shard that took the gungraun unit says so.
      const notes = [1, 2].map(
        (index) =>
          fake.artifactFiles(fake.artifactsOf(run.id, `bench-action-shard-${index}-of-2`)[0]?.id ?? -1)['notes.json'] ??
          null,
      );
      assert.equal(notes.filter((n) => n !== null).length, 1, `notes: ${JSON.stringify(notes)}`);
      const merge = await runAction({
        node: NODE20,
        env: env(run.id, 'report'),
        event: pushEvent(fake, run.id),
        inputs: { 'github-token': fake.writeToken, mode: 'merge' },
        workspace: repo.root,
        timeoutMs: 120_000,
      });
      assert.equal(merge.code, 0, explain(merge));
      assert.match(merge.summary, /Shard [12]\/2: instructions: true, but .* has no gungraun benches/);
      // Shard mode does not count the Criterion benches with the harness: said once, by that same shard.
      assert.match(
        merge.summary,
        /Shard [12]\/2: .*Instruction counts of the Criterion benches are not taken in shard mode/,
      );
    },
  );
});
