import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/common/errors.ts';
import { baseBranchOf, shouldUploadBaseline } from '../../src/action/plan.ts';
import { readRunContext } from '../../src/github/context.ts';

const env = (eventName: string, ref: string) => ({
  GITHUB_REPOSITORY: 'sark/sark',
  GITHUB_EVENT_NAME: eventName,
  GITHUB_SHA: 'a'.repeat(40),
  GITHUB_REF: ref,
  GITHUB_RUN_ID: '42',
  GITHUB_WORKFLOW: 'Benchmarks',
  GITHUB_JOB: 'bench',
});

const repository = { full_name: 'sark/sark', default_branch: 'main' };
const pull = (headRepo: string | null) => ({
  number: 7,
  pull_request: {
    number: 7,
    base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'sark/sark' } },
    head: { ref: 'feature', sha: 'c'.repeat(40), repo: headRepo === null ? null : { full_name: headRepo } },
  },
  repository,
});

test('a push to the default branch uploads the baseline on auto', () => {
  const context = readRunContext(env('push', 'refs/heads/main'), { repository });
  assert.equal(context.pushBranch, 'main');
  assert.equal(context.runId, 42);
  assert.equal(shouldUploadBaseline(context, 'auto'), true);
  assert.equal(shouldUploadBaseline(context, 'false'), false);
});

test('a push to another branch uploads only when told to', () => {
  const context = readRunContext(env('push', 'refs/heads/dev'), { repository });
  assert.equal(shouldUploadBaseline(context, 'auto'), false);
  assert.equal(shouldUploadBaseline(context, 'true'), true);
});

test('a pull request never writes the baseline, whatever the setting', () => {
  const context = readRunContext(env('pull_request', 'refs/pull/7/merge'), pull('sark/sark'));
  assert.equal(context.pullRequest?.number, 7);
  assert.equal(context.pullRequest?.isFork, false);
  assert.equal(shouldUploadBaseline(context, 'true'), false);
  assert.equal(baseBranchOf(context, ''), 'main');
  assert.equal(baseBranchOf(context, 'release'), 'release');
});

test('a fork, or a deleted fork, is recognized', () => {
  assert.equal(
    readRunContext(env('pull_request', 'refs/pull/7/merge'), pull('someone/sark')).pullRequest?.isFork,
    true,
  );
  assert.equal(readRunContext(env('pull_request', 'refs/pull/7/merge'), pull(null)).pullRequest?.isFork, true);
});

test('outside Actions the error says what to do', () => {
  assert.throws(
    () => readRunContext({}, {}),
    (error: unknown) => error instanceof UsageError && /GITHUB_REPOSITORY.*bench-action CLI/.test(error.message),
  );
});
