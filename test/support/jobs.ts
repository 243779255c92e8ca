/**
 * The action's jobs run in-process against the loopback fake of GitHub: a
 * plan from inputs and the fake's environment, a client of the fake, and a
 * recording log and outputs writer. Import the job modules through
 * FakeGitHub.startWith (they load @actions/github) and call `runJob` with them.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobRunner } from '../../src/action/job.ts';
import { planRun } from '../../src/action/plan.ts';
import { parseActionInputs } from '../../src/config/action-inputs.ts';
import { createClient } from '../../src/github/client.ts';
import { readRunContext, type RunContext } from '../../src/github/context.ts';
import { withEnv } from './env.ts';
import type { FakeGitHub } from './fake-github.ts';
import { recordingLog } from './log.ts';
import { recordingOutputs } from './outputs.ts';

export interface JobResult {
  error: unknown;
  log: ReturnType<typeof recordingLog>;
  outputs: ReturnType<typeof recordingOutputs>;
}

/** Runs `job` as the action would in the fake's run `runId` with `inputs`; returns what it threw, logged and output. */
export async function runJob(
  fake: FakeGitHub,
  job: JobRunner,
  args: { runId: number; inputs: Record<string, string>; payload: unknown; token?: string },
): Promise<JobResult> {
  const temp = await mkdtemp(join(tmpdir(), 'bench-job-'));
  const env = { ...fake.env(args.runId), RUNNER_TEMP: temp };
  const token = args.token ?? fake.writeToken;
  const config = parseActionInputs((name) => ({ 'github-token': token, ...args.inputs })[name] ?? '');
  const planFor = (context: RunContext) => planRun({ config, context, env, tmpdir: temp, exists: existsSync });
  const context = readRunContext(env, args.payload);
  const log = recordingLog();
  const outputs = recordingOutputs();
  const octokit = createClient({ token, apiUrl: fake.url, retryDelayMs: 0 });
  let error: unknown = null;
  await withEnv(env, async () => {
    try {
      await job({ plan: planFor(context), context, payload: args.payload, planFor }, { octokit, outputs, log });
    } catch (thrown) {
      error = thrown;
    }
  });
  return { error, log, outputs };
}
