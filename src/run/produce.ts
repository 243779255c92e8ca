import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ActionConfig } from '../config/action-inputs.ts';
import { UsageError } from '../errors.ts';
import { loadResults } from '../load.ts';
import type { Log } from '../log.ts';
import { combineResults } from '../schema/merge.ts';
import type { Results, RunMeta } from '../schema/types.ts';
import { collectRunMeta } from './metadata.ts';
import { buildAndBench, runNodeBench } from './cargo.ts';
import { restoreCargoCache } from './cargo-cache.ts';
import { probe } from './exec.ts';
import { ensureToolchain, planToolchain } from './toolchain.ts';

export interface ProduceArgs {
  config: ActionConfig;
  workDir: string;
  overrides: Partial<RunMeta>;
  runId: number;
  /** A fresh directory for this run's raw output. */
  scratch: string;
}

/** cargo's target directory for the workspace, wherever CARGO_TARGET_DIR or config put it. */
async function targetDirectory(nativeDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const metadata = await probe('cargo', ['metadata', '--format-version', '1', '--no-deps'], nativeDir, env);
  if (metadata) {
    const parsed = JSON.parse(metadata) as { target_directory?: unknown };
    if (typeof parsed.target_directory === 'string') return parsed.target_directory;
  }
  return join(nativeDir, 'target');
}

/**
 * Full mode: toolchain, cargo cache, build, cargo bench, the Node suite; the
 * results of all of it in one document.
 */
export async function produceResults(args: ProduceArgs, log: Log): Promise<Results> {
  const { config, workDir, overrides, scratch } = args;
  const nativeDir = resolve(workDir, config.nativeDir);
  if (!existsSync(join(nativeDir, 'Cargo.toml'))) {
    throw new UsageError(`Input 'native-dir': no Cargo.toml in ${nativeDir}; point it at the Cargo workspace to benchmark.`);
  }
  const plan = planToolchain(config.toolchain, nativeDir, workDir, existsSync);
  const toolchain = await log.group(`Rust toolchain (${plan.kind === 'named' ? plan.name : plan.file})`, () => ensureToolchain(plan, nativeDir, log));
  await restoreCargoCache(nativeDir, await targetDirectory(nativeDir, toolchain.env), toolchain.label, log);

  const criterionHome = join(scratch, 'criterion');
  await buildAndBench({ nativeDir, env: toolchain.env, userArgs: config.cargoBenchArgs, quick: config.quick, criterionHome }, log);
  const versions = { ...(toolchain.rustc ? { rustc: toolchain.rustc } : {}), ...(toolchain.cargo ? { cargo: toolchain.cargo } : {}) };
  const parts = [{ origin: 'cargo bench', results: await loadResults(criterionHome, { ...overrides, versions }) }];

  if (config.nodeBenchCommand !== '') {
    const output = join(scratch, 'node-results.json');
    await runNodeBench({ command: config.nodeBenchCommand, cwd: workDir, env: toolchain.env, quick: config.quick, output }, log, existsSync);
    parts.push({ origin: `node-bench-command (${output})`, results: await loadResults(output, overrides) });
  }
  return combineResults(parts, () => collectRunMeta({ ...overrides, versions }));
}
