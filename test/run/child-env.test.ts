import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchmarkEnv } from '../../src/run/child-env.ts';

// What a runner gives a node action, with the credentials it holds.
const RUNNER_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/bin',
  HOME: '/home/runner',
  CARGO_HOME: '/home/runner/.cargo',
  GITHUB_REPOSITORY: 'sark/sark',
  GITHUB_SHA: 'c'.repeat(40),
  RUNNER_TEMP: '/tmp/runner',
  'INPUT_GITHUB-TOKEN': 'ghs_secret_input_token',
  INPUT_MODE: 'full',
  ACTIONS_RUNTIME_TOKEN: 'eyJruntime.token.value',
  ACTIONS_RUNTIME_URL: 'https://pipelines.actions.example/',
  ACTIONS_RESULTS_URL: 'https://results.actions.example/',
  ACTIONS_CACHE_URL: 'https://cache.actions.example/',
  ACTIONS_CACHE_SERVICE_V2: 'True',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'eyJoidc.request.token',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.actions.example/',
  GITHUB_TOKEN: 'ghs_secret_input_token',
  GH_TOKEN: 'ghp_personal',
  MY_COPY: 'ghs_secret_input_token',
};

describe('the environment of benchmarked code', () => {
  it('keeps the runner variables and drops every credential, including a copy of the token under another name', () => {
    const env = benchmarkEnv(RUNNER_ENV, { token: 'ghs_secret_input_token', exposeToken: false });
    assert.deepEqual(Object.keys(env).sort(), [
      'CARGO_HOME',
      'GITHUB_REPOSITORY',
      'GITHUB_SHA',
      'HOME',
      'PATH',
      'RUNNER_TEMP',
    ]);
    const values = Object.values(env).join('\n');
    for (const secret of ['ghs_secret_input_token', 'eyJruntime', 'eyJoidc', 'ghp_personal'])
      assert.ok(!values.includes(secret), secret);
  });

  it('expose-token-to-benchmarks hands over the github-token as GITHUB_TOKEN, and nothing else', () => {
    const env = benchmarkEnv(RUNNER_ENV, { token: 'ghs_secret_input_token', exposeToken: true });
    assert.equal(env['GITHUB_TOKEN'], 'ghs_secret_input_token');
    for (const name of [
      'INPUT_GITHUB-TOKEN',
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_RESULTS_URL',
      'MY_COPY',
      'GH_TOKEN',
    ])
      assert.equal(env[name], undefined, name);
  });
});
