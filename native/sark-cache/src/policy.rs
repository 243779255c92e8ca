//! Which entry a full shard evicts, and what a read has to write to decide it.

/// The eviction policy of every shard. Both keep the capacity a hard bound and the TTL
/// semantics exact; they differ in which live entry a full shard gives up and in what a hit
/// costs under concurrency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EvictionPolicy {
    /// Exact least-recently-used order within a shard: a hit relinks its entry at the head of
    /// the recency list, so every read takes the shard's lock exclusively.
    #[default]
    Lru,
    /// CLOCK (second chance): a hit only sets the entry's reference bit, under a shared
    /// read lock, so reads of one shard run in parallel and write nothing while the bit is
    /// already set. A full shard evicts the oldest entry whose bit is clear, clearing bits
    /// (and giving those entries another round) on the way. An approximation of LRU; see the
    /// README for its hit ratio beside exact LRU on Zipf-distributed keys.
    Clock,
}
