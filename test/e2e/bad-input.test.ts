/**
 * Bad files given to the bundled action fail the step with one clean error,
 * never "crashed, which is a bug", and the claims and thresholds files are
 * checked before anything is built or benchmarked.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NODE24, REPO_ROOT, newWorkspace, runAction, type ActionRun } from '../support/action-runner.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { pushEvent } from '../support/github-events.ts';

const RUN_A_JSON = join(REPO_ROOT, 'fixtures', 'results', 'criterion-0.8-run-a.json');
const DEEP = '['.repeat(20_000);

function explain(run: ActionRun): string {
  return `exit ${run.code}\n--- stdout (tail)\n${run.stdout.slice(-3000)}\n--- stderr (tail)\n${run.stderr.slice(-1500)}`;
}

/** The step failed with exactly one error annotation, on one line, matching `detail`. */
function failedCleanly(run: ActionRun, detail: RegExp): void {
  assert.equal(run.code, 1, explain(run));
  assert.equal(run.errors.length, 1, explain(run));
  const [error = ''] = run.errors;
  assert.doesNotMatch(error, /crashed|bug|RangeError|EISDIR/, error);
  assert.ok(!error.includes('\n'), error);
  assert.match(error, detail);
}

describe('the action refuses bad files cleanly', { concurrency: true }, () => {
  let fake: FakeGitHub;
  before(async () => {
    assert.equal(NODE24.missing, null, NODE24.missing ?? '');
    fake = await FakeGitHub.start();
  });
  after(() => fake.close());

  async function act(
    workspace: string,
    inputs: Record<string, string>,
    env: Record<string, string> = {},
  ): Promise<ActionRun> {
    const run = fake.addRun({ headSha: 'a'.repeat(40) });
    return runAction({
      node: NODE24,
      env: { ...fake.env(run.id), ...env },
      event: pushEvent(fake, run.id),
      inputs: { 'github-token': fake.writeToken, 'upload-baseline': 'false', ...inputs },
      workspace,
    });
  }

  for (const [name, input] of [
    ['results', 'results'],
    ['claims', 'claims-file'],
    ['thresholds', 'thresholds-file'],
  ] as const) {
    it(`a ${name} file nested 20,000 deep`, async () => {
      const workspace = await newWorkspace();
      await writeFile(join(workspace, 'deep.json'), DEEP);
      const inputs =
        input === 'results'
          ? { mode: 'compare', results: 'deep.json' }
          : { mode: 'compare', results: RUN_A_JSON, [input]: 'deep.json' };
      failedCleanly(
        await act(workspace, inputs),
        /deep\.json: JSON nested deeper than 100 levels at line 1 column 101$/,
      );
    });
  }

  it('a report path that is a directory', async () => {
    const workspace = await newWorkspace();
    // compare mode writes bench-results.json and the reports beside it, in the runner's temp directory.
    await mkdir(join(workspace, 'bench-action', 'bench-results.report.json', 'inside'), { recursive: true });
    failedCleanly(
      await act(workspace, { mode: 'compare', results: RUN_A_JSON }, { RUNNER_TEMP: workspace }),
      /bench-results\.report\.json: cannot write: is a directory, not a file$/,
    );
  });

  for (const [name, input, text, detail] of [
    [
      'claims',
      'claims-file',
      '{"claims": [{"id": "x", "kind": "nope"}]}',
      /bad\.json: does not match the claims schema/,
    ],
    [
      'thresholds',
      'thresholds-file',
      '{"overrides": [{"pattern": "a/*", "threshold": "15%"}]}',
      /bad\.json: .*threshold/,
    ],
  ] as const) {
    it(`a bad ${name} file fails a full run before cargo builds or benchmarks anything`, async () => {
      const workspace = await newWorkspace();
      await writeFile(join(workspace, 'bad.json'), text);
      // A Cargo workspace that cannot build (its manifest names no target): the run stops at the file, not at cargo.
      await writeFile(join(workspace, 'Cargo.toml'), '[package]\nname = "never-built"\nversion = "0.1.0"\n');
      const result = await act(workspace, { [input]: 'bad.json' });
      failedCleanly(result, detail);
      assert.doesNotMatch(result.stdout, /cargo|toolchain|native-dir/i, explain(result));
    });
  }
});
