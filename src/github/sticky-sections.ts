/**
 * The sticky comment shared by a matrix of suites: each job writes its own
 * section (report/sections.ts) of the one comment. GitHub has no conditional
 * update for comments, so two jobs finishing together could each write what
 * they read and drop the other's section, or each create a comment. So every
 * write is read back after a pause: a section that is not there as written
 * is written again (re-reading first), and of two comments the older one is
 * kept and the newer one's author moves its section over and deletes it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GitHubError } from '../common/errors.ts';
import { composeSections, holdsSection } from '../report/sections.ts';
import { githubCall } from './client.ts';
import {
  resolveCommentAuthor,
  withMarker,
  type CommentTarget,
  type StickyResult,
  type UpsertArgs,
} from './sticky-comment.ts';

export interface SectionArgs extends UpsertArgs {
  suite: string;
  /** Writes before giving up (default 5). */
  attempts?: number;
  /** The pause before reading a write back, so a concurrent write has landed (default 1 to 3 s, random). */
  settle?: () => Promise<void>;
}

interface Ours {
  id: number;
  body: string;
}

/** Our comments carrying the marker, oldest first. */
async function ourComments(target: CommentTarget, marker: string, author: string): Promise<Ours[]> {
  const { octokit, owner, repo, issueNumber } = target;
  const comments = await githubCall(
    { what: `list the comments of PR #${issueNumber}`, permission: 'pull-requests: read' },
    () => octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 }),
  );
  const norm = (s: string): string => s.replace(/\[bot\]$/, '').toLowerCase();
  return comments
    .filter((c) => c.user?.login && norm(c.user.login) === norm(author) && c.body?.includes(marker))
    .map((c) => ({ id: c.id, body: c.body ?? '' }))
    .sort((a, b) => a.id - b.id);
}

export async function upsertSection(args: SectionArgs): Promise<StickyResult> {
  const { octokit, owner, repo, issueNumber, marker, suite } = args;
  if (args.mode === 'never') return { action: 'skipped', commentId: null };
  const author = args.author ?? (await resolveCommentAuthor(octokit));
  const settle = args.settle ?? (() => sleep(1000 + Math.random() * 2000));
  const write = { permission: 'pull-requests: write' };
  const tooLong = `The report of suite \`${suite}\` does not fit beside the other suites' in one comment; it is in the job summary.`;
  let action: StickyResult['action'] | null = null;
  for (let attempt = 1; attempt <= (args.attempts ?? 5); attempt++) {
    const [oldest] = await ourComments(args, marker, author);
    if (!oldest && args.mode === 'on-change' && !args.hasNews) return { action: 'skipped', commentId: null };
    const body = withMarker(composeSections(oldest?.body ?? null, suite, args.body, tooLong), marker);
    let id: number;
    if (oldest) {
      await githubCall({ ...write, what: `update comment ${oldest.id} on PR #${issueNumber}` }, () =>
        octokit.rest.issues.updateComment({ owner, repo, comment_id: oldest.id, body }),
      );
      id = oldest.id;
      action ??= 'updated';
    } else {
      const created = await githubCall({ ...write, what: `comment on PR #${issueNumber}` }, () =>
        octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body }),
      );
      id = created.data.id;
      action ??= 'created';
    }
    await settle();
    const now = await ourComments(args, marker, author);
    const kept = now[0];
    if (kept && kept.id !== id) {
      // Another job created the comment first: ours goes, and the next round writes into theirs.
      await githubCall({ ...write, what: `delete comment ${id} on PR #${issueNumber}` }, () =>
        octokit.rest.issues.deleteComment({ owner, repo, comment_id: id }),
      );
      action = 'updated';
      continue;
    }
    if (kept && holdsSection(kept.body, body, suite)) return { action, commentId: kept.id };
  }
  throw new GitHubError(
    `The section of suite '${suite}' in the comment on PR #${issueNumber} was overwritten by other jobs ${args.attempts ?? 5} times in a row; re-run this job`,
  );
}
