//! Which entry a full shard evicts, and what a read has to write to decide it.

/// The eviction policy of every shard. All keep the capacity a hard bound and the TTL
/// semantics exact; they differ in which live entry a full shard gives up and in what a hit
/// costs under concurrency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EvictionPolicy {
    /// Exact least-recently-used order within a shard: a hit relinks its entry at the head of
    /// the recency list, so every read takes the shard's lock exclusively.
    Lru,
    /// CLOCK (second chance): a hit only sets the entry's reference bit, under a shared
    /// read lock, so reads of one shard run in parallel and write nothing while the bit is
    /// already set. A full shard evicts the oldest entry whose bit is clear, clearing bits
    /// (and giving those entries another round) on the way. An approximation of LRU; see the
    /// README for its hit ratio beside exact LRU on Zipf-distributed keys.
    Clock,
    /// The default. S3-FIFO (Yang et al., SOSP 2023): new keys enter a small probationary FIFO
    /// queue (3% of a shard's capacity, at least one entry); one read there since insertion moves an entry to the main FIFO
    /// queue when it reaches the tail, otherwise it is evicted and its hash remembered in a
    /// ghost queue, so that a key coming back soon enters the main queue directly. The main
    /// queue gives an entry read since the last pass (a 2-bit frequency) another round.
    /// One-hit keys leave quickly, which is why it keeps more of a skewed workload than LRU;
    /// reads are as cheap as CLOCK's.
    #[default]
    S3Fifo,
}
