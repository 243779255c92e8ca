/**
 * One comment per PR and workflow/job, edited in place. The comment is found
 * by its hidden marker AND its author, so a human quoting the marker (or
 * another bot copying our output) never gets their comment overwritten.
 */
import { GitHubError } from '../common/errors.ts';
import { githubCall, type Octokit } from './client.ts';

export type CommentMode = 'always' | 'on-change' | 'never';

export interface StickyResult {
  /** noted: GitHub refused the report (422), so the old comment now says where the report is. */
  action: 'created' | 'updated' | 'skipped' | 'noted';
  commentId: number | null;
  /** Why the report itself was refused, when noted. */
  reason?: string;
}

/** The login GitHub shows on comments made with GITHUB_TOKEN. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

/**
 * Hidden marker for a workflow/job. HTML comments end at `--`, and `>` could
 * close it early in some renderers, so both are neutralised.
 */
export function stickyMarker(workflow: string, job: string): string {
  const clean = (s: string): string =>
    s
      .replace(/-{2,}/g, '-')
      .replace(/[<>\r\n]/g, ' ')
      .trim();
  return `<!-- bench-action:${clean(workflow)}/${clean(job)} -->`;
}

/** The body as posted: the marker on the first line, then the report. */
export function withMarker(body: string, marker: string): string {
  return body.includes(marker) ? body : `${marker}\n${body}`;
}

// Bots appear as `name[bot]` in REST and as `name` in GraphQL; compare without it.
function sameAuthor(a: string, b: string): boolean {
  const norm = (s: string): string => s.replace(/\[bot\]$/, '').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * Who this token comments as. GraphQL `viewer` answers for PATs, GITHUB_TOKEN
 * and app installation tokens alike (REST /user refuses integration tokens);
 * when GraphQL is unavailable, GITHUB_TOKEN's bot is the only sane guess.
 */
export async function resolveCommentAuthor(octokit: Octokit): Promise<string> {
  try {
    const data = await octokit.graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }');
    const login = data.viewer?.login;
    if (typeof login === 'string' && login.length > 0) return login;
  } catch {
    // fall through: the guess below is right for the default token
  }
  return ACTIONS_BOT_LOGIN;
}

export interface FoundComment {
  id: number;
  body: string;
}

export interface CommentTarget {
  octokit: Octokit;
  owner: string;
  repo: string;
  issueNumber: number;
}

/** Lists every comment on the PR (all pages) and returns ours, oldest first if several. */
export async function findStickyComment(
  target: CommentTarget & { marker: string; author: string },
): Promise<FoundComment | null> {
  const { octokit, owner, repo, issueNumber, marker, author } = target;
  const comments = await githubCall(
    { what: `list the comments of PR #${issueNumber}`, permission: 'pull-requests: read' },
    () => octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 }),
  );
  for (const comment of comments) {
    const login = comment.user?.login;
    if (login && sameAuthor(login, author) && comment.body?.includes(marker)) {
      return { id: comment.id, body: comment.body };
    }
  }
  return null;
}

export interface UpsertArgs extends CommentTarget {
  body: string;
  marker: string;
  mode: CommentMode;
  /** True when the report has something worth a new comment (regressions, improvements...). */
  hasNews: boolean;
  /** Skip author discovery (e.g. a PAT's login known to the caller). */
  author?: string;
  /**
   * Posted over our old comment when GitHub refuses the report (422, e.g.
   * too long), so a stale report never stays up saying the opposite.
   */
  staleNote?: string;
}

export async function upsertStickyComment(args: UpsertArgs): Promise<StickyResult> {
  const { octokit, owner, repo, issueNumber, marker, mode, hasNews } = args;
  if (mode === 'never') return { action: 'skipped', commentId: null };
  const author = args.author ?? (await resolveCommentAuthor(octokit));
  const existing = await findStickyComment({ octokit, owner, repo, issueNumber, marker, author });
  if (!existing && mode === 'on-change' && !hasNews) return { action: 'skipped', commentId: null };
  const body = withMarker(args.body, marker);
  // A refusal is a failure with advice on the permission: whether a token is
  // read-only is decided from the event (a fork's PR) before ever getting
  // here, never guessed from a status code, which a rate limit also returns.
  const operation = {
    what: existing ? `update comment ${existing.id} on PR #${issueNumber}` : `comment on PR #${issueNumber}`,
    permission: 'pull-requests: write',
  };
  if (existing) {
    try {
      await githubCall(operation, () =>
        octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body }),
      );
    } catch (error) {
      if (!(error instanceof GitHubError) || error.status !== 422 || args.staleNote === undefined) throw error;
      const note = withMarker(args.staleNote, marker);
      await githubCall({ ...operation, what: `replace comment ${existing.id} on PR #${issueNumber} with a note` }, () =>
        octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: note }),
      );
      return { action: 'noted', commentId: existing.id, reason: error.message };
    }
    return { action: 'updated', commentId: existing.id };
  }
  const created = await githubCall(operation, () =>
    octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body }),
  );
  return { action: 'created', commentId: created.data.id };
}
