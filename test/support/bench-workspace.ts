/**
 * A tiny Cargo workspace in a temporary git repository with several
 * benchmarks, for end-to-end tests of the confirmation round. Like
 * spin-workspace.ts it is built from cargo-repo.ts (no dependencies, the
 * thread's CPU time, Criterion's files under $CRITERION_HOME). It also does the two
 * things a confirmation round relies on: it honours a Criterion filter of the
 * form `^(id|id)$`, and BENCH_SLOWDOWN=1.5 makes every benchmark do 1.5x the
 * work, an artificially slowed runner.
 */
import { createTwoCommitRepo, SPIN_BENCH_SUPPORT, type TwoCommitRepo } from './cargo-repo.ts';

/** Benchmark name (under the group `work`) to spin steps per iteration. */
export type Workloads = Record<string, number>;

const BENCH = (workloads: Workloads) => `${SPIN_BENCH_SUPPORT}
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

fn main() {
    let home = std::env::var("CRITERION_HOME").expect("CRITERION_HOME");
    let slowdown: f64 = std::env::var("BENCH_SLOWDOWN").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let wanted = wanted();
    for (name, work) in [${Object.entries(workloads)
      .map(([name, work]) => `("${name}", ${work}u64)`)
      .join(', ')}] {
        if wanted.as_ref().map_or(true, |w| w.iter().any(|id| *id == format!("work/{name}"))) {
            let (iters, times) = spin_samples((work as f64 * slowdown) as u64, 50, 20);
            let median = write_criterion(&home, "work", name, &iters, &times);
            println!("work/{name}: {median:.0} ns");
        }
    }
}
`;

export type BenchRepo = TwoCommitRepo;

/** A repo whose base commit runs `base` and whose head commit runs `head` (same names). */
export function createBenchRepo(base: Workloads, head: Workloads): BenchRepo {
  return createTwoCommitRepo('work', BENCH(base), BENCH(head));
}
