/**
 * A tiny Cargo workspace in a temporary git repository, for tests of the code
 * that drives cargo (same-runner rounds, full mode): one benchmark, spin/loop,
 * spinning a known number of steps per iteration (cargo-repo.ts).
 */
import { createTwoCommitRepo, SPIN_BENCH_SUPPORT, type TwoCommitRepo } from './cargo-repo.ts';

const BENCH = (work: number) => `${SPIN_BENCH_SUPPORT}
fn main() {
    let home = std::env::var("CRITERION_HOME").expect("CRITERION_HOME");
    let (iters, times) = spin_samples(${work}, 40, 200);
    write_criterion(&home, "spin", "loop", &iters, &times);
}
`;

export type SpinRepo = TwoCommitRepo;

/** A repo whose base commit spins `baseWork` steps per iteration and whose head spins `headWork`. */
export function createSpinRepo(baseWork: number, headWork: number): SpinRepo {
  return createTwoCommitRepo('spin', BENCH(baseWork), BENCH(headWork));
}
