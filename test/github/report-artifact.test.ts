import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InputError } from '../../src/common/errors.ts';
import {
  DATA_FILE,
  REPORT_ARTIFACT_NAME,
  parseForkData,
  parseWorkflowRunEvent,
  refusal,
  serializeForkData,
  type ForkData,
  type PullState,
  type TriggeringRun,
} from '../../src/github/fork-report.ts';
import type { Octokit } from '../../src/github/client.ts';
import { withEnv } from '../support/env.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { resultsAt } from '../support/github-results.ts';

// Modules that load @actions/github are imported through FakeGitHub.startWith.
type ReportModule = typeof import('../../src/github/report-artifact.ts');

const HEAD = 'c'.repeat(40);
const data = (over: Partial<ForkData> = {}): ForkData => ({
  prNumber: 12,
  headSha: HEAD,
  results: resultsAt(HEAD, '2026-12-01T10:00:00.000Z'),
  ...over,
});

function rejectsInput(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'));
    return true;
  });
}

describe('fork data: validation', () => {
  it('round-trips through its JSON form', () => {
    assert.deepEqual(parseForkData(serializeForkData(data()), 'x'), data());
  });

  it('rejects anything but our data, naming the artifact; a finished comment body is never accepted', () => {
    const source = 'artifact bench-action-report (id 3, run 5)';
    const text = (over: Record<string, unknown>) =>
      JSON.stringify({ ...JSON.parse(serializeForkData(data())), ...over });
    rejectsInput(
      () => parseForkData('nope', source),
      /^artifact bench-action-report \(id 3, run 5\): pull-request\.json: invalid JSON at line 1 column 2; no comment is posted$/,
    );
    rejectsInput(
      () => parseForkData(`${'['.repeat(20_000)}${']'.repeat(20_000)}`, source),
      /pull-request\.json: JSON nested deeper than \d+ levels/,
    );
    rejectsInput(() => parseForkData('[]', source), /is not a JSON object/);
    // The old hand-over: a rendered body, a verdict and a marker chosen by the fork.
    rejectsInput(
      () =>
        parseForkData(
          JSON.stringify({
            prNumber: 12,
            headSha: HEAD,
            body: '@octocat ![x](https://attacker.example/p.png)',
            marker: '<!-- bench-action:x/y -->',
            verdict: 'pass',
          }),
          source,
        ),
      /has dataVersion null, not 2: the pull request's workflow must use the same bench-action version/,
    );
    rejectsInput(() => parseForkData(text({ prNumber: '12' }), source), /prNumber must be a positive integer/);
    rejectsInput(() => parseForkData(text({ headSha: 'main' }), source), /headSha must be a 40-character commit SHA/);
    rejectsInput(
      () => parseForkData(text({ results: { schemaVersion: 2, benchmarks: 'x' } }), source),
      /its results does not match the results schema at \//,
    );
  });

  it('reads the triggering run from a workflow_run payload', () => {
    const run = parseWorkflowRunEvent(
      {
        action: 'completed',
        workflow_run: {
          id: 9,
          name: 'bench PR',
          head_sha: HEAD,
          head_branch: 'main',
          head_repository: { full_name: 'fork-owner/sark' },
          event: 'pull_request',
          conclusion: 'failure',
          pull_requests: [{ number: 12 }],
        },
      },
      'event.json',
    );
    assert.deepEqual(run, {
      runId: 9,
      workflowName: 'bench PR',
      headSha: HEAD,
      headBranch: 'main',
      headRepository: 'fork-owner/sark',
      headRepositoryId: null,
      event: 'pull_request',
      conclusion: 'failure',
      pullRequests: [12],
    });
    rejectsInput(
      () => parseWorkflowRunEvent({ pull_request: {} }, 'event.json'),
      /^event\.json: has no workflow_run object; mode: comment must run on a workflow_run event$/,
    );
  });

  it('accepts a claim only for an open PR whose head is exactly what the pull_request run built', () => {
    const run: TriggeringRun = {
      runId: 9,
      workflowName: 'bench PR',
      headSha: HEAD,
      headBranch: 'main',
      headRepository: 'fork-owner/sark',
      headRepositoryId: 77,
      event: 'pull_request',
      conclusion: 'success',
      pullRequests: [],
    };
    const pull: PullState = {
      number: 12,
      state: 'open',
      headSha: HEAD,
      headRef: 'main',
      headRepository: 'fork-owner/sark',
      headRepositoryId: 77,
    };
    const claim = { prNumber: 12, headSha: HEAD };
    assert.equal(refusal(run, claim, pull), null);
    const lie = (r: ReturnType<typeof refusal>, pattern: RegExp) => {
      assert.equal(r?.expected, false, r?.reason);
      assert.match(r?.reason ?? '', pattern);
    };
    const normal = (r: ReturnType<typeof refusal>, pattern: RegExp) => {
      assert.equal(r?.expected, true, r?.reason);
      assert.match(r?.reason ?? '', pattern);
    };
    normal(refusal({ ...run, event: 'push' }, claim, pull), /triggered by 'push', not pull_request/);
    normal(refusal({ ...run, event: 'pull_request_target' }, claim, pull), /not pull_request/);
    lie(
      refusal(run, { ...claim, headSha: 'd'.repeat(40) }, pull),
      /the data is for commit dddddddddddd but run 9 built cccccccccccc/,
    );
    lie(refusal({ ...run, pullRequests: [13] }, claim, pull), /names PR #12, which run 9 did not build/);
    lie(refusal(run, claim, null), /PR #12, which does not exist/);
    // Another PR that shares the commit, from another repository (by id, whatever its name).
    lie(
      refusal(run, claim, { ...pull, headRepository: 'sark/sark', headRepositoryId: 1 }),
      /whose head is sark\/sark:main, but run 9 built fork-owner\/sark:main/,
    );
    lie(refusal(run, claim, { ...pull, headRepositoryId: 1 }), /whose head is fork-owner\/sark:main, but run 9/);
    // The fork renamed its repository or its branch after the run: the same repository, still its PR.
    assert.equal(refusal(run, claim, { ...pull, headRepository: 'fork-owner/sark-renamed' }), null);
    assert.equal(refusal(run, claim, { ...pull, headRef: 'renamed-branch' }), null);
    // Without ids (an older payload), names and branch must match as before.
    const nameOnly = { ...run, headRepositoryId: null };
    lie(refusal(nameOnly, claim, { ...pull, headRef: 'other' }), /whose head is fork-owner\/sark:other/);
    lie(
      refusal(run, claim, { ...pull, headRepository: '', headRepositoryId: null, headSha: 'e'.repeat(40) }),
      /a deleted repository/,
    );
    normal(refusal(run, claim, { ...pull, state: 'closed' }), /PR #12 is closed/);
    normal(
      refusal(run, claim, { ...pull, headSha: 'e'.repeat(40) }),
      /^the pull request moved: PR #12 is now at eeeeeeeeeeee, not cccccccccccc; the run for the newer commit will report$/,
    );
    // Renamed and pushed again: it moved, it did not lie.
    normal(
      refusal(run, claim, { ...pull, headRepository: 'fork-owner/renamed', headRef: 'b', headSha: 'e'.repeat(40) }),
      /^the pull request moved: PR #12 is now at eeeeeeeeeeee/,
    );
  });
});

describe('fork data: artifact round trip', () => {
  let fake: FakeGitHub;
  let mod: ReportModule;
  let writer: Octokit;
  let work: string;
  before(async () => {
    let loaded: [ReportModule, typeof import('../../src/github/client.ts')];
    ({ fake, loaded } = await FakeGitHub.startWith(() =>
      Promise.all([import('../../src/github/report-artifact.ts'), import('../../src/github/client.ts')]),
    ));
    [mod] = loaded;
    writer = loaded[1].createClient({ token: fake.writeToken, apiUrl: fake.url, retryDelayMs: 0 });
    work = await mkdtemp(join(tmpdir(), 'bench-action-report-'));
  });
  after(async () => {
    await fake.close();
    await rm(work, { recursive: true, force: true });
  });

  function forkRun(prNumber: number, headSha = HEAD) {
    fake.addPull({ number: prNumber, headSha, headRepo: 'fork-owner/sark', headRef: 'main' });
    return fake.addRun({
      headSha,
      event: 'pull_request',
      headBranch: 'main',
      fromFork: true,
      pullRequests: [prNumber],
    });
  }
  const triggering = (runId: number) => parseWorkflowRunEvent({ workflow_run: fake.runResource(runId) }, 'event.json');
  const load = (runId: number, dir: string) =>
    mod.loadForkData({
      octokit: writer,
      owner: fake.owner,
      repo: fake.repo,
      run: triggering(runId),
      workDir: join(work, dir),
    });

  it('a fork run uploads its data; the comment mode finds it, checks it against the PR and hands back results and PR', async () => {
    const run = forkRun(12);
    const { id } = await withEnv(fake.env(run.id), () => mod.uploadForkData(data(), join(work, 'phase1')));
    assert.deepEqual(
      fake.artifactsOf(run.id, REPORT_ARTIFACT_NAME).map((a) => a.id),
      [id],
    );
    assert.deepEqual(Object.keys(fake.artifactFiles(id)), [DATA_FILE]);
    fake.completeRun(run.id, 'success');
    const loaded = await load(run.id, 'phase2');
    assert.deepEqual(loaded.data, data());
    assert.ok('pull' in loaded);
    assert.deepEqual(
      [loaded.pull.number, loaded.pull.headSha, loaded.pull.headRepository, loaded.pull.baseRef],
      [12, HEAD, 'fork-owner/sark', 'main'],
    );
  });

  it('no data artifact in the run: nothing to post, and says why', async () => {
    const run = forkRun(13);
    const loaded = await load(run.id, 'none');
    assert.equal(loaded.data, null);
    assert.match(
      'reason' in loaded ? loaded.reason : '',
      new RegExp(`run ${run.id} left no bench-action-report artifact`),
    );
  });

  it('data naming a PR the run did not build is refused with one line, before any comment', async () => {
    const run = forkRun(14);
    fake.addPull({ number: 99, headSha: HEAD, headRef: 'feature' });
    fake.addArtifact({
      runId: run.id,
      name: REPORT_ARTIFACT_NAME,
      files: { [DATA_FILE]: serializeForkData(data({ prNumber: 99 })) },
    });
    await assert.rejects(
      load(run.id, 'spoof'),
      /names PR #99, whose head is sark\/sark:feature, but run \d+ built fork-owner\/sark:main; no comment is posted$/,
    );
  });

  it('a malformed or old-format data artifact fails with one line naming it', async () => {
    const run = forkRun(16);
    const artifact = fake.addArtifact({
      runId: run.id,
      name: REPORT_ARTIFACT_NAME,
      files: { [DATA_FILE]: '{"prNumber": 16}' },
    });
    await assert.rejects(load(run.id, 'bad'), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(
        error.message,
        new RegExp(
          `^artifact bench-action-report \\(id ${artifact.id}, run ${run.id}\\): pull-request\\.json has dataVersion null, not 2`,
        ),
      );
      return true;
    });
    const old = forkRun(17);
    fake.addArtifact({ runId: old.id, name: REPORT_ARTIFACT_NAME, files: { 'report.json': '{"body": "hi"}' } });
    await assert.rejects(
      load(old.id, 'old'),
      /has no pull-request\.json: it was not written by this version of bench-action/,
    );
  });
});
