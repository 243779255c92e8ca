/**
 * What a confirmation round costs on an unchanged pull request of a warm
 * Criterion workspace: the fixture crate (Criterion 0.3.6, 0.5.1, or 0.3.0 with its substring filter) in a git
 * repository of two commits that differ in a README only, the head built as
 * the action's benchmark step leaves it, then the round's shell
 * (run/confirm.ts) with the real sequential design on its one benchmark until
 * the rule decides it or the budget runs out. The round runs after the head's
 * own run, so its seconds are the cost beyond it. For comparison, one
 * `cargo bench` of the head as the action's own run makes it.
 *
 *   node --import tsx evaluation/confirmation-cost.ts [criterion-0.3|criterion-0.5|criterion-0.3.0 ...]
 *   flock /work/team/timing.lock node --import tsx evaluation/confirmation-cost.ts   (for a figure in docs)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { confirmationState } from '../src/compare/confirm.ts';
import { confirmOnRunner } from '../src/run/confirm.ts';
import { runMetaOnce } from '../src/run/metadata.ts';
import { createCriterionRepo, criterionTarget } from '../test/support/criterion-workspace.ts';
import { recordingLog } from '../test/support/log.ts';

const FIXTURES = ['criterion-0.3', 'criterion-0.5', 'criterion-0.3.0'] as const;
type Fixture = (typeof FIXTURES)[number];
const ID = 'parse_digits/12';
const THRESHOLD = 0.1;
const BUDGET_MINUTES = 10;

const load = (): string => loadavg()[0]!.toFixed(1);
const pct = (x: number): string => `${x >= 1 ? '+' : ''}${((x - 1) * 100).toFixed(1)}%`;

function cargo(args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const run = spawnSync('cargo', args, { cwd, env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`cargo ${args.join(' ')} failed:\n${run.stderr.slice(-2000)}`);
  return (performance.now() - started) / 1000;
}

async function measure(fixture: Fixture): Promise<void> {
  const repo = createCriterionRepo('main', fixture);
  const env = { ...process.env, CARGO_TARGET_DIR: criterionTarget('confirmation-cost') };
  // Warm: the head's build, as the action's benchmark step leaves it (cold the first time only).
  cargo(['bench', '--no-run'], repo.root, env);
  const loadBefore = load();
  const headRun = cargo(['bench', '--bench', '*'], repo.root, {
    ...env,
    CRITERION_HOME: mkdtempSync(join(tmpdir(), 'cost-head-')),
  });
  const log = recordingLog();
  const measured = await confirmOnRunner(
    {
      nativeDir: repo.root,
      baseSha: repo.baseSha,
      candidates: [{ key: ID, id: ID, threshold: THRESHOLD, direction: 'lower' }],
      userArgs: [],
      env,
      scratch: mkdtempSync(join(tmpdir(), 'cost-scratch-')),
      meta: runMetaOnce({}),
      targetDir: env.CARGO_TARGET_DIR,
      budgetMs: BUDGET_MINUTES * 60_000,
    },
    log,
  );
  const pairs = measured.pairs.get(ID) ?? [];
  const state = confirmationState({ threshold: THRESHOLD, direction: 'lower' }, pairs);
  const ci = state.ci ? ` [${pct(state.ci.lower)}, ${pct(state.ci.upper)}]` : '';
  const perPair = pairs.length > 0 ? ((measured.seconds - measured.buildSeconds) / pairs.length).toFixed(1) : '–';
  console.log(
    `${fixture}: round ${measured.seconds.toFixed(1)} s (base build ${measured.buildSeconds.toFixed(1)} s, ${pairs.length} pairs at ${perPair} s each), ${state.outcome}${state.change === null ? '' : ` ${pct(state.change)}${ci}`}, ${measured.state}; the head's own cargo bench ${headRun.toFixed(1)} s; load ${loadBefore} before, ${load()} after`,
  );
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(FIXTURES as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`confirmation-cost: unknown fixture ${unknown.join(', ')}; choose from ${FIXTURES.join(', ')}`);
  process.exit(2);
}
for (const fixture of wanted.length > 0 ? (wanted as Fixture[]) : FIXTURES.slice(0, 2)) await measure(fixture);
