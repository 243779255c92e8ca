//! The sharded cache: picks a key's shard, locks it, and delegates to it.

use std::fmt;
use std::hash::BuildHasher;
use std::sync::Arc;
use std::time::Duration;

use foldhash::fast::SeedableRandomState;
use parking_lot::RwLock;

use crate::builder::CacheBuilder;
use crate::clock::Clock;
use crate::error::{ttl_to_ms, CacheError};
use crate::policy::EvictionPolicy;
use crate::shard::{Peek, Shard, NEVER};
use crate::stats::Stats;

/// Keeps each shard's lock and list heads on cache lines of their own, so
/// threads working on different shards do not invalidate each other's lines.
#[repr(align(128))]
pub(crate) struct Padded<T>(pub(crate) T);

/// A concurrent LRU cache with optional per-entry TTL. See the crate docs.
pub struct Cache<V = Vec<u8>> {
    pub(crate) shards: Box<[Padded<RwLock<Shard<V>>>]>,
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
        let builder = Cache::builder(capacity);
        match default_ttl {
            Some(ttl) => builder.default_ttl(ttl).build(),
            None => builder.build(),
        }
    }

    #[inline]
    fn locate(&self, key: &[u8]) -> (u64, &RwLock<Shard<V>>) {
        let hash = self.hasher.hash_one(key);
        // hashbrown uses the low bits (bucket) and the top 7 bits (tag);
        // picking the shard from the bits in between keeps them independent.
        let mid = u64::from((hash >> 25) as u32);
        let idx = ((mid * self.shards.len() as u64) >> 32) as usize;
        (hash, &self.shards[idx].0)
    }

    /// Calls `f` on the live value of `key` and returns its result, marking
    /// the entry most recently used. `None` if absent or expired.
    ///
    /// `f` runs while the key's shard is locked: keep it short and do not
    /// use the cache from inside it.
    pub fn get_with<R>(&self, key: impl AsRef<[u8]>, f: impl FnOnce(&V) -> R) -> Option<R> {
        let key = key.as_ref();
        let (hash, shard) = self.locate(key);
        if self.policy == EvictionPolicy::Clock {
            match shard.read().peek(hash, key, &*self.clock) {
                Peek::Hit(v) => return Some(f(v)),
                Peek::Miss => return None,
                // Removing it needs the exclusive lock; `get` re-checks, since another
                // thread may have replaced it meanwhile.
                Peek::Expired => {}
            }
        }
        let mut shard = shard.write();
        shard.get(hash, key, &*self.clock).map(f)
    }

    /// A clone of the live value of `key`, marking it most recently used.
    pub fn get(&self, key: impl AsRef<[u8]>) -> Option<V>
    where
        V: Clone,
    {
        self.get_with(key, V::clone)
    }

    /// Stores `value` under `key` as the most recently used entry, evicting
    /// the least recently used entry of the key's shard if it is full.
    /// `ttl` overrides the default TTL for this entry.
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
        let (hash, shard) = self.locate(key);
        let removed = shard.write().set(hash, key, value, expires, &*self.clock);
        // Dropped after the lock is released to keep the critical section short.
        drop(removed);
        Ok(())
    }

    /// Removes `key`; true if a live entry was removed.
    pub fn delete(&self, key: impl AsRef<[u8]>) -> bool {
        let key = key.as_ref();
        let (hash, shard) = self.locate(key);
        let (live, removed) = shard.write().delete(hash, key, &*self.clock);
        drop(removed);
        live
    }

    /// Removes every entry (statistics are kept).
    pub fn clear(&self) {
        for shard in self.shards.iter() {
            let old = shard.0.write().take_all();
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
        for shard in self.shards.iter() {
            let now = self.clock.now_ms();
            removed += shard.0.write().cleanup(now);
        }
        removed
    }

    /// Sum of all shards' counters.
    pub fn stats(&self) -> Stats {
        let mut total = Stats::default();
        for shard in self.shards.iter() {
            total.add(&shard.0.read().stats());
        }
        total
    }
}
