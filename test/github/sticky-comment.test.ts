import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GitHubError } from '../../src/common/errors.ts';
import { createClient } from '../../src/github/client.ts';
import {
  ACTIONS_BOT_LOGIN,
  resolveCommentAuthor,
  stickyMarker,
  upsertStickyComment,
  type UpsertArgs,
} from '../../src/github/sticky-comment.ts';
import { FakeGitHub } from '../support/fake-github.ts';

describe('sticky comment', () => {
  let fake: FakeGitHub;
  let pr = 100;
  before(async () => {
    fake = await FakeGitHub.start();
  });
  after(async () => {
    await fake.close();
  });

  const marker = stickyMarker('bench', 'criterion');
  function args(overrides: Partial<UpsertArgs> = {}): UpsertArgs {
    return {
      octokit: createClient({ token: fake.writeToken, apiUrl: fake.url, retryDelayMs: 0 }),
      owner: fake.owner,
      repo: fake.repo,
      issueNumber: pr,
      body: '## Benchmarks\nno change',
      marker,
      mode: 'always',
      hasNews: false,
      ...overrides,
    };
  }

  it('builds a marker that cannot close its HTML comment early', () => {
    assert.equal(stickyMarker('bench', 'criterion'), '<!-- bench-action:bench/criterion -->');
    assert.equal(stickyMarker('a-->b', 'x<y>'), '<!-- bench-action:a- b/x y -->');
  });

  it('learns its login from GraphQL viewer, as the bot GitHub shows on comments', async () => {
    const octokit = createClient({ token: fake.writeToken, apiUrl: fake.url });
    assert.equal(await resolveCommentAuthor(octokit), ACTIONS_BOT_LOGIN);
  });

  it('creates the comment once, then updates the same one in place', async () => {
    pr = 101;
    const first = await upsertStickyComment(args({ body: 'first report' }));
    assert.equal(first.action, 'created');
    const second = await upsertStickyComment(args({ body: 'second report' }));
    assert.deepEqual(second, { action: 'updated', commentId: first.commentId });
    const comments = fake.commentsOn(pr);
    assert.equal(comments.length, 1);
    assert.equal(comments[0]?.body, `${marker}\nsecond report`);
    assert.equal(comments[0]?.user.login, 'github-actions[bot]');
  });

  it('ignores comments by other authors that quote the marker', async () => {
    pr = 102;
    const human = fake.addComment(pr, `look at this: ${marker}`, { login: 'octocat', type: 'User' });
    const result = await upsertStickyComment(args({ body: 'bot report' }));
    assert.equal(result.action, 'created');
    assert.notEqual(result.commentId, human.id);
    assert.equal(fake.commentsOn(pr).find((c) => c.id === human.id)?.body, `look at this: ${marker}`);
  });

  it("keeps another job's sticky comment apart", async () => {
    pr = 103;
    await upsertStickyComment(args({ marker: stickyMarker('bench', 'node'), body: 'node report' }));
    const result = await upsertStickyComment(args({ body: 'criterion report' }));
    assert.equal(result.action, 'created');
    assert.equal(fake.commentsOn(pr).length, 2);
  });

  it('finds its comment beyond the first page of comments', async () => {
    pr = 104;
    for (let i = 0; i < 120; i++) fake.addComment(pr, `chatter ${i}`);
    const first = await upsertStickyComment(args({ body: 'v1' }));
    const second = await upsertStickyComment(args({ body: 'v2' }));
    assert.equal(second.action, 'updated');
    assert.equal(second.commentId, first.commentId);
    assert.equal(fake.commentsOn(pr).length, 121);
    // 121 comments at 100 per page: the lookup must have followed the Link header.
    const pages = fake.requests.filter(
      (r) => r.path.startsWith(`/repos/sark/sark/issues/${pr}/comments`) && r.method === 'GET',
    );
    assert.ok(
      pages.some((r) => r.path.includes('page=2')),
      'second page requested',
    );
  });

  it('on-change: no comment without news, but an existing one is still updated', async () => {
    pr = 105;
    assert.deepEqual(await upsertStickyComment(args({ mode: 'on-change', hasNews: false })), {
      action: 'skipped',
      commentId: null,
    });
    assert.equal(fake.commentsOn(pr).length, 0);
    const created = await upsertStickyComment(args({ mode: 'on-change', hasNews: true, body: 'regression!' }));
    assert.equal(created.action, 'created');
    const updated = await upsertStickyComment(args({ mode: 'on-change', hasNews: false, body: 'all clear now' }));
    assert.deepEqual(updated, { action: 'updated', commentId: created.commentId });
    assert.equal(fake.commentsOn(pr)[0]?.body, `${marker}\nall clear now`);
  });

  it('never: makes no request at all', async () => {
    pr = 106;
    const before = fake.requests.length;
    assert.deepEqual(await upsertStickyComment(args({ mode: 'never' })), { action: 'skipped', commentId: null });
    assert.equal(fake.requests.length, before);
  });

  it('a refused comment is a one-line failure advising the permission, never a guess that this is a fork', async () => {
    pr = 107;
    const octokit = createClient({ token: fake.readOnlyToken, apiUrl: fake.url });
    await assert.rejects(upsertStickyComment(args({ octokit })), (error: unknown) => {
      assert.ok(error instanceof GitHubError);
      assert.equal(error.status, 403);
      assert.match(
        error.message,
        /^GitHub refused to comment on PR #107 \(403\): the token lacks permission; grant `pull-requests: write`.*\[request FAKE:[0-9A-F]+\]$/,
      );
      assert.doesNotMatch(error.message, /fork|mode: comment/);
      return true;
    });
    assert.equal(fake.commentsOn(pr).length, 0);
  });

  it('a refused update of an existing comment names the comment', async () => {
    pr = 108;
    const { commentId } = await upsertStickyComment(args({ body: 'v1' }));
    const octokit = createClient({ token: fake.readOnlyToken, apiUrl: fake.url });
    await assert.rejects(
      upsertStickyComment(args({ octokit, body: 'v2' })),
      new RegExp(`update comment ${commentId} on PR #108 \\(403\\)`),
    );
  });
});
