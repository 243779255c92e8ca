/**
 * A tiny Cargo workspace in a temporary git repository, for tests of the code
 * that drives cargo (same-runner rounds). Its bench has no dependencies, so it
 * builds in seconds: it times a real loop (its thread's CPU time, cpu-clock.ts) and writes the files Criterion
 * writes (new/benchmark.json, estimates.json, sample.json) under
 * $CRITERION_HOME, which is all bench-action reads of a Criterion run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { THREAD_CPU_CLOCK } from './cpu-clock.ts';

const BENCH = (work: number) => `use std::hint::black_box;

${THREAD_CPU_CLOCK}

fn spin(n: u64) -> u64 {
    let mut x = 0u64;
    for i in 0..n {
        x = black_box(x.wrapping_mul(6364136223846793005).wrapping_add(i));
    }
    x
}

fn main() {
    let home = std::env::var("CRITERION_HOME").expect("CRITERION_HOME");
    let dir = format!("{home}/spin/loop/new");
    std::fs::create_dir_all(&dir).unwrap();
    let work: u64 = ${work};
    let iters_per_sample = 200u64;
    let mut iters = Vec::new();
    let mut times = Vec::new();
    for _ in 0..40 {
        let start = cpu_ns();
        for _ in 0..iters_per_sample {
            black_box(spin(black_box(work)));
        }
        iters.push(iters_per_sample as f64);
        times.push(cpu_ns() - start);
    }
    let per: Vec<f64> = times.iter().zip(&iters).map(|(t, i)| t / i).collect();
    let mut sorted = per.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = sorted[sorted.len() / 2];
    let mean = per.iter().sum::<f64>() / per.len() as f64;
    let est = |p: f64| format!("{{\\"confidence_interval\\":{{\\"confidence_level\\":0.95,\\"lower_bound\\":{p},\\"upper_bound\\":{p}}},\\"point_estimate\\":{p},\\"standard_error\\":0.0}}");
    std::fs::write(format!("{dir}/benchmark.json"), r#"{"group_id":"spin","function_id":"loop","value_str":null,"throughput":null,"full_id":"spin/loop","directory_name":"spin/loop","title":"spin/loop"}"#).unwrap();
    std::fs::write(format!("{dir}/estimates.json"), format!("{{\\"mean\\":{},\\"median\\":{},\\"median_abs_dev\\":{},\\"slope\\":null,\\"std_dev\\":{}}}", est(mean), est(median), est(0.0), est(0.0))).unwrap();
    let list = |v: &[f64]| v.iter().map(|x| format!("{x:.1}")).collect::<Vec<_>>().join(",");
    std::fs::write(format!("{dir}/sample.json"), format!("{{\\"sampling_mode\\":\\"Flat\\",\\"iters\\":[{}],\\"times\\":[{}]}}", list(&iters), list(&times))).unwrap();
}
`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd, encoding: 'utf8' }).trim();
}

export interface SpinRepo {
  root: string;
  nativeDir: string;
  baseSha: string;
  headSha: string;
}

/** A repo whose base commit spins `baseWork` steps per iteration and whose head spins `headWork`. */
export function createSpinRepo(baseWork: number, headWork: number): SpinRepo {
  const root = mkdtempSync(join(tmpdir(), 'bench-spin-'));
  const nativeDir = join(root, 'native');
  mkdirSync(join(nativeDir, 'spin', 'benches'), { recursive: true });
  mkdirSync(join(nativeDir, 'spin', 'src'), { recursive: true });
  writeFileSync(join(nativeDir, 'Cargo.toml'), '[workspace]\nresolver = "2"\nmembers = ["spin"]\n');
  writeFileSync(
    join(nativeDir, 'spin', 'Cargo.toml'),
    '[package]\nname = "spin"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\nbench = false\n\n[[bench]]\nname = "spin"\nharness = false\n',
  );
  writeFileSync(join(nativeDir, 'spin', 'src', 'lib.rs'), '');
  writeFileSync(join(root, '.gitignore'), 'target/\n');
  writeFileSync(join(nativeDir, 'spin', 'benches', 'spin.rs'), BENCH(baseWork));
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'base');
  const baseSha = git(root, 'rev-parse', 'HEAD');
  writeFileSync(join(nativeDir, 'spin', 'benches', 'spin.rs'), BENCH(headWork));
  git(root, 'commit', '-qam', 'head');
  return { root, nativeDir, baseSha, headSha: git(root, 'rev-parse', 'HEAD') };
}
