/**
 * The example workflows are meant to be copied as they are: they must parse,
 * use only inputs action.yml declares, and ask for no more permission than
 * docs/github.md says each job needs.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseActionInputs } from '../../src/config/action-inputs.ts';
import { REPO_ROOT, actionMetadata } from '../support/action-runner.ts';

const DIR = join(REPO_ROOT, 'workflows-examples');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  'runs-on'?: unknown;
  steps?: Step[];
  permissions?: unknown;
  services?: Record<string, { image?: string }>;
}
interface Workflow {
  name?: string;
  on?: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs?: Record<string, Job>;
}

const workflows = new Map<string, Workflow>(
  readdirSync(DIR)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => [
      name,
      parse(readFileSync(join(DIR, name), 'utf8'), { strict: true, uniqueKeys: true }) as Workflow,
    ]),
);

/** What each example may ask for (docs/github.md, "Endpoints and the permission each needs"). */
const PERMISSIONS: Record<string, Record<string, string>> = {
  'bench-pr.yml': { contents: 'read', actions: 'read', 'pull-requests': 'write' },
  'bench-baseline.yml': { contents: 'read', actions: 'read' },
  'bench-pages.yml': { contents: 'read', actions: 'read', pages: 'write', 'id-token': 'write' },
  'bench-comment.yml': { contents: 'read', actions: 'read', 'pull-requests': 'write' },
  'sark.yml': { contents: 'read', actions: 'read', 'pull-requests': 'write' },
  'bench-sharded.yml': { contents: 'read', actions: 'read' },
  'bench-go.yml': { contents: 'read', actions: 'read', 'pull-requests': 'write' },
  'bench-javascript.yml': { contents: 'read', actions: 'read', 'pull-requests': 'write' },
  'bench-python.yml': { contents: 'read', actions: 'read', 'pull-requests': 'write' },
};

/** Jobs that need more than their workflow grants, and exactly what (the sharded merge job writes the comment). */
const JOB_PERMISSIONS: Record<string, Record<string, Record<string, string>>> = {
  'bench-sharded.yml': { merge: { contents: 'read', actions: 'read', 'pull-requests': 'write' } },
};

function steps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps ?? []);
}

function benchSteps(workflow: Workflow): Step[] {
  return steps(workflow).filter((step) => step.uses?.startsWith('sark/bench-action@'));
}

describe('workflows-examples', () => {
  it('holds the nine examples, each a complete workflow', () => {
    assert.deepEqual([...workflows.keys()], Object.keys(PERMISSIONS).sort());
    for (const [file, workflow] of workflows) {
      assert.ok(workflow.name && workflow.on && workflow.jobs, `${file}: name, on and jobs`);
      for (const [id, job] of Object.entries(workflow.jobs)) {
        assert.ok(job['runs-on'], `${file}: job ${id} has runs-on`);
        assert.ok((job.steps ?? []).length > 0, `${file}: job ${id} has steps`);
        assert.deepEqual(job.permissions, JOB_PERMISSIONS[file]?.[id], `${file}: job ${id}'s permissions`);
      }
      assert.equal(
        benchSteps(workflow).length,
        file === 'bench-sharded.yml' ? 2 : 1,
        `${file}: one bench-action step (a shard's and the merge's in the sharded one)`,
      );
    }
  });

  it('the Pages example publishes the dashboard with the official Pages actions, pushing nothing', () => {
    const pages = workflows.get('bench-pages.yml');
    assert.ok(pages?.jobs);
    const uses = steps(pages)
      .map((step) => step.uses?.split('@')[0])
      .filter(Boolean);
    assert.deepEqual(uses, [
      'actions/checkout',
      'sark/bench-action',
      'actions/upload-pages-artifact',
      'actions/deploy-pages',
    ]);
    assert.match(
      steps(pages)
        .map((step) => step.run ?? '')
        .join('\n'),
      /steps\.bench\.outputs\.dashboard-path/,
    );
    assert.ok(
      'dashboard-path' in (actionMetadata() as { outputs?: Record<string, unknown> }).outputs!,
      'action.yml declares the output',
    );
    assert.doesNotMatch(JSON.stringify(pages), /git push|gh-pages/);
  });

  it('ask for least privilege, and never run PR code with a write token', () => {
    for (const [file, workflow] of workflows) {
      assert.deepEqual(workflow.permissions, PERMISSIONS[file], `${file}: permissions`);
      assert.ok(
        !('pull_request_target' in (workflow.on ?? {})),
        `${file}: pull_request_target runs fork code with secrets`,
      );
    }
  });

  it('pass only inputs that action.yml declares, with valid values for the enumerated ones', () => {
    const inputs = actionMetadata().inputs;
    for (const [file, workflow] of workflows) {
      for (const step of benchSteps(workflow)) {
        for (const [key, value] of Object.entries(step.with ?? {})) {
          assert.ok(key in inputs, `${file}: input '${key}' is not in action.yml`);
          assert.equal(typeof value, 'string', `${file}: '${key}' is quoted (the runner passes strings)`);
        }
        // As the runner would pass them: defaults filled in; an expression
        // stands for a value of the input's own kind (its literal default).
        const given = step.with ?? {};
        const get = (name: string): string => {
          const fallback = inputs[name]?.default ?? '';
          const value = name in given ? String(given[name]) : fallback;
          return value.includes('${{') ? (fallback.includes('${{') ? 'placeholder' : fallback) : value;
        };
        assert.doesNotThrow(() => parseActionInputs(get), `${file}: the inputs validate`);
      }
    }
  });

  it('the pull-request and baseline workflows pair up; the comment workflow follows them without checking out', () => {
    const pr = workflows.get('bench-pr.yml');
    const baseline = workflows.get('bench-baseline.yml');
    const comment = workflows.get('bench-comment.yml');
    const sark = workflows.get('sark.yml');
    assert.ok(pr?.on && 'pull_request' in pr.on);
    // No branch named: the job runs on pushes to whatever the default branch is called.
    assert.ok(baseline?.on && 'push' in baseline.on);
    assert.equal((baseline.on['push'] as { branches?: string[] } | null)?.branches, undefined);
    assert.equal(
      Object.values(baseline.jobs ?? {})[0]?.if,
      'github.ref_name == github.event.repository.default_branch',
    );
    const trigger = comment?.on?.['workflow_run'] as { workflows?: string[]; types?: string[] } | undefined;
    assert.deepEqual(trigger?.types, ['completed']);
    assert.deepEqual(
      trigger?.workflows?.sort(),
      [
        pr.name,
        sark?.name,
        ...['bench-sharded.yml', 'bench-go.yml', 'bench-javascript.yml', 'bench-python.yml'].map(
          (file) => workflows.get(file)?.name,
        ),
      ].sort(),
      'follows every example that comments on PRs',
    );
    assert.ok(comment);
    assert.deepEqual(
      steps(comment).map((step) => step.uses?.split('@')[0]),
      ['sark/bench-action'],
      'no checkout, no other code',
    );
    assert.equal(benchSteps(comment)[0]?.with?.['mode'], 'comment');
  });

  it('the generic examples name no SARK path and no branch: they work for a crate at the root on master', () => {
    for (const file of ['bench-pr.yml', 'bench-baseline.yml', 'bench-comment.yml']) {
      const text = readFileSync(join(DIR, file), 'utf8').replace(/^\s*#.*$/gm, '');
      assert.ok(!/native/.test(text), `${file} mentions native/`);
      assert.ok(!/\bmain\b|\bmaster\b/.test(text), `${file} names a branch`);
      assert.ok(!/paths:/.test(text), `${file} filters paths`);
    }
  });

  it('the sharded example: a matrix of shard i/4 jobs, each shard once, and a merge job that needs them, runs after a failed shard and checks out nothing', () => {
    const sharded = workflows.get('bench-sharded.yml');
    assert.ok(sharded?.jobs);
    const shard = sharded.jobs['shard'] as Job & {
      strategy?: { 'fail-fast'?: boolean; matrix?: { shard?: string[] } };
    };
    const merge = sharded.jobs['merge'] as Job & { needs?: string };
    assert.deepEqual(shard.strategy?.matrix?.shard, ['1/4', '2/4', '3/4', '4/4']);
    assert.equal(shard.strategy?.['fail-fast'], false);
    assert.equal(benchSteps({ jobs: { shard } })[0]?.with?.['shard'], '${{ matrix.shard }}');
    assert.equal(merge.needs, 'shard');
    assert.match(merge.if ?? '', /^\$\{\{ !cancelled\(\) && /);
    assert.deepEqual(
      (merge.steps ?? []).map((step) => step.uses?.split('@')[0]).filter(Boolean),
      ['sark/bench-action'],
      'no checkout: the merge runs no PR code',
    );
    assert.equal(benchSteps({ jobs: { merge } })[0]?.with?.['mode'], 'merge');
  });

  it("SARK's own workflow runs Redis beside the Node suite and checks the claims", () => {
    const sark = workflows.get('sark.yml');
    assert.ok(sark?.jobs);
    const job = Object.values(sark.jobs)[0];
    assert.match(job?.services?.['redis']?.image ?? '', /^redis:/);
    const bench = benchSteps(sark)[0]?.with ?? {};
    assert.match(String(bench['node-bench-command']), /bench:node|run_node_bench\.sh/);
    assert.equal(bench['claims-file'], 'bench.claims.json');
  });

  it('the language examples run their benchmarks with `run:` on pushes and pull requests, with no Rust input', () => {
    for (const file of ['bench-go.yml', 'bench-javascript.yml', 'bench-python.yml']) {
      const workflow = workflows.get(file);
      assert.ok(workflow?.on && 'push' in workflow.on && 'pull_request' in workflow.on, file);
      const bench = benchSteps(workflow)[0]?.with ?? {};
      assert.ok(typeof bench['run'] === 'string' && bench['run'] !== '', `${file}: run`);
      for (const rust of ['native-dir', 'toolchain', 'cargo-bench-args'])
        assert.ok(!(rust in bench), `${file}: ${rust}`);
    }
  });
});
