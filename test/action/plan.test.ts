import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { planRun, type RunPlan } from '../../src/action/plan.ts';
import { UsageError } from '../../src/common/errors.ts';
import { parseActionInputs } from '../../src/config/action-inputs.ts';
import { readRunContext, type RunContext } from '../../src/github/context.ts';

const TOKEN = 'ghs_plan_test_token_123';
const repository = { full_name: 'sark/sark', default_branch: 'main' };

function contextOf(event: 'push' | 'pull_request' | 'workflow_run' | 'schedule', branch = 'main'): RunContext {
  const env = {
    GITHUB_REPOSITORY: 'sark/sark',
    GITHUB_EVENT_NAME: event,
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_REF: event === 'pull_request' ? 'refs/pull/7/merge' : `refs/heads/${branch}`,
    GITHUB_RUN_ID: '42',
  };
  const payload =
    event === 'pull_request'
      ? {
          repository,
          pull_request: {
            number: 7,
            base: { ref: 'release', sha: 'b'.repeat(40), repo: { full_name: 'sark/sark' } },
            head: { ref: 'feature', sha: 'c'.repeat(40), repo: { full_name: 'sark/sark' } },
          },
        }
      : { repository };
  return readRunContext(env, payload);
}

/** Every directory holds a Cargo.toml unless `exists` says otherwise. */
const everywhere = (path: string): boolean => path.endsWith('Cargo.toml');

function plan(
  inputs: Record<string, string>,
  context: RunContext = contextOf('push'),
  env: NodeJS.ProcessEnv = {},
  exists: (path: string) => boolean = everywhere,
): RunPlan {
  const config = parseActionInputs((name) => ({ 'github-token': TOKEN, ...inputs })[name] ?? '');
  return planRun({ config, context, env, tmpdir: '/tmp/os', exists });
}

test('the job: mode, with shard i/n a job of its own', () => {
  assert.equal(plan({}).job, 'full');
  assert.equal(plan({ shard: '2/3' }).job, 'shard');
  assert.deepEqual(plan({ shard: '2/3' }).measure.shard, { index: 2, count: 3 });
  assert.equal(plan({ mode: 'merge' }).job, 'merge');
  assert.equal(plan({ mode: 'compare', results: 'a.json' }).job, 'compare');
  assert.equal(plan({ mode: 'comment' }, contextOf('workflow_run')).job, 'comment');
});

test('an empty github-token is a usage error naming the input', () => {
  const config = parseActionInputs(() => '');
  assert.throws(
    () => planRun({ config, context: contextOf('push'), env: {}, tmpdir: '/tmp', exists: everywhere }),
    (error: unknown) => error instanceof UsageError && /'github-token' is empty/.test(error.message),
  );
});

test('fail-on-regression: unset, off on pushes and on elsewhere, with the event named; set, as set', () => {
  assert.deepEqual([plan({}).publish.failOnRegression, plan({}).publish.failOnRegressionDefaultFor], [false, 'push']);
  const pr = plan({}, contextOf('pull_request')).publish;
  assert.deepEqual([pr.failOnRegression, pr.failOnRegressionDefaultFor], [true, 'pull_request']);
  const set = plan({ 'fail-on-regression': 'true' }).publish;
  assert.deepEqual([set.failOnRegression, set.failOnRegressionDefaultFor], [true, null]);
  const off = plan({ 'fail-on-regression': 'false' }, contextOf('pull_request')).publish;
  assert.deepEqual([off.failOnRegression, off.failOnRegressionDefaultFor], [false, null]);
});

test('the baseline is uploaded from a push to the default branch, never from a pull request', () => {
  assert.equal(plan({}).baseline.upload, true);
  assert.equal(plan({}, contextOf('push', 'dev')).baseline.upload, false);
  assert.equal(plan({ 'upload-baseline': 'true' }, contextOf('push', 'dev')).baseline.upload, true);
  assert.equal(plan({ 'upload-baseline': 'false' }).baseline.upload, false);
  assert.equal(plan({ 'upload-baseline': 'true' }, contextOf('pull_request')).baseline.upload, false);
});

test("the base branch: the input, else the pull request's base, else the default branch", () => {
  assert.equal(plan({}, contextOf('pull_request')).baseline.branch, 'release');
  assert.equal(plan({ 'base-branch': 'stable' }, contextOf('pull_request')).baseline.branch, 'stable');
  assert.equal(plan({}, contextOf('push', 'dev')).baseline.branch, 'main');
  const nowhere = readRunContext({ GITHUB_REPOSITORY: 'sark/sark', GITHUB_EVENT_NAME: 'schedule' }, {});
  const none = plan({}, nowhere).baseline;
  assert.deepEqual([none.branch, none.branchLabel], [null, 'the base branch']);
});

test('a suite names its own baseline and dashboard artifacts', () => {
  const { baseline, publish } = plan({ suite: 'linux' });
  assert.deepEqual(
    [baseline.artifact, baseline.dashboardArtifact, publish.suite],
    ['bench-baseline-linux', 'bench-dashboard-linux', 'linux'],
  );
});

test('same-runner measures the base on pull requests only, and says why not elsewhere', () => {
  const pr = plan({ 'compare-mode': 'same-runner' }, contextOf('pull_request')).measure;
  assert.deepEqual([pr.sameRunner, pr.sameRunnerSkipped], [true, null]);
  const push = plan({ 'compare-mode': 'same-runner' }).measure;
  assert.equal(push.sameRunner, false);
  assert.match(push.sameRunnerSkipped ?? '', /compares pull requests with their base/);
  assert.equal(plan({}, contextOf('pull_request')).measure.sameRunner, false);
});

test('the confirmation round: full mode against a baseline, on pull requests unless told', () => {
  const budget = (inputs: Record<string, string>, context: RunContext) =>
    plan(inputs, context).measure.confirmBudgetMinutes;
  assert.equal(budget({}, contextOf('pull_request')), 10);
  assert.equal(budget({}, contextOf('push')), null);
  assert.equal(budget({ confirm: 'true', 'confirm-budget': '4' }, contextOf('push')), 4);
  assert.equal(budget({ confirm: 'false' }, contextOf('pull_request')), null);
  assert.equal(budget({ 'compare-mode': 'same-runner' }, contextOf('pull_request')), null);
  assert.equal(budget({ mode: 'compare', results: 'a.json', confirm: 'true' }, contextOf('pull_request')), null);
});

test('the results file: the first results line in full mode, else under RUNNER_TEMP, never in the checkout', () => {
  assert.equal(
    plan({ 'working-directory': '/w', results: 'out/bench.json' }).resultsPath,
    resolve('/w', 'out/bench.json'),
  );
  assert.equal(
    plan({}, contextOf('push'), { RUNNER_TEMP: '/rt' }).resultsPath,
    join('/rt', 'bench-action', 'bench-results.json'),
  );
  assert.equal(plan({}).resultsPath, join('/tmp/os', 'bench-action', 'bench-results.json'));
  assert.equal(
    plan({ mode: 'compare', results: 'a.json' }, contextOf('push'), { RUNNER_TEMP: '/rt' }).resultsPath,
    join('/rt', 'bench-action', 'bench-results.json'),
  );
});

test('analysis sources: the threshold inputs, the controls, and the files resolved in the working directory', () => {
  const { analysis } = plan({
    'working-directory': '/w',
    threshold: '7',
    'instructions-threshold': '2',
    controls: 'ctl/*\n# a comment\nnoop',
    'thresholds-file': 'bench.thresholds.json',
    'claims-file': '/abs/claims.json',
  });
  assert.deepEqual(analysis, {
    threshold: 0.07,
    instructionsThreshold: 0.02,
    controls: ['ctl/*', 'noop'],
    thresholdsFile: resolve('/w', 'bench.thresholds.json'),
    claimsFile: '/abs/claims.json',
  });
  assert.deepEqual([plan({}).analysis.thresholdsFile, plan({}).analysis.claimsFile], [null, null]);
});

test('the build settings carry no token: the benchmarked code gets the runner env minus credentials', () => {
  const env = { PATH: '/bin', INPUT_GITHUB_TOKEN: TOKEN, COPY: TOKEN, ACTIONS_RUNTIME_TOKEN: 'runtime-token-xyz' };
  const { build } = plan({ 'cargo-bench-args': '--bench a', quick: 'true' }, contextOf('pull_request'), env);
  assert.deepEqual(build.env, { PATH: '/bin' });
  assert.ok(!JSON.stringify(build).includes(TOKEN));
  assert.deepEqual(build.cargoBenchArgs, ['--bench', 'a']);
  assert.equal(build.quick, true);
  assert.deepEqual(build.meta, { commit: 'c'.repeat(40), ref: 'refs/pull/7/merge' });
  const exposed = plan({ 'expose-token-to-benchmarks': 'true' }, contextOf('push'), env).build.env;
  assert.deepEqual(exposed, { PATH: '/bin', GITHUB_TOKEN: TOKEN });
});

test('GitHub settings: the API URL and deadline from the env, the run page on the server', () => {
  const { github } = plan({}, contextOf('push'), {
    GITHUB_API_URL: 'https://ghe.example/api/v3/',
    GITHUB_SERVER_URL: 'https://ghe.example',
    BENCH_ACTION_REQUEST_TIMEOUT: '5',
    GITHUB_EVENT_PATH: '/e.json',
  });
  assert.deepEqual(github, {
    token: TOKEN,
    apiUrl: 'https://ghe.example/api/v3',
    timeoutMs: 5000,
    runUrl: 'https://ghe.example/sark/sark/actions/runs/42',
    eventPath: '/e.json',
  });
  assert.equal(plan({}).github.runUrl, 'https://github.com/sark/sark/actions/runs/42');
});

test('Rust is prepared only where a Cargo workspace is to build: decided once, in the plan', () => {
  const files =
    (...paths: string[]) =>
    (path: string) =>
      paths.includes(path);
  const none = files();
  const w = { 'working-directory': '/w' };
  // Nothing but Rust to run: the workspace is required, and the message points at `run` for other languages.
  assert.throws(
    () => plan(w, contextOf('push'), {}, none),
    (e: unknown) => e instanceof UsageError && /^No Cargo workspace found: .*set 'run' to the command/.test(e.message),
  );
  // A JavaScript, Python or Go project: no Cargo.toml, so no Rust preparation at all.
  const js = plan({ ...w, run: 'node bench.mjs' }, contextOf('push'), {}, none).build;
  assert.equal(js.cargoDir, null);
  assert.deepEqual(js.command, { run: 'node bench.mjs', results: [] });
  assert.equal(plan({ ...w, 'node-bench-command': 'npm run bench' }, contextOf('push'), {}, none).build.cargoDir, null);
  // A workspace beside the command is benchmarked too; native/ first, as without `run`.
  const both = files('/w/native/Cargo.toml', '/w/Cargo.toml');
  assert.equal(plan({ ...w, run: 'go test -bench .' }, contextOf('push'), {}, both).build.cargoDir, '/w/native');
  assert.equal(plan({ ...w, run: 'x' }, contextOf('push'), {}, files('/w/Cargo.toml')).build.cargoDir, '/w');
  assert.equal(plan(w, contextOf('push'), {}, both).build.cargoDir, '/w/native');
  // native-dir named must exist, command or not.
  assert.throws(
    () => plan({ ...w, run: 'x', 'native-dir': 'crates' }, contextOf('push'), {}, none),
    /Input 'native-dir': no Cargo\.toml in \/w\/crates/,
  );
  // The jobs that measure nothing never look.
  assert.equal(plan({ ...w, mode: 'compare', results: 'a.json' }, contextOf('push'), {}, none).build.cargoDir, null);
  assert.equal(plan({ ...w, mode: 'merge' }, contextOf('push'), {}, none).build.cargoDir, null);
});

test('run-results: FORMAT: PATH lines, parsed once, misspelt formats and misplaced inputs named', () => {
  const { command } = plan({ run: 'go test -bench . | tee out.txt', 'run-results': 'go: out.txt\nb.json' }).build;
  assert.deepEqual(command?.results, [{ path: 'out.txt', format: 'go' }, { path: 'b.json' }]);
  assert.throws(
    () => plan({ run: 'x', 'run-results': 'gopher: out.txt' }),
    /^UsageError: Input 'run-results': 'gopher'/,
  );
  assert.throws(() => plan({ 'run-results': 'out.txt' }), /Input 'run-results' names what the 'run' command writes/);
  assert.throws(
    () => plan({ run: 'x', mode: 'compare', results: 'a.json' }),
    /Input 'run' runs benchmarks in mode: full/,
  );
  assert.throws(() => plan({ run: 'x', shard: '1/2' }), /cannot split a 'run' command/);
});
