/**
 * A git repository whose root is a Criterion fixture crate (0.3.6 in
 * fixtures/workspaces/criterion-0.3 unless another is named), as a user's
 * checkout would be, with a second commit that changes no code. Each
 * test file's copies build into that file's own target directory
 * (criterionTarget), kept between runs, so Criterion and its dependencies
 * compile once per file, not once per test, and two files running at once
 * never share a cargo lock or Criterion's results.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './action-runner.ts';
import { git } from './cargo-repo.ts';

export const CRITERION_03_FIXTURE = join(REPO_ROOT, 'fixtures', 'workspaces', 'criterion-0.3');
/** The target directory of one test file's Criterion workspaces (`name`: the file's). */
export function criterionTarget(name: string): string {
  return join(REPO_ROOT, '.tools', 'e2e-target', name);
}

export interface CriterionRepo {
  root: string;
  baseSha: string;
  /** A second commit that changes no code (a README), for an unchanged pull request. */
  headSha: string;
}

export function createCriterionRepo(
  defaultBranch: string,
  fixture: 'criterion-0.3' | 'criterion-0.3.0' | 'criterion-0.5' = 'criterion-0.3',
  /** Changes to the copy before the first commit (a test's own variant of the fixture). */
  edit?: (root: string) => void,
): CriterionRepo {
  const root = mkdtempSync(join(tmpdir(), `bench-${fixture}-`));
  cpSync(join(REPO_ROOT, 'fixtures', 'workspaces', fixture), root, { recursive: true });
  edit?.(root);
  writeFileSync(join(root, '.gitignore'), 'target/\n');
  git(root, 'init', '-q', '-b', defaultBranch);
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'base');
  const baseSha = git(root, 'rev-parse', 'HEAD');
  writeFileSync(join(root, 'README.md'), 'Docs only: the code is unchanged.\n');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'docs');
  return { root, baseSha, headSha: git(root, 'rev-parse', 'HEAD') };
}
