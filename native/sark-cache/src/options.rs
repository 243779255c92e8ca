//! How a [`Cache`] is made: a plain [`CacheOptions`] struct handed to [`Cache::with_options`], and the one
//! place that validates it and builds the shards, reader slots and hasher. [`CacheBuilder`](crate::CacheBuilder)
//! and [`Cache::new`] only fill in options.

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

/// Everything a [`Cache`] is made from. Start from [`CacheOptions::new`] (the defaults) and set fields:
///
/// ```
/// use sark_cache::{Cache, CacheOptions, EvictionPolicy};
///
/// let cache: Cache = Cache::with_options(CacheOptions {
///     shards: Some(1),
///     policy: EvictionPolicy::Lru,
///     ..CacheOptions::new(100)
/// })?;
/// assert_eq!(cache.capacity(), 100);
/// # Ok::<(), sark_cache::CacheError>(())
/// ```
#[derive(Clone)]
pub struct CacheOptions {
    /// At most this many entries (1 to [`MAX_CAPACITY`]).
    pub capacity: usize,
    /// TTL applied by `set` calls that pass no TTL of their own. `None`: such entries never expire.
    pub default_ttl: Option<Duration>,
    /// Number of shards (clamped to the capacity so no shard is empty). `None`: 8 × available cores
    /// rounded up to a power of two, between 16 and 1024, but no more than one shard per 64 entries.
    pub shards: Option<usize>,
    /// A fixed hash seed, so which shard and slot a key lands in is the same in every process: for
    /// benchmarks that count instructions. `None`: a random seed per cache (keys chosen by a client
    /// cannot aim at one shard).
    pub hash_seed: Option<u64>,
    /// Eviction policy: [`EvictionPolicy::S3Fifo`] by default (reads in parallel, the best hit ratio on
    /// skewed keys); [`EvictionPolicy::Lru`] for exact LRU order within a shard.
    pub policy: EvictionPolicy,
    /// Time source for expiry. `None`: [`SystemClock`].
    pub clock: Option<Arc<dyn Clock>>,
}

impl CacheOptions {
    /// The defaults for a cache of at most `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            default_ttl: None,
            shards: None,
            hash_seed: None,
            policy: EvictionPolicy::default(),
            clock: None,
        }
    }
}

impl fmt::Debug for CacheOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CacheOptions")
            .field("capacity", &self.capacity)
            .field("default_ttl", &self.default_ttl)
            .field("shards", &self.shards)
            .field("hash_seed", &self.hash_seed)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// Validates the options and builds the cache.
pub(crate) fn build<V>(options: CacheOptions) -> Result<Cache<V>, CacheError> {
    let capacity = options.capacity;
    if capacity == 0 || capacity > MAX_CAPACITY {
        return Err(CacheError::InvalidCapacity(capacity));
    }
    let default_ttl_ms = options.default_ttl.map(ttl_to_ms).transpose()?;
    let shard_count = match options.shards {
        Some(0) => return Err(CacheError::InvalidShardCount),
        Some(n) => n.min(capacity),
        None => {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            let wanted = (cores * 8).next_power_of_two().clamp(16, 1024);
            wanted.min(capacity / MIN_ENTRIES_PER_AUTO_SHARD).max(1)
        }
    };
    // Spread the capacity so the shard capacities sum to exactly the
    // total: that is what makes the capacity a hard bound.
    let base = capacity / shard_count;
    let extra = capacity % shard_count;
    let shards = (0..shard_count)
        .map(|i| {
            Padded(ShardLock::new(Shard::new(
                base + usize::from(i < extra),
                options.policy,
            )))
        })
        .collect();
    // Reader slots for the first threads to read (ids are reused as threads exit); later
    // threads read under the shards' shared locks. LRU reads write, so it has none.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let readers = match options.policy {
        EvictionPolicy::Lru => 0,
        _ => (cores * 2).clamp(4, MAX_READER_SLOTS),
    };
    let readers = (0..readers).map(|_| Reader::default()).collect();
    Ok(Cache {
        shards,
        readers,
        hasher: options
            .hash_seed
            .map_or_else(SeedableRandomState::random, |seed| {
                SeedableRandomState::with_seed(seed, SharedSeed::global_fixed())
            }),
        policy: options.policy,
        default_ttl_ms,
        clock: options
            .clock
            .unwrap_or_else(|| Arc::new(SystemClock::new())),
        capacity,
    })
}
