//! Work a routine hands to other threads. Callgrind's collection is switched per thread (the
//! client request turns it on for the calling thread only), so what other threads do inside the
//! measuring window goes uncounted and a slowdown there would pass. Around each window the
//! harness reads the process's and the calling thread's CPU clocks, and the number of threads:
//! CPU time spent by other threads while the window was open, or a thread started or ended in
//! it, means the count would miss work, and the benchmark gets no count (wall time decides it).
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

static OTHER_NS: AtomicU64 = AtomicU64::new(0);
static OWN_NS: AtomicU64 = AtomicU64::new(0);
static THREADS_CHANGED: AtomicBool = AtomicBool::new(false);

/// Other threads' CPU time below this (in ns) is noise: a woken thread going back to sleep.
const NOISE_NS: u64 = 50_000;
/// Other threads' CPU time above this share of the routine's own is work the count would miss.
const SHARE: f64 = 0.005;

/// The clocks at a window's opening.
#[derive(Clone, Copy)]
pub(crate) struct Mark {
    process: u64,
    thread: u64,
    threads: Option<usize>,
}

#[cfg(target_os = "linux")]
mod clock {
    use std::os::raw::{c_int, c_long};

    #[repr(C)]
    struct Timespec {
        tv_sec: c_long,
        tv_nsec: c_long,
    }

    extern "C" {
        fn clock_gettime(clock: c_int, ts: *mut Timespec) -> c_int;
    }

    pub(super) const PROCESS: c_int = 2; // CLOCK_PROCESS_CPUTIME_ID: every thread, ended ones too
    pub(super) const THREAD: c_int = 3; // CLOCK_THREAD_CPUTIME_ID

    pub(super) fn read(clock: c_int) -> u64 {
        let mut ts = Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid timespec for the call to fill.
        if unsafe { clock_gettime(clock, &mut ts) } != 0 {
            return 0;
        }
        (ts.tv_sec as u64)
            .saturating_mul(1_000_000_000)
            .saturating_add(ts.tv_nsec as u64)
    }

    pub(super) fn threads() -> Option<usize> {
        std::fs::read_dir("/proc/self/task").ok().map(|d| d.count())
    }
}

#[cfg(not(target_os = "linux"))]
mod clock {
    pub(super) const PROCESS: i32 = 0;
    pub(super) const THREAD: i32 = 0;
    pub(super) fn read(_: i32) -> u64 {
        0
    }
    pub(super) fn threads() -> Option<usize> {
        None
    }
}

/// Forgets what the previous benchmark's windows saw.
pub(crate) fn reset() {
    OTHER_NS.store(0, Ordering::SeqCst);
    OWN_NS.store(0, Ordering::SeqCst);
    THREADS_CHANGED.store(false, Ordering::SeqCst);
}

/// Read before the window opens (outside the count).
#[inline(always)]
pub(crate) fn mark() -> Mark {
    let threads = clock::threads();
    let thread = clock::read(clock::THREAD);
    let process = clock::read(clock::PROCESS);
    Mark {
        process,
        thread,
        threads,
    }
}

/// Read after the window closed: adds what other threads did while it was open.
#[inline(always)]
pub(crate) fn since(mark: Mark) {
    let process = clock::read(clock::PROCESS).saturating_sub(mark.process);
    let thread = clock::read(clock::THREAD).saturating_sub(mark.thread);
    if clock::threads() != mark.threads {
        THREADS_CHANGED.store(true, Ordering::SeqCst);
    }
    OWN_NS.fetch_add(thread, Ordering::SeqCst);
    OTHER_NS.fetch_add(process.saturating_sub(thread), Ordering::SeqCst);
}

/// Why the benchmark's count would miss work on other threads, or None.
pub(crate) fn verdict() -> Option<String> {
    let other = OTHER_NS.load(Ordering::SeqCst);
    let own = OWN_NS.load(Ordering::SeqCst);
    let changed = THREADS_CHANGED.load(Ordering::SeqCst);
    let busy = other >= NOISE_NS && other as f64 >= own as f64 * SHARE;
    if !changed && !busy {
        return None;
    }
    let what = if busy {
        format!(
            "{:.1} ms of CPU time on other threads against {:.1} ms on its own",
            other as f64 / 1e6,
            own as f64 / 1e6
        )
    } else {
        "a thread started or ended while it ran".to_string()
    };
    Some(format!(
        "the routine runs work on other threads ({what}), which Callgrind does not count here"
    ))
}
