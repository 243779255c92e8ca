import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GitHubError, InputError } from '../../src/common/errors.ts';
import { BASELINE_ZIP_LIMITS } from '../../src/github/artifact-zip.ts';
import { baselineFiles, rollBaseline } from '../../src/github/baseline-layout.ts';
import { seriesFromRuns } from '../../src/history/series.ts';
import type { Octokit } from '../../src/github/client.ts';
import { withEnv } from '../support/env.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { resultsAt } from '../support/github-results.ts';

// Modules that load @actions/github are imported through FakeGitHub.startWith.
type BaselineModule = typeof import('../../src/github/baseline.ts');
type DownloadModule = typeof import('../../src/github/artifact-download.ts');

const sha = (n: number): string => n.toString(16).padStart(40, '0');

describe('baseline artifact', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;
  let mod: BaselineModule;
  let work: string;
  let download: DownloadModule['downloadArtifactTo'];
  before(async () => {
    ({ fake, loaded: mod } = await FakeGitHub.startWith(() => import('../../src/github/baseline.ts')));
    const { createClient } = await import('../../src/github/client.ts');
    download = (await import('../../src/github/artifact-download.ts')).downloadArtifactTo;
    octokit = createClient({ token: fake.writeToken, apiUrl: fake.url, retryDelayMs: 0 });
    work = await mkdtemp(join(tmpdir(), 'bench-action-baseline-'));
  });
  after(async () => {
    await fake.close();
    await rm(work, { recursive: true, force: true });
  });

  function seed(
    name: string,
    n: number,
    run: Parameters<FakeGitHub['addRun']>[0] extends infer R ? Partial<R> : never,
    expired = false,
  ) {
    const created = fake.addRun({ headSha: sha(n), status: 'completed', conclusion: 'success', ...run });
    return fake.addArtifact({
      runId: created.id,
      name,
      files: { 'results.json': '{}' },
      createdAt: `2026-11-${String(n).padStart(2, '0')}T00:00:00Z`,
      expired,
    });
  }
  const find = (artifactName: string, extra: { mergeBaseSha?: string; workflowId?: number | string } = {}) =>
    mod.findBaseline({ octokit, owner: fake.owner, repo: fake.repo, artifactName, baseBranch: 'main', ...extra });

  it('prefers the artifact built at the merge base, else the newest', async () => {
    const atMergeBase = seed('b-prefer', 1, {});
    const newest = seed('b-prefer', 2, {});
    const preferred = await find('b-prefer', { mergeBaseSha: sha(1) });
    assert.deepEqual(preferred, {
      artifactId: atMergeBase.id,
      runId: atMergeBase.runId,
      headSha: sha(1),
      createdAt: atMergeBase.createdAt,
    });
    assert.equal((await find('b-prefer'))?.artifactId, newest.id);
    assert.equal((await find('b-prefer', { mergeBaseSha: sha(9) }))?.artifactId, newest.id);
  });

  it('ignores failed and unfinished runs, other branches, pull-request and fork runs, and expired artifacts', async () => {
    const good = seed('b-filter', 1, {});
    seed('b-filter', 2, { conclusion: 'failure' });
    seed('b-filter', 3, { status: 'in_progress', conclusion: null });
    seed('b-filter', 4, { headBranch: 'develop' });
    seed('b-filter', 5, { event: 'pull_request', headBranch: 'main' });
    seed('b-filter', 6, { fromFork: true, headBranch: 'main' });
    seed('b-filter', 7, {}, true);
    assert.equal((await find('b-filter'))?.artifactId, good.id);
  });

  it('falls back to the newest good run when the merge-base run failed, and names the one it skipped', async () => {
    const failed = seed('b-fallback', 1, { conclusion: 'failure' });
    const good = seed('b-fallback', 2, {});
    const skipped: unknown[] = [];
    const found = await mod.findBaseline({
      octokit,
      owner: fake.owner,
      repo: fake.repo,
      artifactName: 'b-fallback',
      baseBranch: 'main',
      mergeBaseSha: sha(1),
      onSkip: (run) => skipped.push(run),
    });
    assert.equal(found?.artifactId, good.id);
    assert.deepEqual(skipped, [{ runId: failed.runId, headSha: sha(1), conclusion: 'failure', fromMergeBase: true }]);
  });

  it('filters by workflow id or file name when asked', async () => {
    const mine = seed('b-workflow', 1, { workflowId: 5, path: '.github/workflows/baseline.yml' });
    seed('b-workflow', 2, { workflowId: 6, path: '.github/workflows/other.yml' });
    assert.equal((await find('b-workflow', { workflowId: 5 }))?.artifactId, mine.id);
    assert.equal((await find('b-workflow', { workflowId: 'baseline.yml' }))?.artifactId, mine.id);
    assert.equal(await find('b-workflow', { workflowId: 'missing.yml' }), null);
  });

  it('returns null when there is no baseline yet', async () => {
    assert.equal(await find('b-none'), null);
  });

  it('finds the merge base through the compare API', async () => {
    fake.setMergeBase('main', sha(20), sha(19));
    assert.equal(await mod.findMergeBase(octokit, fake.owner, fake.repo, 'main', sha(20)), sha(19));
    await assert.rejects(mod.findMergeBase(octokit, fake.owner, fake.repo, 'main', sha(21)), (error: unknown) => {
      assert.ok(error instanceof GitHubError);
      assert.match(
        error.message,
        /^GitHub refused to compare main\.\.\.0+15 \(404\): main or 0+15 is unknown to GitHub; check base-branch/,
      );
      return true;
    });
  });

  it('round trip: a push run uploads with real @actions/artifact, a PR run finds and downloads it, the next push rolls history', async () => {
    const push1 = fake.addRun({ headSha: sha(31), event: 'push' });
    const first = rollBaseline(null, resultsAt(sha(31), '2026-11-20T10:00:00.000Z', 100), 30);
    const dir1 = join(work, 'push1');
    const files1 = await mod.writeBaselineDir(dir1, baselineFiles(first));
    const uploaded = await withEnv(fake.env(push1.id), () => mod.uploadBaseline('bench-baseline', files1, dir1, 30));
    assert.deepEqual(
      fake.artifactsOf(push1.id).map((a) => a.id),
      [uploaded.id],
    );
    // The blob went up as Put Block + Put Block List, as Azure's uploadStream does.
    assert.ok(fake.requests.some((r) => r.method === 'PUT' && r.path.includes('comp=block&')));
    assert.ok(fake.requests.some((r) => r.method === 'PUT' && r.path.includes('comp=blocklist')));
    fake.completeRun(push1.id, 'success');

    const pr = fake.addRun({ headSha: sha(32), event: 'pull_request', headBranch: 'feature', pullRequests: [7] });
    const found = await withEnv(fake.env(pr.id), () => find('bench-baseline', { mergeBaseSha: sha(31) }));
    assert.equal(found?.artifactId, uploaded.id);
    assert.equal(found?.runId, push1.id);
    const into = join(work, 'pr-download');
    await withEnv(fake.env(pr.id), () =>
      download({
        octokit,
        owner: fake.owner,
        repo: fake.repo,
        artifactId: uploaded.id,
        runId: push1.id,
        path: into,
        artifactName: 'bench-baseline',
        limits: BASELINE_ZIP_LIMITS,
      }),
    );
    const read = await mod.readBaselineDir(into);
    assert.deepEqual(read.contents, first);
    assert.deepEqual(read.skipped, []);

    const push2 = fake.addRun({ headSha: sha(33), event: 'push' });
    const second = rollBaseline(read.contents, resultsAt(sha(33), '2026-11-21T10:00:00.000Z', 90), 30);
    const dir2 = join(work, 'push2');
    const files2 = await mod.writeBaselineDir(dir2, baselineFiles(second));
    const next = await withEnv(fake.env(push2.id), () => mod.uploadBaseline('bench-baseline', files2, dir2));
    const inside = fake.artifactFiles(next.id);
    assert.deepEqual(Object.keys(inside).sort(), ['history/20261120T100000000Z-000000000000.json', 'results.json']);
    assert.equal(JSON.parse(inside['results.json'] ?? '').run.commit, sha(33));
    assert.equal(JSON.parse(inside['history/20261120T100000000Z-000000000000.json'] ?? '').run.commit, sha(31));
  });

  it('a damaged baseline names the file; a damaged history file is skipped', async () => {
    const dir = join(work, 'damaged');
    await mkdir(join(dir, 'history'), { recursive: true });
    await writeFile(join(dir, 'results.json'), JSON.stringify(resultsAt(sha(1), '2026-11-01T00:00:00Z')));
    await writeFile(join(dir, 'history', 'bad.json'), '{"schemaVersion": 1}');
    const read = await mod.readBaselineDir(dir);
    assert.deepEqual(read.skipped, ['history/bad.json']);
    await writeFile(join(dir, 'results.json'), 'not json');
    await assert.rejects(mod.readBaselineDir(dir), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /results\.json: is not readable JSON .*delete it and push to the base branch again$/);
      assert.ok(!error.message.includes('\n'));
      return true;
    });
    assert.equal(JSON.parse(await readFile(join(dir, 'history', 'bad.json'), 'utf8')).schemaVersion, 1);
  });

  it('reads the history newest first by when each run was measured, whatever the file names say', async () => {
    const dir = join(work, 'same-second');
    await mkdir(join(dir, 'history'), { recursive: true });
    await writeFile(join(dir, 'results.json'), JSON.stringify(resultsAt(sha(60), '2026-11-03T00:00:00Z')));
    // Names of older uploads end at the second: two pushes in one second sort by commit instead.
    await writeFile(
      join(dir, 'history', '20261102T000000Z-000000000000.json'),
      JSON.stringify(resultsAt(sha(61), '2026-11-02T00:00:00.900Z')),
    );
    await writeFile(
      join(dir, 'history', '20261102T000000Z-ffffffffffff.json'),
      JSON.stringify(resultsAt(sha(62), '2026-11-02T00:00:00.100Z')),
    );
    const read = await mod.readBaselineDir(dir);
    assert.deepEqual(
      read.contents.history.map((r) => r.run.commit),
      [sha(61), sha(62)],
    );
  });

  it('reads series.json beside the runs; a damaged one is skipped, not fatal', async () => {
    const dir = join(work, 'with-series');
    const runs = [resultsAt(sha(41), '2026-11-01T00:00:00Z', 100), resultsAt(sha(42), '2026-11-02T00:00:00Z', 101)];
    const contents = rollBaseline(rollBaseline(null, runs[0]!, 30), runs[1]!, 30);
    await mod.writeBaselineDir(dir, baselineFiles(contents, seriesFromRuns(runs)));
    const read = await mod.readBaselineDir(dir);
    assert.deepEqual(read.skipped, []);
    assert.deepEqual(
      read.series?.runs.map((r) => r.commit),
      [sha(41), sha(42)],
    );
    await writeFile(join(dir, 'series.json'), '{"seriesVersion": 1, "runs": [], "series": [{}]}');
    const damaged = await mod.readBaselineDir(dir);
    assert.equal(damaged.series, null);
    assert.deepEqual(damaged.skipped, ['series.json']);
    const old = join(work, 'without-series');
    await mod.writeBaselineDir(old, baselineFiles(contents));
    assert.equal((await mod.readBaselineDir(old)).series, null);
  });

  it('an API outage during download and a refused upload are one-line GitHubErrors', async () => {
    const run = fake.addRun({ headSha: sha(40) });
    const artifact = fake.addArtifact({ runId: run.id, name: 'b-outage', files: { 'results.json': '{}' } });
    fake.outage = { status: 503, scope: 'rest' };
    try {
      await assert.rejects(
        download({
          octokit,
          owner: fake.owner,
          repo: fake.repo,
          artifactId: artifact.id,
          runId: run.id,
          path: join(work, 'outage'),
          artifactName: 'b-outage',
          limits: BASELINE_ZIP_LIMITS,
        }),
        (error: unknown) => {
          assert.ok(error instanceof GitHubError);
          assert.match(
            error.message,
            new RegExp(
              `^GitHub failed to download artifact b-outage \\(id ${artifact.id}, run ${run.id}\\) \\(503\\): GitHub is having trouble`,
            ),
          );
          assert.ok(!error.message.includes('\n'));
          return true;
        },
      );
    } finally {
      fake.outage = null;
    }
    // The artifact service retries 5xx for half a minute; a 403 shows the wrapping without the wait.
    fake.outage = { status: 403, scope: 'artifacts' };
    try {
      const dir = join(work, 'refused');
      const files = await mod.writeBaselineDir(dir, [{ path: 'results.json', content: '{}' }]);
      await assert.rejects(
        withEnv(fake.env(run.id), () => mod.uploadBaseline('b-refused', files, dir)),
        (error: unknown) => {
          assert.ok(error instanceof GitHubError);
          assert.match(error.message, /^GitHub refused to upload artifact b-refused \(403\)/);
          assert.ok(!error.message.includes('\n'));
          return true;
        },
      );
    } finally {
      fake.outage = null;
    }
  });
});
