//! A sharded, thread-safe LRU cache with per-entry TTL where every keyed
//! operation is O(1).
//!
//! Keys are byte strings (`&[u8]`, `&str`, `Vec<u8>`… anything that is
//! `AsRef<[u8]>`); values are any `V: Send` (bytes by default). The cache is
//! `Send + Sync` and is meant to be shared behind an `Arc`.
//!
//! ```
//! use std::time::Duration;
//! use sark_cache::Cache;
//!
//! let cache: Cache = Cache::new(10_000, Some(Duration::from_secs(60)))?;
//! cache.set("user:1", b"alice".to_vec(), None)?;
//! assert_eq!(cache.get("user:1"), Some(b"alice".to_vec()));
//! // Borrow the value instead of cloning it (e.g. to copy it into a foreign buffer).
//! assert_eq!(cache.get_with("user:1", |v| v.len()), Some(5));
//! assert!(cache.delete("user:1"));
//! assert_eq!(cache.stats().hits, 2);
//! # Ok::<(), sark_cache::CacheError>(())
//! ```
//!
//! # Design
//! The key space is split over shards by hash. Each shard sits behind its own
//! mutex (on its own cache lines) and holds a hash table of slot indices into
//! a slab of nodes; the nodes form an intrusive doubly linked list in recency
//! order. A lookup is one probe, a hit relinks the node at the head, and an
//! insert into a full shard unlinks the tail: no operation scans. LRU order
//! is exact within a shard. Expiry is lazy (an expired entry is dropped when
//! it is reached) plus [`Cache::cleanup_expired`] for a full sweep.

use std::fmt;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hashbrown::{DefaultHashBuilder, HashTable};
use parking_lot::Mutex;

/// Largest accepted TTL in milliseconds (2^53 - 1, the largest integer a
/// JavaScript number holds exactly, so FFI callers can pass any valid value).
pub const MAX_TTL_MS: u64 = (1 << 53) - 1;

/// Largest accepted capacity: slots are addressed with `u32` indices.
pub const MAX_CAPACITY: usize = (u32::MAX - 1) as usize;

/// Entries kept per shard at least when the shard count is chosen
/// automatically, so small caches keep a meaningful LRU order.
const MIN_ENTRIES_PER_AUTO_SHARD: usize = 64;

const NIL: u32 = u32::MAX;
const NEVER: u64 = u64::MAX;

/// Errors caused by invalid arguments. The cache never panics on user input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CacheError {
    /// Capacity was 0 or larger than [`MAX_CAPACITY`].
    #[error("invalid capacity {0}: use a value between 1 and {MAX_CAPACITY}")]
    InvalidCapacity(usize),
    /// TTL was shorter than 1 ms or longer than [`MAX_TTL_MS`].
    #[error("invalid ttl {0:?}: use a value between 1 ms and {MAX_TTL_MS} ms")]
    InvalidTtl(Duration),
    /// Shard count was 0.
    #[error("invalid shard count 0: use at least 1")]
    InvalidShardCount,
}

/// A monotonic millisecond time source. Inject one with
/// [`CacheBuilder::clock`] to control expiry (e.g. [`ManualClock`] in tests).
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
    fn add(&mut self, o: &Stats) {
        self.hits += o.hits;
        self.misses += o.misses;
        self.inserts += o.inserts;
        self.updates += o.updates;
        self.evictions += o.evictions;
        self.expirations += o.expirations;
    }
}

/// Configures and builds a [`Cache`].
pub struct CacheBuilder {
    capacity: usize,
    default_ttl: Option<Duration>,
    shards: Option<usize>,
    clock: Option<Arc<dyn Clock>>,
}

impl fmt::Debug for CacheBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CacheBuilder")
            .field("capacity", &self.capacity)
            .field("default_ttl", &self.default_ttl)
            .field("shards", &self.shards)
            .finish_non_exhaustive()
    }
}

impl CacheBuilder {
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

    /// Time source for expiry. Default: [`SystemClock`].
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
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
            .map(|i| Padded(Mutex::new(Shard::new(base + usize::from(i < extra)))))
            .collect();
        Ok(Cache {
            shards,
            hasher: DefaultHashBuilder::default(),
            default_ttl_ms,
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock::new())),
            capacity: self.capacity,
        })
    }
}

fn ttl_to_ms(ttl: Duration) -> Result<u64, CacheError> {
    match u64::try_from(ttl.as_millis()) {
        Ok(ms) if (1..=MAX_TTL_MS).contains(&ms) => Ok(ms),
        _ => Err(CacheError::InvalidTtl(ttl)),
    }
}

/// Keeps each shard's lock and list heads on cache lines of their own, so
/// threads working on different shards do not invalidate each other's lines.
#[repr(align(128))]
struct Padded<T>(T);

/// A concurrent LRU cache with optional per-entry TTL. See the crate docs.
pub struct Cache<V = Vec<u8>> {
    shards: Box<[Padded<Mutex<Shard<V>>>]>,
    hasher: DefaultHashBuilder,
    default_ttl_ms: Option<u64>,
    clock: Arc<dyn Clock>,
    capacity: usize,
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
        CacheBuilder {
            capacity,
            default_ttl: None,
            shards: None,
            clock: None,
        }
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
    fn locate(&self, key: &[u8]) -> (u64, &Mutex<Shard<V>>) {
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
        let mut shard = shard.lock();
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
        let removed = shard.lock().set(hash, key, value, expires, &*self.clock);
        // Dropped after the lock is released to keep the critical section short.
        drop(removed);
        Ok(())
    }

    /// Removes `key`; true if a live entry was removed.
    pub fn delete(&self, key: impl AsRef<[u8]>) -> bool {
        let key = key.as_ref();
        let (hash, shard) = self.locate(key);
        let (live, removed) = shard.lock().delete(hash, key, &*self.clock);
        drop(removed);
        live
    }

    /// Removes every entry (statistics are kept).
    pub fn clear(&self) {
        for shard in self.shards.iter() {
            let old = shard.0.lock().take_all();
            drop(old);
        }
    }

    /// Entries stored, including expired ones not yet removed.
    /// O(shards); never more than [`Cache::capacity`].
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.0.lock().len).sum()
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
            removed += shard.0.lock().cleanup(now);
        }
        removed
    }

    /// Sum of all shards' counters.
    pub fn stats(&self) -> Stats {
        let mut total = Stats::default();
        for shard in self.shards.iter() {
            total.add(&shard.0.lock().stats);
        }
        total
    }
}

struct Node<V> {
    hash: u64,
    expires: u64,
    prev: u32,
    next: u32,
    /// `None` while the slot is on the free list.
    entry: Option<(Box<[u8]>, V)>,
}

/// One shard: a hash table of slab indices plus a recency list threaded
/// through the slab (`head` = most recent). Free slots are chained via `next`.
struct Shard<V> {
    table: HashTable<u32>,
    nodes: Vec<Node<V>>,
    free: u32,
    head: u32,
    tail: u32,
    len: usize,
    capacity: usize,
    stats: Stats,
}

#[inline(always)]
fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint; it never faults, even on a bad
    // address, and SSE is part of the x86_64 baseline.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

type Removed<V> = Option<(Box<[u8]>, V)>;

impl<V> Shard<V> {
    fn new(capacity: usize) -> Self {
        Self {
            table: HashTable::new(),
            nodes: Vec::new(),
            free: NIL,
            head: NIL,
            tail: NIL,
            len: 0,
            capacity,
            stats: Stats::default(),
        }
    }

    #[inline]
    fn find(&self, hash: u64, key: &[u8]) -> Option<u32> {
        let nodes = &self.nodes;
        self.table
            .find(hash, |&i| {
                let n = &nodes[i as usize];
                n.hash == hash && matches!(&n.entry, Some((k, _)) if **k == *key)
            })
            .copied()
    }

    #[inline]
    fn is_expired(&self, i: u32, clock: &dyn Clock) -> bool {
        let expires = self.nodes[i as usize].expires;
        // Entries without TTL never read the clock.
        expires != NEVER && clock.now_ms() >= expires
    }

    #[inline]
    fn unlink(&mut self, i: u32) {
        let (prev, next) = {
            let n = &self.nodes[i as usize];
            (n.prev, n.next)
        };
        if prev == NIL {
            self.head = next;
        } else {
            self.nodes[prev as usize].next = next;
        }
        if next == NIL {
            self.tail = prev;
        } else {
            self.nodes[next as usize].prev = prev;
        }
    }

    #[inline]
    fn push_front(&mut self, i: u32) {
        let old = self.head;
        let n = &mut self.nodes[i as usize];
        n.prev = NIL;
        n.next = old;
        if old == NIL {
            self.tail = i;
        } else {
            self.nodes[old as usize].prev = i;
        }
        self.head = i;
    }

    #[inline]
    fn touch(&mut self, i: u32) {
        if self.head != i {
            self.unlink(i);
            self.push_front(i);
        }
    }

    fn remove(&mut self, i: u32) -> Removed<V> {
        let hash = self.nodes[i as usize].hash;
        if let Ok(entry) = self.table.find_entry(hash, |&j| j == i) {
            entry.remove();
        }
        self.unlink(i);
        let n = &mut self.nodes[i as usize];
        n.next = self.free;
        self.free = i;
        self.len -= 1;
        n.entry.take()
    }

    #[inline]
    fn get(&mut self, hash: u64, key: &[u8], clock: &dyn Clock) -> Option<&V> {
        let Some(i) = self.find(hash, key) else {
            self.stats.misses += 1;
            return None;
        };
        if self.is_expired(i, clock) {
            self.remove(i);
            self.stats.expirations += 1;
            self.stats.misses += 1;
            return None;
        }
        self.touch(i);
        self.stats.hits += 1;
        self.nodes[i as usize].entry.as_ref().map(|(_, v)| v)
    }

    fn set(
        &mut self,
        hash: u64,
        key: &[u8],
        value: V,
        expires: u64,
        clock: &dyn Clock,
    ) -> Removed<V> {
        let mut removed = None;
        if let Some(i) = self.find(hash, key) {
            if !self.is_expired(i, clock) {
                let n = &mut self.nodes[i as usize];
                n.expires = expires;
                // The replaced value goes back to the caller so that it is
                // dropped outside the lock.
                let old = n
                    .entry
                    .as_mut()
                    .map(|(_, v)| (Box::default(), std::mem::replace(v, value)));
                self.touch(i);
                self.stats.updates += 1;
                return old;
            }
            removed = self.remove(i);
            self.stats.expirations += 1;
        } else if self.len >= self.capacity {
            let tail = self.tail;
            if self.is_expired(tail, clock) {
                self.stats.expirations += 1;
            } else {
                self.stats.evictions += 1;
            }
            removed = self.remove(tail);
            // The next insert will most likely evict the new tail and reuse
            // its key buffer: start fetching it now.
            if let Some(Some((k, _))) = self.nodes.get(self.tail as usize).map(|n| &n.entry) {
                prefetch(k.as_ptr());
            }
        }
        // A full cache frees a key buffer on every insert; when the lengths
        // match (fixed-format keys are common) it is reused, which saves an
        // allocation and a free inside the critical section.
        let key_buf = match &mut removed {
            Some((old_key, _)) if old_key.len() == key.len() => {
                let mut buf = std::mem::take(old_key);
                buf.copy_from_slice(key);
                buf
            }
            _ => Box::from(key),
        };
        let node = Node {
            hash,
            expires,
            prev: NIL,
            next: NIL,
            entry: Some((key_buf, value)),
        };
        let i = if self.free == NIL {
            self.nodes.push(node);
            (self.nodes.len() - 1) as u32
        } else {
            let i = self.free;
            self.free = self.nodes[i as usize].next;
            self.nodes[i as usize] = node;
            i
        };
        let nodes = &self.nodes;
        self.table
            .insert_unique(hash, i, |&j| nodes[j as usize].hash);
        self.push_front(i);
        self.len += 1;
        self.stats.inserts += 1;
        removed
    }

    fn delete(&mut self, hash: u64, key: &[u8], clock: &dyn Clock) -> (bool, Removed<V>) {
        let Some(i) = self.find(hash, key) else {
            return (false, None);
        };
        let live = !self.is_expired(i, clock);
        if !live {
            self.stats.expirations += 1;
        }
        (live, self.remove(i))
    }

    fn cleanup(&mut self, now: u64) -> usize {
        let expired: Vec<u32> = (0..self.nodes.len() as u32)
            .filter(|&i| {
                let n = &self.nodes[i as usize];
                n.entry.is_some() && n.expires != NEVER && now >= n.expires
            })
            .collect();
        for &i in &expired {
            self.remove(i);
        }
        self.stats.expirations += expired.len() as u64;
        expired.len()
    }

    fn take_all(&mut self) -> Vec<Node<V>> {
        self.table.clear();
        self.free = NIL;
        self.head = NIL;
        self.tail = NIL;
        self.len = 0;
        std::mem::take(&mut self.nodes)
    }
}
