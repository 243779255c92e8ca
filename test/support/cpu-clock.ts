/**
 * Rust source for the test workspaces' benches (spin-workspace.ts,
 * bench-workspace.ts): `cpu_ns()`, the nanoseconds the calling thread has run
 * on a CPU. The tests check what bench-action decides about a known change;
 * on a loaded 2-core machine wall time measures the wait for a core (an
 * unchanged loop swung 1.9x between rounds, a 5x change read as 31x), the
 * thread's CPU time the work. Linux's CLOCK_THREAD_CPUTIME_ID is 3; std links
 * libc, so the bench needs no dependency.
 */
export const THREAD_CPU_CLOCK = `#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
}

/// Nanoseconds this thread has run on a CPU (CLOCK_THREAD_CPUTIME_ID, 3 on
/// Linux), so a test on a loaded machine measures the work, not the wait for a core.
fn cpu_ns() -> f64 {
    let mut t = Timespec { sec: 0, nsec: 0 };
    // SAFETY: clock_gettime writes one timespec, which \`t\` is.
    let rc = unsafe { clock_gettime(3, &mut t) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    t.sec as f64 * 1e9 + t.nsec as f64
}
`;
