/**
 * One comment, a section per suite, written by jobs that finish at once.
 * The fake's gate holds one job's request until the other's write is done, to
 * force the two interleavings GitHub allows: both create a comment, or both
 * read the same body and write it back with only their own section.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from '../../src/github/client.ts';
import { stickyMarker } from '../../src/github/sticky-comment.ts';
import { upsertSection, type SectionArgs } from '../../src/github/sticky-sections.ts';
import { composeSections, holdsSection, MAX_COMMENT_CHARS, readSections } from '../../src/report/sections.ts';
import { FakeGitHub } from '../support/fake-github.ts';

describe('suite sections of one comment (pure)', () => {
  it('sets its own section, keeps the others as read, sorted by suite; ignores text outside sections', () => {
    const one = composeSections(null, 'linux', 'report L', 'long');
    const two = composeSections(`<!-- m -->\nstray text\n${one}`, 'macos', 'report M', 'long');
    assert.deepEqual([...readSections(two).keys()], ['linux', 'macos']);
    assert.match(readSections(two).get('linux') ?? '', /### Suite `linux`\n\nreport L/);
    const again = composeSections(two, 'linux', 'report L2', 'long');
    assert.match(readSections(again).get('linux') ?? '', /report L2/);
    assert.match(readSections(again).get('macos') ?? '', /report M/);
    assert.ok(!again.includes('stray text'));
    assert.ok(holdsSection(again, again, 'macos'));
    assert.ok(!holdsSection(two, again, 'linux'));
  });

  it("a section that would push the comment over GitHub's limit shrinks to the note; the others stay", () => {
    const big = composeSections(null, 'a', 'x'.repeat(40_000), 'long');
    const both = composeSections(big, 'b', 'y'.repeat(40_000), 'see the job summary');
    assert.ok(both.length <= MAX_COMMENT_CHARS);
    assert.match(readSections(both).get('b') ?? '', /see the job summary/);
    assert.equal(readSections(both).get('a')?.length, readSections(big).get('a')?.length);
    assert.throws(() => composeSections(null, 'bad name', 'x', 'y'), RangeError);
  });
});

describe('suite sections against the loopback GitHub', { timeout: 60_000 }, () => {
  let fake: FakeGitHub;
  let pr = 500;
  const marker = stickyMarker('bench', 'bench');
  before(async () => {
    fake = await FakeGitHub.start();
  });
  after(() => fake.close());

  function args(suite: string, body: string, settleMs = 50): SectionArgs {
    return {
      octokit: createClient({ token: fake.writeToken, apiUrl: fake.url, retryDelayMs: 0 }),
      owner: fake.owner,
      repo: fake.repo,
      issueNumber: pr,
      body,
      marker,
      mode: 'always',
      hasNews: true,
      suite,
      settle: () => new Promise((done) => setTimeout(done, settleMs)),
    };
  }

  /** Holds the first request of `first` that matches until `release` is called. */
  function holdOnce(match: (method: string, path: string, body: string) => boolean): {
    release: () => void;
    held: Promise<void>;
  } {
    let release = (): void => undefined;
    let arrived = (): void => undefined;
    const held = new Promise<void>((done) => (arrived = done));
    const gate = new Promise<void>((done) => (release = done));
    let used = false;
    fake.gate = async (method, path, body) => {
      if (used || !match(method, path, body)) return;
      used = true;
      arrived();
      await gate;
    };
    return { release, held };
  }

  function sectionsOn(issue: number): string[][] {
    return fake.commentsOn(issue).map((c) => [...readSections(c.body).keys()]);
  }

  it('each suite adds its section to the one comment, in turn', async () => {
    pr = 501;
    await upsertSection(args('linux', 'L1'));
    await upsertSection(args('macos', 'M1'));
    await upsertSection(args('linux', 'L2'));
    assert.deepEqual(sectionsOn(pr), [['linux', 'macos']]);
    assert.match(fake.commentsOn(pr)[0]?.body ?? '', /L2[\s\S]*M1/);
    assert.ok(fake.commentsOn(pr)[0]?.body.startsWith(marker));
  });

  it('both create a comment at once: the newer one is deleted and its section moves to the older', async () => {
    pr = 502;
    // linux's POST waits until macos has created its comment.
    const hold = holdOnce(
      (method, path, body) => method === 'POST' && path.endsWith(`/issues/${pr}/comments`) && body.includes('linux'),
    );
    const linux = upsertSection(args('linux', 'L', 300));
    await hold.held;
    const macos = upsertSection(args('macos', 'M', 300));
    for (let i = 0; i < 500 && fake.commentsOn(pr).length === 0; i++) await new Promise((done) => setTimeout(done, 20));
    assert.equal(fake.commentsOn(pr).length, 1, 'macos created first');
    hold.release();
    await Promise.all([linux, macos]);
    fake.gate = null;
    assert.deepEqual(sectionsOn(pr), [['linux', 'macos']]);
  });

  it('both read the same body and write at once: the job whose section was dropped writes it again', async () => {
    pr = 503;
    await upsertSection(args('arm', 'A'));
    // linux's PATCH (made from the body it read) lands after macos's PATCH and drops macos's section.
    const hold = holdOnce((method, _path, body) => method === 'PATCH' && body.includes('bench-action-suite:linux'));
    const linux = upsertSection(args('linux', 'L', 50));
    await hold.held;
    const macos = upsertSection(args('macos', 'M', 400));
    // Let macos read and write before linux's stale write goes through.
    for (let i = 0; i < 100 && !fake.commentsOn(pr)[0]?.body.includes('bench-action-suite:macos'); i++)
      await new Promise((done) => setTimeout(done, 20));
    hold.release();
    await Promise.all([linux, macos]);
    fake.gate = null;
    assert.deepEqual(sectionsOn(pr), [['arm', 'linux', 'macos']]);
  });

  it('never: nothing posted; on-change with no news and no comment: skipped', async () => {
    pr = 504;
    assert.equal((await upsertSection({ ...args('linux', 'L'), mode: 'never' })).action, 'skipped');
    assert.equal((await upsertSection({ ...args('linux', 'L'), mode: 'on-change', hasNews: false })).action, 'skipped');
    assert.equal(fake.commentsOn(pr).length, 0);
  });
});
