/**
 * Webhook payloads shaped like the ones a runner writes to GITHUB_EVENT_PATH,
 * built from the fake's state so ids and SHAs agree with its REST answers.
 * Only the fields actions read are filled in.
 */
import type { FakeGitHub } from './fake-github.ts';

export function pushEvent(fake: FakeGitHub, runId: number, before = '0'.repeat(40)): Record<string, unknown> {
  const run = fake.state.runs.get(runId);
  if (!run) throw new Error(`no run ${runId}`);
  return {
    ref: `refs/heads/${run.headBranch}`,
    before,
    after: run.headSha,
    created: false,
    deleted: false,
    forced: false,
    head_commit: { id: run.headSha, message: 'bench', timestamp: run.createdAt },
    repository: fake.repositoryResource(),
    sender: { login: 'octocat', type: 'User' },
  };
}

export function pullRequestEvent(fake: FakeGitHub, prNumber: number, action = 'synchronize'): Record<string, unknown> {
  const pull = fake.pullResource(prNumber);
  return {
    action,
    number: prNumber,
    pull_request: {
      ...pull,
      html_url: `https://github.com/${fake.fullName}/pull/${prNumber}`,
      draft: false,
      merged: false,
    },
    repository: fake.repositoryResource(),
    sender: { login: 'contributor', type: 'User' },
  };
}

export function workflowRunEvent(fake: FakeGitHub, runId: number): Record<string, unknown> {
  const run = fake.runResource(runId);
  return {
    action: 'completed',
    workflow_run: run,
    workflow: { id: run['workflow_id'], name: run['name'], path: run['path'] },
    repository: fake.repositoryResource(),
    sender: { login: 'contributor', type: 'User' },
  };
}
