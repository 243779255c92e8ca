//! One shard: a hash table of slab indices and an intrusive recency list, all O(1).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use hashbrown::HashTable;

use crate::clock::Clock;
use crate::policy::EvictionPolicy;
use crate::stats::Stats;

const NIL: u32 = u32::MAX;
/// Expiry of an entry without TTL.
pub(crate) const NEVER: u64 = u64::MAX;

pub(crate) struct Node<V> {
    hash: u64,
    expires: u64,
    prev: u32,
    next: u32,
    /// CLOCK's reference bit: set by hits under the shared lock, cleared by eviction.
    referenced: AtomicBool,
    /// `None` while the slot is on the free list.
    entry: Option<(Box<[u8]>, V)>,
}

/// One shard: a hash table of slab indices plus a recency list threaded
/// through the slab (`head` = most recent). Free slots are chained via `next`.
pub(crate) struct Shard<V> {
    table: HashTable<u32>,
    nodes: Vec<Node<V>>,
    free: u32,
    head: u32,
    tail: u32,
    len: usize,
    capacity: usize,
    policy: EvictionPolicy,
    /// Hits and misses are atomics because CLOCK counts them under the shared lock; the
    /// other counters change only under the exclusive lock.
    hits: AtomicU64,
    misses: AtomicU64,
    stats: Stats,
}

/// What a lookup under the shared lock found.
pub(crate) enum Peek<'a, V> {
    Hit(&'a V),
    Miss,
    /// Present but expired: removing it needs the exclusive lock.
    Expired,
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

pub(crate) type Removed<V> = Option<(Box<[u8]>, V)>;

impl<V> Shard<V> {
    pub(crate) fn new(capacity: usize, policy: EvictionPolicy) -> Self {
        Self {
            table: HashTable::new(),
            nodes: Vec::new(),
            free: NIL,
            head: NIL,
            tail: NIL,
            len: 0,
            capacity,
            policy,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            stats: Stats::default(),
        }
    }

    /// This shard's counters.
    pub(crate) fn stats(&self) -> Stats {
        Stats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            ..self.stats
        }
    }

    /// A CLOCK read under the shared lock: sets the reference bit of a live hit (only if
    /// clear, so a hot entry's line stays shared) and counts the hit or miss. Expired
    /// entries are left to [`Shard::get`] under the exclusive lock, which counts them.
    #[inline]
    pub(crate) fn peek(&self, hash: u64, key: &[u8], clock: &dyn Clock) -> Peek<'_, V> {
        let Some(i) = self.find(hash, key) else {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return Peek::Miss;
        };
        if self.is_expired(i, clock) {
            return Peek::Expired;
        }
        let n = &self.nodes[i as usize];
        if !n.referenced.load(Ordering::Relaxed) {
            n.referenced.store(true, Ordering::Relaxed);
        }
        self.hits.fetch_add(1, Ordering::Relaxed);
        match &n.entry {
            Some((_, v)) => Peek::Hit(v),
            None => Peek::Miss,
        }
    }

    /// Marks `i` used: relinked at the head (LRU) or its reference bit set (CLOCK).
    #[inline]
    fn mark_used(&mut self, i: u32) {
        match self.policy {
            EvictionPolicy::Lru => self.touch(i),
            EvictionPolicy::Clock => *self.nodes[i as usize].referenced.get_mut() = true,
        }
    }

    /// The entry a full shard gives up: the tail (LRU), or under CLOCK the oldest entry
    /// whose reference bit is clear, moving referenced ones to the head with the bit
    /// cleared. An expired entry on the way is taken at once. Ends within `len + 1` steps,
    /// since each step clears a bit.
    fn victim(&mut self, clock: &dyn Clock) -> u32 {
        if self.policy == EvictionPolicy::Lru {
            return self.tail;
        }
        loop {
            let t = self.tail;
            if self.is_expired(t, clock) {
                return t;
            }
            let bit = self.nodes[t as usize].referenced.get_mut();
            if !*bit {
                return t;
            }
            *bit = false;
            self.touch(t);
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
    pub(crate) fn get(&mut self, hash: u64, key: &[u8], clock: &dyn Clock) -> Option<&V> {
        let Some(i) = self.find(hash, key) else {
            *self.misses.get_mut() += 1;
            return None;
        };
        if self.is_expired(i, clock) {
            self.remove(i);
            self.stats.expirations += 1;
            *self.misses.get_mut() += 1;
            return None;
        }
        self.mark_used(i);
        *self.hits.get_mut() += 1;
        self.nodes[i as usize].entry.as_ref().map(|(_, v)| v)
    }

    pub(crate) fn set(
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
                self.mark_used(i);
                self.stats.updates += 1;
                return old;
            }
            removed = self.remove(i);
            self.stats.expirations += 1;
        } else if self.len >= self.capacity {
            let victim = self.victim(clock);
            if self.is_expired(victim, clock) {
                self.stats.expirations += 1;
            } else {
                self.stats.evictions += 1;
            }
            removed = self.remove(victim);
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
            referenced: AtomicBool::new(false),
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

    pub(crate) fn delete(
        &mut self,
        hash: u64,
        key: &[u8],
        clock: &dyn Clock,
    ) -> (bool, Removed<V>) {
        let Some(i) = self.find(hash, key) else {
            return (false, None);
        };
        let live = !self.is_expired(i, clock);
        if !live {
            self.stats.expirations += 1;
        }
        (live, self.remove(i))
    }

    pub(crate) fn cleanup(&mut self, now: u64) -> usize {
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

    pub(crate) fn take_all(&mut self) -> Vec<Node<V>> {
        self.table.clear();
        self.free = NIL;
        self.head = NIL;
        self.tail = NIL;
        self.len = 0;
        std::mem::take(&mut self.nodes)
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }
}
