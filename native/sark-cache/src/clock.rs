//! Time sources for expiry: the system's monotonic clock, or a manual one for tests.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A monotonic millisecond time source. Inject one with
/// [`CacheOptions::clock`](crate::CacheOptions::clock) to control expiry (e.g. [`ManualClock`] in tests).
pub trait Clock: Send + Sync {
    /// Milliseconds since an arbitrary, fixed origin; must never decrease.
    fn now_ms(&self) -> u64;
}

/// The default clock: milliseconds elapsed since its creation ([`Instant`]).
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    /// A clock whose origin is now.
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// A clock that only moves when told to; for tests and simulations.
#[derive(Debug, Default)]
pub struct ManualClock {
    now: AtomicU64,
}

impl ManualClock {
    /// A clock reading `start_ms`.
    pub fn new(start_ms: u64) -> Self {
        Self {
            now: AtomicU64::new(start_ms),
        }
    }

    /// Moves the clock forward by `by` (truncated to whole milliseconds).
    pub fn advance(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.advance_ms(ms);
    }

    /// Moves the clock forward by `ms` milliseconds.
    pub fn advance_ms(&self, ms: u64) {
        // A saturating add as a CAS loop: `fetch_update` is deprecated from Rust
        // 1.99 on, and its successor `try_update` does not exist before it.
        let mut current = self.now.load(Ordering::Relaxed);
        while let Err(actual) = self.now.compare_exchange_weak(
            current,
            current.saturating_add(ms),
            Ordering::Relaxed,
            Ordering::Relaxed,
        ) {
            current = actual;
        }
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> u64 {
        self.now.load(Ordering::Relaxed)
    }
}
