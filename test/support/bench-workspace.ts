/**
 * A tiny Cargo workspace in a temporary git repository with several
 * benchmarks, for end-to-end tests of the confirmation round. Like
 * spin-workspace.ts it is built from cargo-repo.ts (no dependencies,
 * Criterion's files under $CRITERION_HOME). It also does the two things a
 * confirmation round relies on: it honours a Criterion filter (`^(id|id)$`
 * exactly, anything else as a substring) and refuses a second one as Criterion
 * 0.3 does.
 *
 * Its clock is a model, not a measurement: a benchmark of `work` steps reports
 * `work` ns per iteration, times BENCH_SLOWDOWN (1.5: an artificially slowed
 * runner), times exp(BENCH_JITTER z) drawn once per run of each benchmark (a
 * runner jittered on purpose), times exp(0.01 z) per sample. The round's
 * decisions then rest on the noise the test injects and nothing else. Timed
 * for real, even by the thread's CPU time, a loaded 2-core CI machine added a
 * pair-to-pair spread of 0.126 (log scale) to the injected 0.057, and a true
 * +20% read +19% [+9.6%, +29%] after the design's 20 pairs: undecided, the
 * test failed by chance. On real timings the round runs on real Criterion
 * crates for unchanged pull requests (test/run/confirm-criterion.test.ts,
 * test/e2e/confirmation-cost.test.ts; their costs in docs/verdicts.md); its
 * detection rates are simulations on the verdict corpus's measured noise. No
 * test shows it confirming a real slowdown on real timings.
 */
import { createTwoCommitRepo, SPIN_BENCH_SUPPORT, type TwoCommitRepo } from './cargo-repo.ts';

/** Benchmark name (under the group `work`) to spin steps per iteration. */
export type Workloads = Record<string, number>;

const BENCH = (
  workloads: Workloads,
) => `#![allow(dead_code)] // the spin loop and its CPU clock: this bench models its clock
${SPIN_BENCH_SUPPORT}
/// The benchmark filter, parsed as Criterion 0.3's clap does: options that take a value
/// skip it, and a second positional is refused, as Criterion refuses it.
fn filter() -> Option<String> {
    let mut args = std::env::args().skip(1);
    let mut filter: Option<String> = None;
    while let Some(arg) = args.next() {
        if arg == "--warm-up-time" || arg == "--measurement-time" || arg == "--sample-size" {
            args.next();
        } else if !arg.starts_with("-") {
            if filter.is_some() {
                eprintln!("error: Found argument '{arg}' which wasn't expected, or isn't valid in this context");
                std::process::exit(1);
            }
            filter = Some(arg);
        }
    }
    filter
}

/// Whether a filter selects an id: ^(a|b)$ names ids exactly, anything else is a substring (Criterion: a regex).
fn selects(filter: &Option<String>, id: &str) -> bool {
    match filter {
        None => true,
        Some(f) if f.starts_with("^(") && f.ends_with(")$") => {
            f[2..f.len() - 2].split('|').any(|name| name.replace('\\\\', "") == id)
        }
        Some(f) => id.contains(f.as_str()),
    }
}

/// A seeded xorshift generator of standard normal draws (seeded from the clock, the pid and a salt).
struct Normal(u64);

impl Normal {
    fn new(salt: u64) -> Normal {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
        let mut g = Normal(nanos ^ ((std::process::id() as u64) << 32) ^ salt.wrapping_mul(0x9E3779B97F4A7C15) | 1);
        for _ in 0..8 {
            g.uniform();
        }
        g
    }

    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn draw(&mut self) -> f64 {
        let (u1, u2) = (1.0 - self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// The modelled runner: 50 samples of 20 iterations, each iteration work ns times factor
/// (slowdown and this run's jitter) times a per-sample exp(0.01 z).
fn model_samples(work: u64, factor: f64, noise: &mut Normal) -> (Vec<f64>, Vec<f64>) {
    let iters_per_sample = 20.0;
    let mut iters = Vec::new();
    let mut times = Vec::new();
    for _ in 0..50 {
        iters.push(iters_per_sample);
        times.push(work as f64 * factor * iters_per_sample * (0.01 * noise.draw()).exp());
    }
    (iters, times)
}

fn main() {
    let home = std::env::var("CRITERION_HOME").expect("CRITERION_HOME");
    let slowdown: f64 = std::env::var("BENCH_SLOWDOWN").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let jitter: f64 = std::env::var("BENCH_JITTER").ok().and_then(|s| s.parse().ok()).unwrap_or(0.0);
    let filter = filter();
    for (salt, (name, work)) in [${Object.entries(workloads)
      .map(([name, work]) => `("${name}", ${work}u64)`)
      .join(', ')}].into_iter().enumerate() {
        if selects(&filter, &format!("work/{name}")) {
            let mut noise = Normal::new(salt as u64 + 1);
            let factor = slowdown * (jitter * noise.draw()).exp();
            let (iters, times) = model_samples(work, factor, &mut noise);
            let median = write_criterion(&home, "work", name, &iters, &times);
            println!("work/{name}: {median:.0} ns");
        }
    }
}
`;

export type BenchRepo = TwoCommitRepo;

/**
 * A repo whose base commit runs `base` and whose head commit runs `head` (same names); the same workloads make an
 * unchanged pull request (a comment differs).
 */
export function createBenchRepo(base: Workloads, head: Workloads): BenchRepo {
  return createTwoCommitRepo('work', BENCH(base), `${BENCH(head)}// head\n`);
}
