/**
 * The merge job (action/jobs/merge.ts) in-process against the fake GitHub:
 * the shards of its run downloaded and merged into one head, which the
 * pipeline reports; a missing shard reported first, failing the step and
 * uploading no baseline.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { InputError } from '../../src/common/errors.ts';
import type { Results } from '../../src/schema/types.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { pushEvent } from '../support/github-events.ts';
import { resultsAt } from '../support/github-results.ts';

type Loaded = [typeof import('../../src/action/jobs/merge.ts'), typeof import('../support/jobs.ts')];
const sha = (n: number): string => n.toString(16).padStart(40, '0');

/** Shard `index` of `count`'s results: one benchmark of its own, stamped as a shard job stamps them. */
function shardResults(commit: string, index: number, count: number): string {
  const results = resultsAt(commit, '2026-12-01T00:00:00Z', 100 + index);
  const [benchmark] = results.benchmarks;
  if (!benchmark) throw new Error('resultsAt has a benchmark');
  results.benchmarks = [{ ...benchmark, id: `opa/eval-${index}`, function: `eval-${index}` }];
  results.run = { ...results.run, shard: { index, count, basis: 'no baseline' } };
  return JSON.stringify(results);
}

describe('the merge job', () => {
  let fake: FakeGitHub;
  let job: Loaded[0]['runMergeJob'];
  let runJob: Loaded[1]['runJob'];
  before(async () => {
    let loaded: Loaded;
    ({ fake, loaded } = await FakeGitHub.startWith(() =>
      Promise.all([import('../../src/action/jobs/merge.ts'), import('../support/jobs.ts')]),
    ));
    [{ runMergeJob: job }, { runJob }] = loaded;
  });
  after(() => fake.close());

  it("merges every shard of its run into one head, reports it, and uploads the push's baseline", async () => {
    const push = fake.addRun({ headSha: sha(1) });
    for (const index of [1, 2, 3])
      fake.addArtifact({
        runId: push.id,
        name: `bench-action-shard-${index}-of-3`,
        files: { 'results.json': shardResults(sha(1), index, 3) },
      });
    const { error, outputs, log } = await runJob(fake, job, {
      runId: push.id,
      inputs: { mode: 'merge' },
      payload: pushEvent(fake, push.id),
    });
    assert.equal(error, null);
    assert.ok(log.lines.includes('info: Merged 3 of 3 shards: 3 benchmarks.'));
    const path = outputs.values.get('results-path');
    assert.ok(path);
    const head = JSON.parse(await readFile(path, 'utf8')) as Results;
    assert.deepEqual(head.benchmarks.map((b) => b.id).sort(), ['opa/eval-1', 'opa/eval-2', 'opa/eval-3']);
    assert.equal(head.shards?.count, 3);
    assert.equal(outputs.values.get('verdict'), 'no-baseline');
    assert.equal(fake.artifactsOf(push.id, 'bench-baseline').length, 1);
    fake.completeRun(push.id, 'success');
  });

  it('a missing shard: the report says so first, the step fails naming it, and no baseline is uploaded', async () => {
    const push = fake.addRun({ headSha: sha(2) });
    fake.addArtifact({
      runId: push.id,
      name: 'bench-action-shard-1-of-2',
      files: { 'results.json': shardResults(sha(2), 1, 2) },
    });
    const { error, outputs } = await runJob(fake, job, {
      runId: push.id,
      inputs: { mode: 'merge' },
      payload: pushEvent(fake, push.id),
    });
    assert.ok(error instanceof InputError, String(error));
    assert.match(error.message, /Incomplete run: shard 2\/2 \(artifact bench-action-shard-2-of-2\) is missing/);
    assert.match(
      outputs.summaries[0] ?? '',
      /Incomplete run: shard 2\/2 \(artifact bench-action-shard-2-of-2\) is missing/,
    );
    assert.equal(fake.artifactsOf(push.id, 'bench-baseline').length, 0);
  });

  it('a suite merges only its own shards', async () => {
    const push = fake.addRun({ headSha: sha(3) });
    fake.addArtifact({
      runId: push.id,
      name: 'bench-action-linux-shard-1-of-1',
      files: { 'results.json': shardResults(sha(3), 1, 1) },
    });
    fake.addArtifact({
      runId: push.id,
      name: 'bench-action-shard-1-of-2',
      files: { 'results.json': shardResults(sha(3), 1, 2) },
    });
    const { error, log } = await runJob(fake, job, {
      runId: push.id,
      inputs: { mode: 'merge', suite: 'linux' },
      payload: pushEvent(fake, push.id),
    });
    assert.equal(error, null);
    assert.ok(log.lines.includes('info: Merged 1 of 1 shards: 1 benchmarks.'));
    assert.equal(fake.artifactsOf(push.id, 'bench-baseline-linux').length, 1);
  });
});
