/**
 * The compare job (action/jobs/compare.ts) in-process against the fake GitHub:
 * given results, the baseline found, the comment posted, the outputs set,
 * and the baseline uploaded from a push to the default branch only.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RegressionFailure } from '../../src/common/errors.ts';
import { baselineFiles } from '../../src/github/baseline-layout.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { pullRequestEvent, pushEvent } from '../support/github-events.ts';
import { resultsAt } from '../support/github-results.ts';

type Loaded = [typeof import('../../src/action/jobs/compare.ts'), typeof import('../support/jobs.ts')];
const sha = (n: number): string => n.toString(16).padStart(40, '0');

describe('the compare job', () => {
  let fake: FakeGitHub;
  let job: Loaded[0]['runCompareJob'];
  let runJob: Loaded[1]['runJob'];
  let work: string;
  before(async () => {
    let loaded: Loaded;
    ({ fake, loaded } = await FakeGitHub.startWith(() =>
      Promise.all([import('../../src/action/jobs/compare.ts'), import('../support/jobs.ts')]),
    ));
    [{ runCompareJob: job }, { runJob }] = loaded;
    work = await mkdtemp(join(tmpdir(), 'bench-compare-job-'));
  });
  after(() => fake.close());

  async function resultsFile(name: string, commit: string, median: number): Promise<string> {
    const path = join(work, name);
    await writeFile(path, JSON.stringify(resultsAt(commit, '2026-12-01T00:00:00Z', median)));
    return path;
  }

  it('a push to the default branch with no baseline yet: reported as such, and uploads the first baseline', async () => {
    const push = fake.addRun({ headSha: sha(1) });
    const results = await resultsFile('push.json', sha(1), 100);
    const { error, outputs, log } = await runJob(fake, job, {
      runId: push.id,
      inputs: { mode: 'compare', results },
      payload: pushEvent(fake, push.id),
    });
    assert.equal(error, null);
    assert.equal(outputs.values.get('verdict'), 'no-baseline');
    assert.ok(outputs.values.get('results-path')?.endsWith('bench-results.json'));
    assert.ok(outputs.values.get('dashboard-path')?.endsWith('.dashboard.html'));
    assert.equal(outputs.summaries.length, 1);
    assert.equal(fake.artifactsOf(push.id, 'bench-baseline').length, 1);
    assert.equal(fake.artifactsOf(push.id, 'bench-dashboard').length, 1);
    assert.ok(log.lines.some((line) => /Baseline 'bench-baseline' uploaded/.test(line)));
    fake.completeRun(push.id, 'success');
  });

  it('a pull request 30% slower: compared with that baseline and commented; one baseline run is a cold start, so it does not fail; nothing uploaded', async () => {
    fake.addPull({ number: 4, headSha: sha(2), baseSha: sha(1) });
    fake.setMergeBase(sha(1), sha(2), sha(1));
    const pr = fake.addRun({ headSha: sha(2), event: 'pull_request', headBranch: 'feature', pullRequests: [4] });
    const results = await resultsFile('pr.json', sha(2), 130);
    const { error, outputs, log } = await runJob(fake, job, {
      runId: pr.id,
      inputs: { mode: 'compare', results },
      payload: pullRequestEvent(fake, 4),
    });
    assert.equal(error, null);
    assert.ok(log.lines.some((line) => /1 possible regression not failing the build: cold start/.test(line)));
    assert.equal(outputs.values.get('verdict'), 'possible-regression');
    assert.equal(outputs.values.get('regressions'), '1');
    const [comment] = fake.commentsOn(4);
    assert.ok(comment, 'the PR got a comment');
    assert.equal(outputs.values.get('comment-id'), String(comment.id));
    assert.match(comment.body, /opa\/eval/);
    assert.equal(fake.artifactsOf(pr.id).length, 0, 'a pull request uploads no baseline');
  });

  it('fail-on-regression false: the same regression is reported, the job passes', async () => {
    const pr = fake.addRun({ headSha: sha(2), event: 'pull_request', headBranch: 'feature', pullRequests: [4] });
    const results = await resultsFile('pr-again.json', sha(2), 130);
    const { error, outputs, log } = await runJob(fake, job, {
      runId: pr.id,
      inputs: { mode: 'compare', results, 'fail-on-regression': 'false' },
      payload: pullRequestEvent(fake, 4),
    });
    assert.equal(error, null);
    assert.equal(outputs.values.get('verdict'), 'possible-regression');
    assert.ok(log.lines.includes('info: fail-on-regression is off: regressions are reported, the step passes.'));
    assert.equal(fake.commentsOn(4).length, 1, 'the sticky comment is edited in place');
  });

  it('a bad thresholds file fails before the results are read, naming the file', async () => {
    const pr = fake.addRun({ headSha: sha(2), event: 'pull_request', headBranch: 'feature', pullRequests: [4] });
    const thresholds = join(work, 'bad-thresholds.json');
    await writeFile(thresholds, '{"overrides": 3}');
    const { error } = await runJob(fake, job, {
      runId: pr.id,
      inputs: { mode: 'compare', results: join(work, 'missing.json'), 'thresholds-file': thresholds },
      payload: pullRequestEvent(fake, 4),
    });
    assert.match(String(error), /bad-thresholds\.json/);
  });

  it('against a baseline of ten runs, a 30% slowdown fails the step with the report named', async () => {
    const base = fake.addRun({ headSha: sha(10), status: 'completed', conclusion: 'success', headBranch: 'release' });
    const runs = Array.from({ length: 10 }, (_, i) =>
      resultsAt(sha(10), `2026-11-${String(20 - i).padStart(2, '0')}T00:00:00Z`, 100 + (i % 3)),
    );
    const [latest, ...history] = runs;
    const files = Object.fromEntries(
      baselineFiles({ latest: latest ?? null, history }).map((file) => [file.path, file.content]),
    );
    fake.addArtifact({ runId: base.id, name: 'bench-baseline', files });
    fake.addPull({ number: 9, headSha: sha(11), baseSha: sha(10), baseRef: 'release' });
    fake.setMergeBase(sha(10), sha(11), sha(10));
    const pr = fake.addRun({ headSha: sha(11), event: 'pull_request', headBranch: 'feature', pullRequests: [9] });
    const results = await resultsFile('pr-9.json', sha(11), 130);
    const { error, outputs } = await runJob(fake, job, {
      runId: pr.id,
      inputs: { mode: 'compare', results },
      payload: pullRequestEvent(fake, 9),
    });
    assert.ok(error instanceof RegressionFailure, String(error));
    assert.match(error.message, /1 benchmark regressed beyond the threshold.*report at .*bench-results\.report\.md/);
    assert.equal(outputs.values.get('verdict'), 'regression');
    assert.equal(fake.commentsOn(9).length, 1);
  });
});
