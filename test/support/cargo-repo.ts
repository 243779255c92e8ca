/**
 * What the test workspaces (spin-workspace.ts, bench-workspace.ts) share: a
 * one-crate Cargo workspace under native/ in a temporary git repository, whose
 * base and head commits differ only in the bench's source, and the Rust that
 * bench is made of. The bench has no dependencies, so it builds in seconds; it
 * times a loop by the thread's CPU time (cpu-clock.ts) and writes the files
 * Criterion writes (new/benchmark.json, estimates.json, sample.json) under
 * $CRITERION_HOME, which is all bench-action reads of a Criterion run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { THREAD_CPU_CLOCK } from './cpu-clock.ts';

/** git with a committer identity, which a fresh CI machine has not configured. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

/**
 * Rust for a bench's main(): `spin(n)`, `spin_samples(work, samples, iters_per_sample)`
 * (per-sample iteration counts and CPU times), and `write_criterion(home, group, name, iters, times)`,
 * which writes one benchmark's Criterion files and returns its median ns per iteration.
 */
export const SPIN_BENCH_SUPPORT = `use std::hint::black_box;

${THREAD_CPU_CLOCK}

fn spin(n: u64) -> u64 {
    let mut x = 0u64;
    for i in 0..n {
        x = black_box(x.wrapping_mul(6364136223846793005).wrapping_add(i));
    }
    x
}

fn spin_samples(work: u64, samples: usize, iters_per_sample: u64) -> (Vec<f64>, Vec<f64>) {
    let mut iters = Vec::new();
    let mut times = Vec::new();
    for _ in 0..samples {
        let start = cpu_ns();
        for _ in 0..iters_per_sample {
            black_box(spin(black_box(work)));
        }
        iters.push(iters_per_sample as f64);
        times.push(cpu_ns() - start);
    }
    (iters, times)
}

fn write_criterion(home: &str, group: &str, name: &str, iters: &[f64], times: &[f64]) -> f64 {
    let id = format!("{group}/{name}");
    let dir = format!("{home}/{id}/new");
    std::fs::create_dir_all(&dir).unwrap();
    let per: Vec<f64> = times.iter().zip(iters).map(|(t, i)| t / i).collect();
    let mut sorted = per.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = sorted[sorted.len() / 2];
    let mean = per.iter().sum::<f64>() / per.len() as f64;
    let est = |p: f64| format!("{{\\"confidence_interval\\":{{\\"confidence_level\\":0.95,\\"lower_bound\\":{p},\\"upper_bound\\":{p}}},\\"point_estimate\\":{p},\\"standard_error\\":0.0}}");
    std::fs::write(format!("{dir}/benchmark.json"), format!("{{\\"group_id\\":\\"{group}\\",\\"function_id\\":\\"{name}\\",\\"value_str\\":null,\\"throughput\\":null,\\"full_id\\":\\"{id}\\",\\"directory_name\\":\\"{id}\\",\\"title\\":\\"{id}\\"}}")).unwrap();
    std::fs::write(format!("{dir}/estimates.json"), format!("{{\\"mean\\":{},\\"median\\":{},\\"median_abs_dev\\":{},\\"slope\\":null,\\"std_dev\\":{}}}", est(mean), est(median), est(0.0), est(0.0))).unwrap();
    let list = |v: &[f64]| v.iter().map(|x| format!("{x:.1}")).collect::<Vec<_>>().join(",");
    std::fs::write(format!("{dir}/sample.json"), format!("{{\\"sampling_mode\\":\\"Flat\\",\\"iters\\":[{}],\\"times\\":[{}]}}", list(iters), list(times))).unwrap();
    median
}
`;

export interface TwoCommitRepo {
  root: string;
  nativeDir: string;
  baseSha: string;
  headSha: string;
  /** Checks out a commit of the repository (the base for a push run, the head for a pull request). */
  checkout(sha: string): void;
}

/** A repository whose crate `crate` runs the bench source `base` at the base commit and `head` at the head commit. */
export function createTwoCommitRepo(crate: string, base: string, head: string): TwoCommitRepo {
  const root = mkdtempSync(join(tmpdir(), `bench-${crate}-`));
  const nativeDir = join(root, 'native');
  mkdirSync(join(nativeDir, crate, 'benches'), { recursive: true });
  mkdirSync(join(nativeDir, crate, 'src'), { recursive: true });
  writeFileSync(join(nativeDir, 'Cargo.toml'), `[workspace]\nresolver = "2"\nmembers = ["${crate}"]\n`);
  writeFileSync(
    join(nativeDir, crate, 'Cargo.toml'),
    `[package]\nname = "${crate}"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\nbench = false\n\n[[bench]]\nname = "${crate}"\nharness = false\n`,
  );
  writeFileSync(join(nativeDir, crate, 'src', 'lib.rs'), '');
  writeFileSync(join(root, '.gitignore'), 'target/\n');
  const bench = join(nativeDir, crate, 'benches', `${crate}.rs`);
  writeFileSync(bench, base);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'base');
  const baseSha = git(root, 'rev-parse', 'HEAD');
  writeFileSync(bench, head);
  git(root, 'commit', '-qam', 'head');
  const headSha = git(root, 'rev-parse', 'HEAD');
  return { root, nativeDir, baseSha, headSha, checkout: (sha) => void git(root, 'checkout', '-q', sha) };
}
