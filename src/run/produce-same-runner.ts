/**
 * Full mode with compare-mode same-runner: the base commit measured here
 * too, interleaved with the head: the Cargo workspace's Criterion benches
 * (run/same-runner.ts) and the `run` command (run/command-rounds.ts), each
 * where the plan has one. The Node suite runs on the head only (its pairs and
 * claims describe the head).
 */
import type { Log } from '../common/log.ts';
import { combineResults, type NamedResults } from '../schema/merge.ts';
import { join } from 'node:path';
import { commandSameRunner } from './command-rounds.ts';
import { runMetaOnce } from './metadata.ts';
import { findBenchTargets } from './bench-targets.ts';
import { countableCriterion, notCountedIn } from './instruction-pass.ts';
import { nodeBenchmarks, prepareRust, type ProduceArgs } from './produce.ts';
import { runSameRunner, type SameRunnerResult } from './same-runner.ts';

export async function produceSameRunner(
  args: ProduceArgs & { baseSha: string },
  log: Log,
): Promise<SameRunnerResult & { instructionsSkipped: string | null }> {
  const { build, scratch, baseSha } = args;
  const rust = build.cargoDir === null ? null : await prepareRust(build, log);
  const env = rust?.env ?? build.env;
  const meta = runMetaOnce({ ...build.meta, ...(rust ? { versions: rust.versions } : {}) });
  const measured: { origin: string; result: SameRunnerResult }[] = [];
  if (rust) {
    const { nativeDir, env } = rust;
    const cargo = { nativeDir, baseSha, env, scratch, meta, rounds: build.rounds, quick: build.quick };
    const result = await runSameRunner({ ...cargo, userArgs: build.cargoBenchArgs }, log);
    measured.push({ origin: 'cargo bench (same-runner rounds)', result });
  }
  if (build.command) {
    const run = { command: build.command, workDir: build.workDir, env, quick: build.quick, meta };
    const rounds = { build: run, baseSha, rounds: build.rounds, scratch: join(scratch, 'run-rounds') };
    const result = await commandSameRunner(rounds, log);
    measured.push({ origin: "the 'run' command (same-runner rounds)", result });
  }
  const side = (pick: (r: SameRunnerResult) => NamedResults['results']) =>
    measured.map(({ origin, result }) => ({ origin, results: pick(result) }));
  const baseMeta = () => ({ ...meta(), commit: baseSha, ref: null });
  const criterion = rust ? countableCriterion(await findBenchTargets(rust.nativeDir, rust.env)).length : 0;
  const instructionsSkipped = rust ? notCountedIn('compare-mode same-runner', build.instructions, criterion) : null;
  return {
    instructionsSkipped,
    base: combineResults(
      side((r) => r.base),
      baseMeta,
    ),
    head: combineResults([...side((r) => r.head), ...(await nodeBenchmarks(args, env, log))], meta),
    noise: new Map(measured.flatMap(({ result }) => [...result.noise])),
    baseRuns: new Map(measured.flatMap(({ result }) => [...result.baseRuns])),
  };
}
