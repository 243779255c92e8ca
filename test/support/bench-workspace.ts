/**
 * A tiny Cargo workspace in a temporary git repository with several
 * benchmarks, for end-to-end tests of the confirmation round. Like
 * spin-workspace.ts its bench has no dependencies (it builds in seconds) and
 * writes the files Criterion writes under $CRITERION_HOME. It times the
 * thread's CPU time (not wall time): the tests check what the action decides,
 * and on a loaded 2-core machine wall time measures the wait for a core. It also does the two
 * things a confirmation round relies on: it honours a Criterion filter of the
 * form `^(id|id)$`, and BENCH_SLOWDOWN=1.5 makes every benchmark do 1.5x the
 * work, an artificially slowed runner.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { THREAD_CPU_CLOCK } from './cpu-clock.ts';

/** Benchmark name (under the group `work`) to spin steps per iteration. */
export type Workloads = Record<string, number>;

const BENCH = (workloads: Workloads) => `use std::hint::black_box;

fn spin(n: u64) -> u64 {
    let mut x = 0u64;
    for i in 0..n {
        x = black_box(x.wrapping_mul(6364136223846793005).wrapping_add(i));
    }
    x
}

/// The ids a filter \`^(a|b)$\` names, or None when there is no filter.
fn wanted() -> Option<Vec<String>> {
    let mut args = std::env::args().skip(1);
    let mut filter = None;
    while let Some(arg) = args.next() {
        if arg == "--warm-up-time" || arg == "--measurement-time" || arg == "--sample-size" {
            args.next();
        } else if !arg.starts_with("--") {
            filter = Some(arg);
        }
    }
    let f = filter?;
    let inner = f.trim_start_matches("^(").trim_end_matches(")$");
    Some(inner.split('|').map(|id| id.replace('\\\\', "")).collect())
}

${THREAD_CPU_CLOCK}
fn measure(home: &str, name: &str, work: u64) {
    let id = format!("work/{name}");
    let dir = format!("{home}/work/{name}/new");
    std::fs::create_dir_all(&dir).unwrap();
    let iters_per_sample = 20u64;
    let mut iters = Vec::new();
    let mut times = Vec::new();
    for _ in 0..50 {
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
    std::fs::write(format!("{dir}/benchmark.json"), format!("{{\\"group_id\\":\\"work\\",\\"function_id\\":\\"{name}\\",\\"value_str\\":null,\\"throughput\\":null,\\"full_id\\":\\"{id}\\",\\"directory_name\\":\\"work/{name}\\",\\"title\\":\\"{id}\\"}}")).unwrap();
    std::fs::write(format!("{dir}/estimates.json"), format!("{{\\"mean\\":{},\\"median\\":{},\\"median_abs_dev\\":{},\\"slope\\":null,\\"std_dev\\":{}}}", est(mean), est(median), est(0.0), est(0.0))).unwrap();
    let list = |v: &[f64]| v.iter().map(|x| format!("{x:.1}")).collect::<Vec<_>>().join(",");
    std::fs::write(format!("{dir}/sample.json"), format!("{{\\"sampling_mode\\":\\"Flat\\",\\"iters\\":[{}],\\"times\\":[{}]}}", list(&iters), list(&times))).unwrap();
    println!("{id}: {median:.0} ns");
}

fn main() {
    let home = std::env::var("CRITERION_HOME").expect("CRITERION_HOME");
    let slowdown: f64 = std::env::var("BENCH_SLOWDOWN").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let wanted = wanted();
    for (name, work) in [${Object.entries(workloads)
      .map(([name, work]) => `("${name}", ${work}u64)`)
      .join(', ')}] {
        if wanted.as_ref().map_or(true, |w| w.iter().any(|id| *id == format!("work/{name}"))) {
            measure(&home, name, (work as f64 * slowdown) as u64);
        }
    }
}
`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd, encoding: 'utf8' }).trim();
}

export interface BenchRepo {
  root: string;
  nativeDir: string;
  baseSha: string;
  headSha: string;
  /** Checks out a commit of the repository (the base for a push run, the head for a pull request). */
  checkout(sha: string): void;
}

/** A repo whose base commit runs `base` and whose head commit runs `head` (same names). */
export function createBenchRepo(base: Workloads, head: Workloads): BenchRepo {
  const root = mkdtempSync(join(tmpdir(), 'bench-work-'));
  const nativeDir = join(root, 'native');
  mkdirSync(join(nativeDir, 'work', 'benches'), { recursive: true });
  mkdirSync(join(nativeDir, 'work', 'src'), { recursive: true });
  writeFileSync(join(nativeDir, 'Cargo.toml'), '[workspace]\nresolver = "2"\nmembers = ["work"]\n');
  writeFileSync(
    join(nativeDir, 'work', 'Cargo.toml'),
    '[package]\nname = "work"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\nbench = false\n\n[[bench]]\nname = "work"\nharness = false\n',
  );
  writeFileSync(join(nativeDir, 'work', 'src', 'lib.rs'), '');
  writeFileSync(join(root, '.gitignore'), 'target/\n');
  writeFileSync(join(nativeDir, 'work', 'benches', 'work.rs'), BENCH(base));
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'base');
  const baseSha = git(root, 'rev-parse', 'HEAD');
  writeFileSync(join(nativeDir, 'work', 'benches', 'work.rs'), BENCH(head));
  git(root, 'commit', '-qam', 'head');
  const headSha = git(root, 'rev-parse', 'HEAD');
  return { root, nativeDir, baseSha, headSha, checkout: (sha) => void git(root, 'checkout', '-q', sha) };
}
