/**
 * Releases (docs/releasing.md): the tag a release needs, the workflow that
 * moves the major tag and attaches the CLI tarball, and the README's way to
 * get the CLI, followed on a clean machine: a fresh npm prefix, an empty npm
 * cache, --offline (no registry), HOME elsewhere, run from outside the clone.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { releaseTags } from '../scripts/release-tags.ts';
import { REPO_ROOT } from './support/action-runner.ts';

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Workflow {
  on: { push: { tags: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Array<{ run?: string; uses?: string }> }>;
}

describe('releases', () => {
  it('a release tag is vX.Y.Z of package.json, and moves the major tag', () => {
    assert.deepEqual(releaseTags('v1.2.3', '1.2.3'), { ok: true, major: 'v1' });
    assert.deepEqual(releaseTags('v0.1.0', '0.1.0'), { ok: true, major: 'v0' });
    assert.equal(releaseTags('v1.2', '1.2.0').ok, false);
    assert.equal(releaseTags('v1.2.4', '1.2.3').ok, false);
    const refused = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/release-tags.ts', 'v9.9.9'], {
      encoding: 'utf8',
    });
    assert.equal(refused.status, 2);
    assert.equal(
      refused.stderr,
      `release-tags: tag 'v9.9.9' is not package.json's version ${VERSION}: bump it in a commit, then tag that commit\n`,
    );
  });

  it('the workflow runs on vX.Y.Z tags with contents: write only, checks, packs, proves the install, moves the major tag, attaches the tarball', () => {
    const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/release.yml'), 'utf8')) as Workflow;
    assert.deepEqual(workflow.on.push.tags, ['v[0-9]+.[0-9]+.[0-9]+']);
    assert.deepEqual(workflow.permissions, { contents: 'write' });
    const script = Object.values(workflow.jobs)
      .flatMap((job) => job.steps.map((step) => step.run ?? ''))
      .join('\n');
    for (const part of [
      'node --import tsx scripts/release-tags.ts "$GITHUB_REF_NAME"',
      'npm run check-dist',
      'node scripts/pack-cli.mjs',
      'npm install -g --offline --prefix "$prefix" "$tarball"',
      '--version)" = "${GITHUB_REF_NAME#v}"',
      'git tag --force "${{ steps.tags.outputs.major }}" "$GITHUB_SHA"',
      'git push --force origin "refs/tags/${{ steps.tags.outputs.major }}"',
      'gh release create "$GITHUB_REF_NAME" "${{ steps.pack.outputs.tarball }}"',
    ])
      assert.ok(script.includes(part), `the workflow runs ${part}`);
  });

  it(
    "the README's install route, on a clean machine, gives a bench-action whose --version is ours",
    { timeout: 180_000 },
    () => {
      const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
      const section = readme.slice(readme.indexOf('### Install the CLI'));
      const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
      const install = /^npm install -g (\S+)$/m.exec(block);
      assert.ok(install, `an npm install -g line in the README's install section:\n${block}`);
      assert.match(
        install[1] ?? '',
        /^https:\/\/github\.com\/sark\/bench-action\/releases\/download\/v\d+\.\d+\.\d+\/bench-action-\d+\.\d+\.\d+\.tgz$/,
      );
      assert.match(block, /^bench-action --version$/m);

      // What that URL serves is what the release workflow attaches: scripts/pack-cli.mjs's tarball.
      const work = mkdtempSync(join(tmpdir(), 'bench-release-'));
      const tarball = execFileSync(process.execPath, ['scripts/pack-cli.mjs', join(work, 'out')], {
        encoding: 'utf8',
      }).trim();
      assert.equal(tarball, join(work, 'out', `bench-action-${VERSION}.tgz`));
      const prefix = join(work, 'prefix');
      const clean = {
        PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`,
        HOME: join(work, 'home'),
        npm_config_cache: join(work, 'cache'),
      };
      const installed = spawnSync('npm', ['install', '-g', '--offline', '--prefix', prefix, tarball], {
        cwd: work,
        env: clean,
        encoding: 'utf8',
      });
      assert.equal(installed.status, 0, installed.stderr);
      const version = spawnSync('bench-action', ['--version'], { cwd: work, env: clean, encoding: 'utf8' });
      assert.equal(version.status, 0, version.stderr);
      assert.equal(version.stdout, `${VERSION}\n`);
      // Ours, and whole: it compares outside the clone with nothing but the tarball.
      const fixture = join(REPO_ROOT, 'fixtures/results/criterion-0.8-run-a.json');
      const compared = spawnSync('bench-action', ['compare', fixture, fixture], {
        cwd: work,
        env: clean,
        encoding: 'utf8',
      });
      assert.equal(compared.status, 0, compared.stderr);
      assert.match(compared.stdout, /✅ \*\*No regressions\*\* over the threshold 10% · 6 unchanged · 6 benchmarks/);
    },
  );
});
