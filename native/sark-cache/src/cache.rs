//! The sharded cache: picks a key's shard, locks it, and delegates to it.

use std::fmt;
use std::hash::BuildHasher;
use std::sync::Arc;
use std::time::Duration;

use foldhash::fast::SeedableRandomState;

use crate::builder::CacheBuilder;
use crate::clock::Clock;
use crate::error::{ttl_to_ms, CacheError};
use crate::options::{self, CacheOptions};
use crate::policy::EvictionPolicy;
use crate::readers::{thread_id, Reader, ShardLock, WriteGuard};
use crate::shard::{Peek, Shard, NEVER};
use crate::stats::Stats;

/// Keeps each shard's lock and list heads on cache lines of their own, so
/// threads working on different shards do not invalidate each other's lines.
#[repr(align(128))]
pub(crate) struct Padded<T>(pub(crate) T);

/// A concurrent cache with optional per-entry TTL (S3-FIFO by default). See the crate docs.
pub struct Cache<V = Vec<u8>> {
    pub(crate) shards: Box<[Padded<ShardLock<Shard<V>>>]>,
    /// One slot per thread id below its length (empty under LRU, whose reads write).
    pub(crate) readers: Box<[Reader]>,
    pub(crate) hasher: SeedableRandomState,
    pub(crate) policy: EvictionPolicy,
    pub(crate) default_ttl_ms: Option<u64>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) capacity: usize,
}

impl<V> fmt::Debug for Cache<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cache")
            .field("capacity", &self.capacity)
            .field("shards", &self.shards.len())
            .field("default_ttl_ms", &self.default_ttl_ms)
            .finish_non_exhaustive()
    }
}

impl Cache {
    /// Starts a builder for a cache holding at most `capacity` entries.
    pub fn builder(capacity: usize) -> CacheBuilder {
        CacheBuilder::new(capacity)
    }
}

impl<V> Cache<V> {
    /// A cache of at most `capacity` entries whose entries expire after
    /// `default_ttl` unless `set` overrides it (`None`: no expiry).
    ///
    /// Errors: [`CacheError::InvalidCapacity`], [`CacheError::InvalidTtl`].
    pub fn new(capacity: usize, default_ttl: Option<Duration>) -> Result<Self, CacheError> {
        Self::with_options(CacheOptions {
            default_ttl,
            ..CacheOptions::new(capacity)
        })
    }

    /// A cache made from `options` (see [`CacheOptions`]).
    ///
    /// Errors: [`CacheError::InvalidCapacity`], [`CacheError::InvalidTtl`], [`CacheError::InvalidShardCount`].
    pub fn with_options(options: CacheOptions) -> Result<Self, CacheError> {
        options::build(options)
    }

    /// The key's hash and shard index (hashbrown uses the low bits for the bucket and the
    /// top 7 for the tag; the shard comes from the bits in between, keeping them independent).
    #[inline]
    fn locate(&self, key: &[u8]) -> (u64, usize) {
        let hash = self.hasher.hash_one(key);
        let mid = u64::from((hash >> 25) as u32);
        let idx = ((mid * self.shards.len() as u64) >> 32) as usize;
        (hash, idx)
    }

    /// Exclusive access to shard `idx`, with no announced reader left inside it.
    #[inline]
    fn write(&self, idx: usize) -> WriteGuard<'_, Shard<V>> {
        self.shards[idx].0.write(&self.readers, idx as u32 + 1)
    }

    /// Calls `f` on the live value of `key` and returns its result, marking the entry used
    /// (LRU: most recently used; CLOCK, S3-FIFO: its frequency). `None` if absent or expired.
    ///
    /// `f` runs while the key's shard is locked against writers: keep it short and do not
    /// use the cache from inside it (a write, or any call under LRU, waits for `f` itself to
    /// return: a deadlock). A read from inside it is memory-safe, but may deadlock too.
    pub fn get_with<R>(&self, key: impl AsRef<[u8]>, f: impl FnOnce(&V) -> R) -> Option<R> {
        let key = key.as_ref();
        let (hash, idx) = self.locate(key);
        if self.policy != EvictionPolicy::Lru {
            let lock = &self.shards[idx].0;
            let mut expired = false;
            if let Some(reader) = thread_id().and_then(|t| self.readers.get(t)) {
                // `None`: a writer holds the shard; wait for it under the shared lock below.
                if let Some(shard) = lock.read_announced(reader, idx as u32 + 1) {
                    match shard.peek(hash, key, &*self.clock) {
                        Peek::Hit(v) => {
                            reader.count(true);
                            return Some(f(v));
                        }
                        Peek::Miss => {
                            reader.count(false);
                            return None;
                        }
                        // Nested in this thread's own read of the shard: removing it would wait
                        // for that outer read, which waits for us. Absent now; removed later.
                        Peek::Expired if shard.nested() => {
                            reader.count(false);
                            return None;
                        }
                        Peek::Expired => expired = true,
                    }
                }
            }
            if !expired {
                let shard = lock.read();
                match shard.peek(hash, key, &*self.clock) {
                    Peek::Hit(v) => {
                        shard.count_shared(true);
                        return Some(f(v));
                    }
                    Peek::Miss => {
                        shard.count_shared(false);
                        return None;
                    }
                    Peek::Expired => {}
                }
            }
            // Expired: removing it needs the exclusive lock (`get` re-checks, since another
            // thread may have replaced it meanwhile).
        }
        let mut shard = self.write(idx);
        shard.get(hash, key, &*self.clock).map(f)
    }

    /// A clone of the live value of `key`, marking it used (as [`Cache::get_with`]).
    pub fn get(&self, key: impl AsRef<[u8]>) -> Option<V>
    where
        V: Clone,
    {
        self.get_with(key, V::clone)
    }

    /// Stores `value` under `key` (a new key enters S3-FIFO's small queue, or LRU's head;
    /// a present one counts as used), evicting one entry of the key's shard, chosen by the
    /// policy, if it is full. `ttl` overrides the default TTL for this entry.
    ///
    /// Errors: [`CacheError::InvalidTtl`] (nothing is stored).
    pub fn set(
        &self,
        key: impl AsRef<[u8]>,
        value: V,
        ttl: Option<Duration>,
    ) -> Result<(), CacheError> {
        let ttl_ms = match ttl {
            Some(t) => Some(ttl_to_ms(t)?),
            None => self.default_ttl_ms,
        };
        let expires = match ttl_ms {
            Some(ms) => self.clock.now_ms().saturating_add(ms).min(NEVER - 1),
            None => NEVER,
        };
        let key = key.as_ref();
        let (hash, idx) = self.locate(key);
        let removed = self.write(idx).set(hash, key, value, expires, &*self.clock);
        // Dropped after the lock is released to keep the critical section short.
        drop(removed);
        Ok(())
    }

    /// Removes `key`; true if a live entry was removed.
    pub fn delete(&self, key: impl AsRef<[u8]>) -> bool {
        let key = key.as_ref();
        let (hash, idx) = self.locate(key);
        let (live, removed) = self.write(idx).delete(hash, key, &*self.clock);
        drop(removed);
        live
    }

    /// Removes every entry (statistics are kept).
    pub fn clear(&self) {
        for idx in 0..self.shards.len() {
            let old = self.write(idx).take_all();
            drop(old);
        }
    }

    /// Entries stored, including expired ones not yet removed.
    /// O(shards); never more than [`Cache::capacity`].
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.0.read().len()).sum()
    }

    /// True if no entry is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The maximum number of entries.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The number of shards.
    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// Removes all expired entries and returns how many. This is the one
    /// operation that is not O(1): it sweeps every slot, one shard at a time.
    pub fn cleanup_expired(&self) -> usize {
        let mut removed = 0;
        for idx in 0..self.shards.len() {
            let now = self.clock.now_ms();
            removed += self.write(idx).cleanup(now);
        }
        removed
    }

    /// Sum of all shards' counters.
    pub fn stats(&self) -> Stats {
        let mut total = Stats::default();
        for shard in self.shards.iter() {
            total.add(&shard.0.read().stats());
        }
        for r in self.readers.iter() {
            total.hits += r.hits();
            total.misses += r.misses();
        }
        total
    }
}
