//! One shard: a hash table of slab indices and intrusive FIFO/recency lists, all O(1).

use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};

use hashbrown::HashTable;

use crate::clock::Clock;
use crate::ghost::Ghost;
use crate::policy::EvictionPolicy;
use crate::stats::Stats;

const NIL: u32 = u32::MAX;
/// Expiry of an entry without TTL.
pub(crate) const NEVER: u64 = u64::MAX;

/// S3-FIFO's probationary queue; LRU and CLOCK keep every entry in `MAIN`.
const SMALL: usize = 0;
const MAIN: usize = 1;
/// S3-FIFO's frequency saturates at 3 (two bits); CLOCK's reference bit at 1.
const S3_MAX_FREQ: u8 = 3;
/// S3-FIFO's small queue (3% of a shard, at least one entry) and ghost queue (half a
/// shard's capacity, in hashes). The paper suggests 10% for the small queue; on the Zipf
/// traces of examples/hit_ratio.rs 3% kept 0.2-0.7 points more hits than 10%, and a ghost
/// queue of 50% 0.2-0.8 more than one of 100%.
const SMALL_PERCENT: usize = 3;
const GHOST_PERCENT: usize = 50;

/// `capacity × percent / 100` without the product: it overflows a 32-bit `usize` for
/// capacities above about 85 million, which `MAX_CAPACITY` allows.
fn percent_of(capacity: usize, percent: usize) -> usize {
    capacity / 100 * percent + capacity % 100 * percent / 100
}

pub(crate) struct Node<V> {
    hash: u64,
    expires: u64,
    prev: u32,
    next: u32,
    /// Accesses since insertion or the last eviction pass (CLOCK: 0/1, S3-FIFO: 0..=3). Set
    /// by hits under shared access with a plain load and store (a lost increment only
    /// changes a victim choice), and only when below the cap, so a hot entry's line stays
    /// shared between readers.
    freq: AtomicU8,
    /// Which list the node is on (`SMALL` or `MAIN`).
    queue: u8,
    /// `None` while the slot is on the free list.
    entry: Option<(Box<[u8]>, V)>,
}

#[derive(Clone, Copy)]
struct List {
    head: u32,
    tail: u32,
    len: usize,
}

const EMPTY: List = List {
    head: NIL,
    tail: NIL,
    len: 0,
};

/// One shard: a hash table of slab indices plus lists threaded through the slab (`head` =
/// newest). Free slots are chained via `next`.
pub(crate) struct Shard<V> {
    table: HashTable<u32>,
    nodes: Vec<Node<V>>,
    free: u32,
    lists: [List; 2],
    len: usize,
    capacity: usize,
    /// S3-FIFO: the small queue's share of the capacity.
    small_target: usize,
    ghost: Ghost,
    policy: EvictionPolicy,
    /// Counted by readers under the shared lock (threads without a reader slot) and under
    /// the exclusive lock; readers with a slot count in it.
    hits: AtomicU64,
    misses: AtomicU64,
    stats: Stats,
}

/// What a lookup under shared access found.
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

/// Key equality without a call to `memcmp` for the short keys caches mostly see: the hash
/// already matched, so the keys are almost always equal and every byte is compared anyway.
#[inline(always)]
pub(crate) fn same_key(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n > 32 {
        return a == b;
    }
    if n >= 8 {
        let word = |s: &[u8], i: usize| u64::from_ne_bytes(s[i..i + 8].try_into().unwrap());
        let mut i = 0;
        while i + 8 < n {
            if word(a, i) != word(b, i) {
                return false;
            }
            i += 8;
        }
        return word(a, n - 8) == word(b, n - 8);
    }
    if n >= 4 {
        let word = |s: &[u8], i: usize| u32::from_ne_bytes(s[i..i + 4].try_into().unwrap());
        return word(a, 0) == word(b, 0) && word(a, n - 4) == word(b, n - 4);
    }
    a == b
}

pub(crate) type Removed<V> = Option<(Box<[u8]>, V)>;

impl<V> Shard<V> {
    pub(crate) fn new(capacity: usize, policy: EvictionPolicy) -> Self {
        let small_target = percent_of(capacity, SMALL_PERCENT).max(1);
        let ghost = match policy {
            EvictionPolicy::S3Fifo => Ghost::new(percent_of(capacity, GHOST_PERCENT)),
            _ => Ghost::new(0),
        };
        Self {
            table: HashTable::new(),
            nodes: Vec::new(),
            free: NIL,
            lists: [EMPTY; 2],
            len: 0,
            capacity,
            small_target,
            ghost,
            policy,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            stats: Stats::default(),
        }
    }

    /// This shard's counters (without the reader slots' hits and misses).
    pub(crate) fn stats(&self) -> Stats {
        Stats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            ..self.stats
        }
    }

    /// Counts a hit or miss of a reader holding the shared lock.
    #[inline]
    pub(crate) fn count_shared(&self, hit: bool) {
        let c = if hit { &self.hits } else { &self.misses };
        c.fetch_add(1, Ordering::Relaxed);
    }

    /// A read under shared access (CLOCK, S3-FIFO): bumps the frequency of a live hit (only
    /// below its cap). Counts nothing: the caller does. Expired entries are left to
    /// [`Shard::get`] under the exclusive lock.
    #[inline(always)]
    pub(crate) fn peek(&self, hash: u64, key: &[u8], clock: &dyn Clock) -> Peek<'_, V> {
        let Some(i) = self.find(hash, key) else {
            return Peek::Miss;
        };
        let n = &self.nodes[i as usize];
        // Entries without TTL never read the clock.
        if n.expires != NEVER && clock.now_ms() >= n.expires {
            return Peek::Expired;
        }
        let max = if self.policy == EvictionPolicy::Clock {
            1
        } else {
            S3_MAX_FREQ
        };
        let f = n.freq.load(Ordering::Relaxed);
        if f < max {
            n.freq.store(f + 1, Ordering::Relaxed);
        }
        match &n.entry {
            Some((_, v)) => Peek::Hit(v),
            None => Peek::Miss,
        }
    }

    /// Marks `i` used: relinked at the head (LRU) or its frequency raised (CLOCK, S3-FIFO).
    #[inline]
    fn mark_used(&mut self, i: u32) {
        let max = match self.policy {
            EvictionPolicy::Lru => return self.touch(i),
            EvictionPolicy::Clock => 1,
            EvictionPolicy::S3Fifo => S3_MAX_FREQ,
        };
        let f = self.nodes[i as usize].freq.get_mut();
        *f = (*f + 1).min(max);
    }

    /// The entry a full shard gives up. LRU: the tail. CLOCK: the oldest entry whose
    /// reference bit is clear, moving referenced ones to the head with the bit cleared.
    /// S3-FIFO: from the small queue while it holds at least its share (an entry read since
    /// its insertion moves to the main queue instead, an unread one is evicted and its hash
    /// remembered in the ghost queue), otherwise from the main queue (an entry read since
    /// the last pass goes back to its head with its frequency decremented). An expired
    /// entry on the way is taken at once. Each step removes the victim, empties the small
    /// queue by one or lowers a frequency, so the loop ends.
    fn victim(&mut self, clock: &dyn Clock) -> u32 {
        if self.policy == EvictionPolicy::Lru {
            return self.lists[MAIN].tail;
        }
        loop {
            let small = self.lists[SMALL];
            let from_small =
                small.len > 0 && (small.len >= self.small_target || self.lists[MAIN].len == 0);
            let q = if from_small { SMALL } else { MAIN };
            let t = self.lists[q].tail;
            if self.is_expired(t, clock) {
                return t;
            }
            let n = &mut self.nodes[t as usize];
            let f = n.freq.get_mut();
            if *f == 0 {
                if q == SMALL {
                    self.ghost.insert(n.hash);
                }
                return t;
            }
            // Promoted or given another round, the entry pays one access for it.
            *f -= 1;
            if q == SMALL {
                self.unlink(t);
                self.push_front(t, MAIN);
            } else {
                self.touch(t);
            }
        }
    }

    #[inline(always)]
    fn find(&self, hash: u64, key: &[u8]) -> Option<u32> {
        // A loop over the tag matches rather than `HashTable::find`, whose comparison goes
        // through a `dyn FnMut` that the compiler does not always inline.
        for &i in self.table.iter_hash(hash) {
            let n = &self.nodes[i as usize];
            if n.hash == hash && matches!(&n.entry, Some((k, _)) if same_key(k, key)) {
                return Some(i);
            }
        }
        None
    }

    #[inline]
    fn is_expired(&self, i: u32, clock: &dyn Clock) -> bool {
        let expires = self.nodes[i as usize].expires;
        // Entries without TTL never read the clock.
        expires != NEVER && clock.now_ms() >= expires
    }

    #[inline]
    fn unlink(&mut self, i: u32) {
        let (prev, next, q) = {
            let n = &self.nodes[i as usize];
            (n.prev, n.next, n.queue as usize)
        };
        let list = &mut self.lists[q];
        list.len -= 1;
        if prev == NIL {
            list.head = next;
        } else {
            self.nodes[prev as usize].next = next;
        }
        let list = &mut self.lists[q];
        if next == NIL {
            list.tail = prev;
        } else {
            self.nodes[next as usize].prev = prev;
        }
    }

    #[inline]
    fn push_front(&mut self, i: u32, q: usize) {
        let old = self.lists[q].head;
        let n = &mut self.nodes[i as usize];
        n.prev = NIL;
        n.next = old;
        n.queue = q as u8;
        if old == NIL {
            self.lists[q].tail = i;
        } else {
            self.nodes[old as usize].prev = i;
        }
        self.lists[q].head = i;
        self.lists[q].len += 1;
    }

    /// Moves `i` to the head of its list.
    #[inline]
    fn touch(&mut self, i: u32) {
        let q = self.nodes[i as usize].queue as usize;
        if self.lists[q].head != i {
            self.unlink(i);
            self.push_front(i, q);
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

    /// A read under the exclusive lock: LRU's every read, and the others' expired hits.
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
            let next = self.lists[if self.lists[SMALL].len > 0 {
                SMALL
            } else {
                MAIN
            }]
            .tail;
            if let Some(Some((k, _))) = self.nodes.get(next as usize).map(|n| &n.entry) {
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
        // S3-FIFO admits a key evicted from the small queue not long ago straight to main.
        let q = if self.policy == EvictionPolicy::S3Fifo && !self.ghost.take(hash) {
            SMALL
        } else {
            MAIN
        };
        let node = Node {
            hash,
            expires,
            prev: NIL,
            next: NIL,
            freq: AtomicU8::new(0),
            queue: q as u8,
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
        self.push_front(i, q);
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
        self.ghost.clear();
        self.free = NIL;
        self.lists = [EMPTY; 2];
        self.len = 0;
        std::mem::take(&mut self.nodes)
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::same_key;

    #[test]
    fn same_key_agrees_with_slice_equality_at_every_length_and_position() {
        for n in 0..48usize {
            let a: Vec<u8> = (0..n as u8).map(|b| b.wrapping_mul(37)).collect();
            assert!(same_key(&a, &a.clone()));
            for i in 0..n {
                let mut b = a.clone();
                b[i] ^= 0x80;
                assert!(!same_key(&a, &b), "length {n}, byte {i}");
            }
            assert!(!same_key(&a, &a[..n.saturating_sub(1)]) || n == 0);
        }
    }
}
