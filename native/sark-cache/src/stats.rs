//! Hit, miss and churn counters, kept per shard and summed on demand.

/// Counters accumulated since the cache was built (not reset by `clear`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// `get` calls that found a live entry.
    pub hits: u64,
    /// `get` calls that found nothing or an expired entry.
    pub misses: u64,
    /// `set` calls that stored a key that was absent (or expired).
    pub inserts: u64,
    /// `set` calls that replaced the value of a live key.
    pub updates: u64,
    /// Live entries removed to make room for an insert.
    pub evictions: u64,
    /// Expired entries removed (on access, on eviction or by `cleanup_expired`).
    pub expirations: u64,
}

impl Stats {
    pub(crate) fn add(&mut self, o: &Stats) {
        self.hits += o.hits;
        self.misses += o.misses;
        self.inserts += o.inserts;
        self.updates += o.updates;
        self.evictions += o.evictions;
        self.expirations += o.expirations;
    }
}
