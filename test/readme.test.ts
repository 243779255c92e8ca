/**
 * The README is for the person adopting the action: its first screen says
 * what it does for them and shows a real comment, the workflow follows, and
 * every file it points to as evidence exists.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from './support/action-runner.ts';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const lines = README.split('\n');

describe('README', () => {
  it('opens for the adopter: what it does, the picture of a real comment, then the workflow', () => {
    const firstScreen = lines.slice(0, 12).join('\n');
    assert.match(firstScreen, /Benchmark regression checks on every pull request/);
    assert.match(firstScreen, /!\[[^\]]+\]\(docs\/comment\.png\)/);
    assert.doesNotMatch(firstScreen, /SARK|Redis|OPA/, "SARK's own suite is the showcase further down");
    const order = [
      '## What it does for you',
      '## Use it in a workflow',
      '## Languages',
      "## SARK's own suite: the showcase",
    ].map((heading) => README.indexOf(heading));
    assert.ok(
      order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] ?? 0))),
      String(order),
    );
    const workflow = /## Use it in a workflow\n\n```yaml\n([\s\S]*?)```/.exec(README)?.[1] ?? '';
    assert.ok(workflow.trim().split('\n').length <= 12, workflow);
  });

  it('the picture is a real, committed image with the run it was made from', () => {
    const png = readFileSync(join(REPO_ROOT, 'docs/comment.png'));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    const markdown = readFileSync(join(REPO_ROOT, 'docs/comment-example/comment.md'), 'utf8');
    assert.match(markdown, /❌ \*\*1 regression\*\* over the threshold 10% \(worst BenchmarkFib 2\.\d\dx slower\)/);
    for (const file of ['base.txt', 'head.txt', 'pr.diff', 'fib_test.go'])
      assert.ok(existsSync(join(REPO_ROOT, 'docs/comment-example', file)), file);
  });

  it("keeps the quick start's two commands and links docs/migrating.md", () => {
    assert.match(README, /^scripts\/run_benchmarks\.sh --quick /m);
    assert.match(README, /^scripts\/test\.sh /m);
    assert.match(README, /\(docs\/migrating\.md\)/);
  });

  it("warns JavaScript adopters of the JIT's run-to-run noise in the Languages section, with the remedies", () => {
    const start = README.indexOf('## Languages');
    const section = README.slice(start, README.indexOf('\n## ', start + 1));
    // What test/e2e/lang-javascript found: unchanged code's median moved 2x between pushes under the JIT.
    assert.match(section, /JavaScript: the JIT/);
    assert.match(section, /2x between two\s+pushes/);
    assert.match(section, /`node --jitless bench\.mjs`/);
    assert.match(section, /confirm-budget/);
  });

  it('every file it links to exists', () => {
    const links = [...README.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1] ?? '');
    const local = links.filter((link) => !/^https?:/.test(link));
    assert.ok(local.length > 20, String(local.length));
    for (const link of local) assert.ok(existsSync(join(REPO_ROOT, link)), `README links to ${link}, which is missing`);
  });
});
