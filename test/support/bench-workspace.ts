/**
 * A tiny Cargo workspace in a temporary git repository with several
 * benchmarks, for end-to-end tests of the confirmation round. Like
 * spin-workspace.ts it is built from cargo-repo.ts (no dependencies, the
 * thread's CPU time, Criterion's files under $CRITERION_HOME). It also does the two
 * things a confirmation round relies on: it honours a Criterion filter (`^(id|id)$`
 * exactly, anything else as a substring) and refuses a second one as Criterion
 * 0.3 does; BENCH_SLOWDOWN=1.5 makes every benchmark do 1.5x the work, an
 * artificially slowed runner, and BENCH_JITTER=0.05 multiplies each run's work
 * by a random exp(0.05 z), a runner jittered on purpose.
 */
import { createTwoCommitRepo, SPIN_BENCH_SUPPORT, type TwoCommitRepo } from './cargo-repo.ts';

/** Benchmark name (under the group `work`) to spin steps per iteration. */
export type Workloads = Record<string, number>;

const BENCH = (workloads: Workloads) => `${SPIN_BENCH_SUPPORT}
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

/// A runner that is jittered on purpose: each run of each benchmark does exp(jitter * z) times
/// its work, z standard normal (BENCH_JITTER, the sd of log; seeded from the clock and the pid).
fn jitter_factor(jitter: f64, salt: u64) -> f64 {
    if jitter <= 0.0 {
        return 1.0;
    }
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    let mut x = nanos ^ ((std::process::id() as u64) << 32) ^ salt.wrapping_mul(0x9E3779B97F4A7C15);
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    for _ in 0..8 {
        next();
    }
    let (u1, u2) = (1.0 - next(), next());
    let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
    (jitter * z).exp()
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
            let factor = slowdown * jitter_factor(jitter, salt as u64 + 1);
            let (iters, times) = spin_samples((work as f64 * factor) as u64, 50, 20);
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
