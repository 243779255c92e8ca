//! Validated construction of a [`Cache`]: capacity, TTL, shard count, clock.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use foldhash::fast::SeedableRandomState;
use foldhash::SharedSeed;

use crate::cache::{Cache, Padded};
use crate::clock::{Clock, SystemClock};
use crate::error::{ttl_to_ms, CacheError};
use crate::policy::EvictionPolicy;
use crate::readers::{Reader, ShardLock};
use crate::shard::Shard;
use crate::MAX_CAPACITY;

/// Entries kept per shard at least when the shard count is chosen
/// automatically, so small caches keep a meaningful LRU order.
const MIN_ENTRIES_PER_AUTO_SHARD: usize = 64;

/// At most this many reader slots (128 bytes each) per cache: a writer checks every slot.
const MAX_READER_SLOTS: usize = 64;

/// Configures and builds a [`Cache`].
pub struct CacheBuilder {
    capacity: usize,
    default_ttl: Option<Duration>,
    shards: Option<usize>,
    clock: Option<Arc<dyn Clock>>,
    hash_seed: Option<u64>,
    policy: EvictionPolicy,
}

impl fmt::Debug for CacheBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CacheBuilder")
            .field("capacity", &self.capacity)
            .field("default_ttl", &self.default_ttl)
            .field("shards", &self.shards)
            .field("hash_seed", &self.hash_seed)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl CacheBuilder {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            default_ttl: None,
            shards: None,
            clock: None,
            hash_seed: None,
            policy: EvictionPolicy::default(),
        }
    }

    /// TTL applied by `set` calls that pass no TTL of their own.
    /// Without one, such entries never expire.
    pub fn default_ttl(mut self, ttl: Duration) -> Self {
        self.default_ttl = Some(ttl);
        self
    }

    /// Number of shards (clamped to the capacity so no shard is empty).
    /// Default: 8 × available cores rounded up to a power of two, between 16
    /// and 1024, but no more than one shard per 64 entries of capacity.
    pub fn shards(mut self, shards: usize) -> Self {
        self.shards = Some(shards);
        self
    }

    /// A fixed hash seed, so which shard and slot a key lands in is the same
    /// in every process: for benchmarks that count instructions. Default: a
    /// random seed per cache (keys chosen by a client cannot aim at one shard).
    pub fn hash_seed(mut self, seed: u64) -> Self {
        self.hash_seed = Some(seed);
        self
    }

    /// Time source for expiry. Default: [`SystemClock`].
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Eviction policy. Default: [`EvictionPolicy::S3Fifo`] (reads in parallel, the best hit
    /// ratio on skewed keys); [`EvictionPolicy::Lru`] for exact LRU order within a shard.
    pub fn policy(mut self, policy: EvictionPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Validates the settings and builds the cache.
    pub fn build<V>(self) -> Result<Cache<V>, CacheError> {
        if self.capacity == 0 || self.capacity > MAX_CAPACITY {
            return Err(CacheError::InvalidCapacity(self.capacity));
        }
        let default_ttl_ms = self.default_ttl.map(ttl_to_ms).transpose()?;
        let shard_count = match self.shards {
            Some(0) => return Err(CacheError::InvalidShardCount),
            Some(n) => n.min(self.capacity),
            None => {
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                let wanted = (cores * 8).next_power_of_two().clamp(16, 1024);
                wanted
                    .min(self.capacity / MIN_ENTRIES_PER_AUTO_SHARD)
                    .max(1)
            }
        };
        // Spread the capacity so the shard capacities sum to exactly the
        // total: that is what makes the capacity a hard bound.
        let base = self.capacity / shard_count;
        let extra = self.capacity % shard_count;
        let shards = (0..shard_count)
            .map(|i| {
                Padded(ShardLock::new(Shard::new(
                    base + usize::from(i < extra),
                    self.policy,
                )))
            })
            .collect();
        // Reader slots for the first threads to read (ids are reused as threads exit); later
        // threads read under the shards' shared locks. LRU reads write, so it has none.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let readers = match self.policy {
            EvictionPolicy::Lru => 0,
            _ => (cores * 2).clamp(4, MAX_READER_SLOTS),
        };
        let readers = (0..readers).map(|_| Reader::default()).collect();
        Ok(Cache {
            shards,
            readers,
            hasher: self
                .hash_seed
                .map_or_else(SeedableRandomState::random, |seed| {
                    SeedableRandomState::with_seed(seed, SharedSeed::global_fixed())
                }),
            policy: self.policy,
            default_ttl_ms,
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock::new())),
            capacity: self.capacity,
        })
    }
}
