/**
 * The pull request's code never sees a token: the bundled action builds and
 * benchmarks a workspace whose build script (run by `cargo build`) and whose
 * node-bench-command dump their whole environment, and neither dump holds
 * the github-token, the runtime token or any variable naming them.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NODE20, REPO_ROOT, runAction, type ActionRun } from '../support/action-runner.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { pushEvent } from '../support/github-events.ts';
import { createSpinRepo, type SpinRepo } from '../support/spin-workspace.ts';

// A build script is the PR's code running inside `cargo build`.
const BUILD_RS = `fn main() {
    println!("cargo:rerun-if-env-changed=BENCH_ENV_DUMP");
    if let Ok(path) = std::env::var("BENCH_ENV_DUMP") {
        let vars: Vec<String> = std::env::vars().map(|(k, v)| format!("{k}={v}")).collect();
        std::fs::write(path, vars.join("\\n")).unwrap();
    }
}
`;

function explain(run: ActionRun): string {
  return `exit ${run.code}\n--- stdout (tail)\n${run.stdout.slice(-3000)}\n--- stderr (tail)\n${run.stderr.slice(-1500)}`;
}

describe('Node 20: benchmarked code runs without credentials', () => {
  let fake: FakeGitHub;
  let repo: SpinRepo;
  before(async () => {
    fake = await FakeGitHub.start();
    repo = createSpinRepo(2_000, 2_001);
    writeFileSync(join(repo.nativeDir, 'spin', 'build.rs'), BUILD_RS);
  });
  after(() => fake.close());

  it(
    'cargo build (a build script) and node-bench-command see no token, runtime token or OIDC variable',
    { timeout: 180_000 },
    async () => {
      const run = fake.addRun({ headSha: repo.headSha });
      const cargoDump = join(repo.root, 'cargo-env.txt');
      const nodeDump = join(repo.root, 'node-env.txt');
      const fixture = join(REPO_ROOT, 'fixtures', 'results', 'criterion-0.8-run-a.json');
      const env = fake.env(run.id, {
        BENCH_ENV_DUMP: cargoDump,
        GITHUB_TOKEN: fake.writeToken,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-value',
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/token',
        ACTIONS_CACHE_URL: `${fake.url}/cache/`,
      });
      const result = await runAction({
        node: NODE20,
        env,
        event: pushEvent(fake, run.id),
        inputs: {
          'github-token': fake.writeToken,
          'native-dir': 'native',
          'node-bench-command': `env > '${nodeDump}' && cp '${fixture}' "$BENCH_ACTION_OUTPUT"`,
          'upload-baseline': 'false',
        },
        workspace: repo.root,
        timeoutMs: 170_000,
      });
      assert.equal(result.code, 0, explain(result));
      const runtimeToken = env['ACTIONS_RUNTIME_TOKEN'] ?? '';
      for (const [what, dump] of [
        ['cargo build script', cargoDump],
        ['node-bench-command', nodeDump],
      ] as const) {
        const text = readFileSync(dump, 'utf8');
        assert.match(text, /^PATH=/m, `${what}: the dump is an environment`);
        for (const secret of [fake.writeToken, runtimeToken, 'oidc-request-token-value'])
          assert.ok(!text.includes(secret), `${what} saw a secret`);
        for (const name of [
          'INPUT_GITHUB-TOKEN',
          'GITHUB_TOKEN',
          'ACTIONS_RUNTIME_TOKEN',
          'ACTIONS_RESULTS_URL',
          'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
          'ACTIONS_ID_TOKEN_REQUEST_URL',
          'ACTIONS_CACHE_URL',
        ]) {
          assert.doesNotMatch(text, new RegExp(`^${name}=`, 'm'), `${what} saw ${name}`);
        }
        assert.match(text, /^GITHUB_REPOSITORY=sark\/sark$/m, `${what} keeps the ordinary runner variables`);
      }
    },
  );
});
