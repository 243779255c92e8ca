//! The S3-FIFO policy (the default): a single shard matches a naive reference model of the
//! algorithm exactly; several shards keep the capacity bound, never return an expired entry
//! and account every entry once; reads racing writes see whole values and are all counted.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use proptest::prelude::*;
use sark_cache::{Cache, EvictionPolicy, ManualClock, Stats};

#[derive(Debug, Clone)]
enum Op {
    Get(u8),
    Set(u8, u32, Option<u8>),
    Delete(u8),
    Advance(u8),
    Cleanup,
    Clear,
}

fn ops(keys: u8, max_len: usize) -> impl Strategy<Value = Vec<Op>> {
    let key = 0..keys;
    let op = prop_oneof![
        6 => key.clone().prop_map(Op::Get),
        4 => (key.clone(), any::<u32>(), proptest::option::of(1u8..30)).prop_map(|(k, v, t)| Op::Set(k, v, t)),
        1 => key.prop_map(Op::Delete),
        2 => (0u8..20).prop_map(Op::Advance),
        1 => Just(Op::Cleanup),
        1 => Just(Op::Clear),
    ];
    proptest::collection::vec(op, 1..max_len)
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: u8,
    value: u32,
    expires: Option<u64>,
    freq: u8,
}

/// S3-FIFO written plainly: `Vec`s with the newest entry first, keys instead of hashes in
/// the ghost queue. The parameters are the crate's: small queue 3% (at least 1), ghost
/// queue 50% of the capacity, frequency capped at 3.
struct Model {
    small: Vec<Entry>,
    main: Vec<Entry>,
    ghost_order: VecDeque<u8>,
    ghost: Vec<u8>,
    capacity: usize,
    default_ttl: Option<u64>,
    now: u64,
    stats: Stats,
}

impl Model {
    fn new(capacity: usize, default_ttl: Option<u64>) -> Self {
        Self {
            small: Vec::new(),
            main: Vec::new(),
            ghost_order: VecDeque::new(),
            ghost: Vec::new(),
            capacity,
            default_ttl,
            now: 0,
            stats: Stats::default(),
        }
    }

    fn len(&self) -> usize {
        self.small.len() + self.main.len()
    }

    fn expired(&self, e: &Entry) -> bool {
        e.expires.is_some_and(|t| self.now >= t)
    }

    fn find(&self, k: u8) -> Option<(bool, usize)> {
        if let Some(p) = self.small.iter().position(|e| e.key == k) {
            return Some((true, p));
        }
        self.main
            .iter()
            .position(|e| e.key == k)
            .map(|p| (false, p))
    }

    fn entry(&mut self, (small, p): (bool, usize)) -> &mut Entry {
        if small {
            &mut self.small[p]
        } else {
            &mut self.main[p]
        }
    }

    fn remove(&mut self, (small, p): (bool, usize)) -> Entry {
        if small {
            self.small.remove(p)
        } else {
            self.main.remove(p)
        }
    }

    fn ghost_insert(&mut self, k: u8) {
        let cap = self.capacity * 50 / 100;
        if cap == 0 {
            return;
        }
        if self.ghost_order.len() == cap {
            let old = self.ghost_order.pop_front().unwrap();
            self.ghost.retain(|&g| g != old);
        }
        self.ghost_order.push_back(k);
        if !self.ghost.contains(&k) {
            self.ghost.push(k);
        }
    }

    fn get(&mut self, k: u8) -> Option<u32> {
        let Some(at) = self.find(k) else {
            self.stats.misses += 1;
            return None;
        };
        if self.expired(self.entry_ref(at)) {
            self.remove(at);
            self.stats.expirations += 1;
            self.stats.misses += 1;
            return None;
        }
        self.stats.hits += 1;
        let e = self.entry(at);
        e.freq = (e.freq + 1).min(3);
        Some(e.value)
    }

    fn entry_ref(&self, (small, p): (bool, usize)) -> &Entry {
        if small {
            &self.small[p]
        } else {
            &self.main[p]
        }
    }

    /// Removes the entry a full cache gives up; true if it had expired.
    fn evict(&mut self) -> bool {
        let small_target = (self.capacity * 3 / 100).max(1);
        loop {
            let from_small = !self.small.is_empty()
                && (self.small.len() >= small_target || self.main.is_empty());
            let queue = if from_small {
                &mut self.small
            } else {
                &mut self.main
            };
            let t = *queue.last().unwrap();
            if t.expires.is_some_and(|x| self.now >= x) {
                queue.pop();
                return true;
            }
            if t.freq == 0 {
                queue.pop();
                if from_small {
                    self.ghost_insert(t.key);
                }
                return false;
            }
            queue.pop();
            self.main.insert(
                0,
                Entry {
                    freq: t.freq - 1,
                    ..t
                },
            );
        }
    }

    fn set(&mut self, k: u8, v: u32, ttl: Option<u8>) {
        let expires = ttl
            .map(u64::from)
            .or(self.default_ttl)
            .map(|t| self.now + t);
        if let Some(at) = self.find(k) {
            if !self.expired(self.entry_ref(at)) {
                let e = self.entry(at);
                e.value = v;
                e.expires = expires;
                e.freq = (e.freq + 1).min(3);
                self.stats.updates += 1;
                return;
            }
            self.remove(at);
            self.stats.expirations += 1;
        } else if self.len() >= self.capacity {
            if self.evict() {
                self.stats.expirations += 1;
            } else {
                self.stats.evictions += 1;
            }
        }
        let e = Entry {
            key: k,
            value: v,
            expires,
            freq: 0,
        };
        if let Some(p) = self.ghost.iter().position(|&g| g == k) {
            self.ghost.remove(p);
            self.main.insert(0, e);
        } else {
            self.small.insert(0, e);
        }
        self.stats.inserts += 1;
    }

    fn delete(&mut self, k: u8) -> bool {
        let Some(at) = self.find(k) else {
            return false;
        };
        let e = self.remove(at);
        let live = !self.expired(&e);
        if !live {
            self.stats.expirations += 1;
        }
        live
    }

    fn cleanup(&mut self) -> usize {
        let now = self.now;
        let before = self.len();
        let live = |e: &Entry| !e.expires.is_some_and(|t| now >= t);
        self.small.retain(live);
        self.main.retain(live);
        let removed = before - self.len();
        self.stats.expirations += removed as u64;
        removed
    }

    fn clear(&mut self) {
        self.small.clear();
        self.main.clear();
        self.ghost.clear();
        self.ghost_order.clear();
    }
}

fn matches_model(
    capacity: usize,
    default_ttl: Option<u64>,
    ops: Vec<Op>,
) -> Result<(), TestCaseError> {
    let clock = Arc::new(ManualClock::new(0));
    let mut b = Cache::builder(capacity)
        .shards(1)
        .policy(EvictionPolicy::S3Fifo)
        .clock(clock.clone());
    if let Some(t) = default_ttl {
        b = b.default_ttl(Duration::from_millis(t));
    }
    let cache: Cache<u32> = b.build().unwrap();
    let mut model = Model::new(capacity, default_ttl);
    for op in ops {
        match op {
            Op::Get(k) => prop_assert_eq!(cache.get([k]), model.get(k)),
            Op::Set(k, v, t) => {
                let ttl = t.map(|t| Duration::from_millis(u64::from(t)));
                cache.set([k], v, ttl).unwrap();
                model.set(k, v, t);
            }
            Op::Delete(k) => prop_assert_eq!(cache.delete([k]), model.delete(k)),
            Op::Advance(ms) => {
                clock.advance_ms(u64::from(ms));
                model.now += u64::from(ms);
            }
            Op::Cleanup => prop_assert_eq!(cache.cleanup_expired(), model.cleanup()),
            Op::Clear => {
                cache.clear();
                model.clear();
            }
        }
        prop_assert_eq!(cache.len(), model.len());
        prop_assert_eq!(cache.stats(), model.stats);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn small_single_shard_matches_the_reference_model(
        capacity in 1usize..8,
        default_ttl in proptest::option::of(1u64..40),
        ops in ops(12, 200),
    ) {
        matches_model(capacity, default_ttl, ops)?;
    }

    /// Capacities where the small queue holds 2-5 entries and the ghost queue dozens.
    #[test]
    fn larger_single_shard_matches_the_reference_model(
        capacity in 60usize..180,
        default_ttl in proptest::option::of(20u64..400),
        ops in ops(250, 1_500),
    ) {
        matches_model(capacity, default_ttl, ops)?;
    }

    #[test]
    fn sharded_cache_keeps_bound_ttl_and_accounts_every_entry(
        capacity in 4usize..64,
        shards in 1usize..6,
        ops in ops(100, 400),
    ) {
        let clock = Arc::new(ManualClock::new(0));
        let cache: Cache<u32> = Cache::builder(capacity)
            .shards(shards)
            .clock(clock.clone())
            .build()
            .unwrap();
        // The last value set per key and when it expires.
        let mut last: HashMap<u8, (u32, Option<u64>)> = HashMap::new();
        let (mut gets, mut sets, mut deleted, mut cleared) = (0u64, 0u64, 0u64, 0u64);
        let mut now = 0;
        for op in ops {
            match op {
                Op::Get(k) => {
                    gets += 1;
                    if let Some(v) = cache.get([k]) {
                        let (want, expires) = last[&k];
                        prop_assert_eq!(v, want);
                        prop_assert!(!expires.is_some_and(|t| now >= t), "expired entry returned");
                    }
                }
                Op::Set(k, v, t) => {
                    sets += 1;
                    cache.set([k], v, t.map(|t| Duration::from_millis(u64::from(t)))).unwrap();
                    last.insert(k, (v, t.map(|t| now + u64::from(t))));
                }
                Op::Delete(k) => deleted += u64::from(cache.delete([k])),
                Op::Advance(ms) => {
                    clock.advance_ms(u64::from(ms));
                    now += u64::from(ms);
                }
                Op::Cleanup => {
                    cache.cleanup_expired();
                }
                Op::Clear => {
                    cleared += cache.len() as u64;
                    cache.clear();
                }
            }
            prop_assert!(cache.len() <= capacity);
            let s = cache.stats();
            prop_assert_eq!(s.hits + s.misses, gets);
            prop_assert_eq!(s.inserts + s.updates, sets);
            // Every entry stored leaves once: evicted, expired, deleted or cleared.
            prop_assert_eq!(
                s.inserts,
                cache.len() as u64 + s.evictions + s.expirations + deleted + cleared
            );
        }
    }
}

#[test]
fn one_hit_keys_do_not_push_out_keys_read_again() {
    let c: Cache<u32> = Cache::builder(100).shards(1).build().unwrap();
    for k in 0..50u32 {
        c.set(k.to_le_bytes(), k, None).unwrap();
        assert_eq!(c.get(k.to_le_bytes()), Some(k));
    }
    // A scan of 1,000 keys read once each: LRU would keep none of the first 50.
    for k in 1_000..2_000u32 {
        c.set(k.to_le_bytes(), k, None).unwrap();
    }
    let kept = (0..50u32)
        .filter(|k| c.get(k.to_le_bytes()) == Some(*k))
        .count();
    assert_eq!(kept, 50);
    assert_eq!(c.len(), 100);

    let lru: Cache<u32> = Cache::builder(100)
        .shards(1)
        .policy(EvictionPolicy::Lru)
        .build()
        .unwrap();
    for k in (0..50u32).chain(1_000..2_000) {
        lru.set(k.to_le_bytes(), k, None).unwrap();
        lru.get(k.to_le_bytes());
    }
    assert!((0..50u32).all(|k| lru.get(k.to_le_bytes()).is_none()));
}

#[test]
fn reads_racing_writes_see_whole_values_and_are_all_counted() {
    const THREADS: u64 = 8;
    const OPS: u64 = 40_000;
    // More threads than reader slots, so both read paths run; heap values, so a read of a
    // value being replaced or freed would show as wrong contents.
    let c: Arc<Cache<Vec<u64>>> = Arc::new(Cache::builder(256).shards(4).build().unwrap());
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let c = c.clone();
            thread::spawn(move || {
                let (mut gets, mut sets) = (0u64, 0u64);
                let mut x = t.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
                for _ in 0..OPS {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let k = x % 600;
                    if (x >> 40) % 4 == 0 {
                        c.set(k.to_le_bytes(), vec![k; 6], None).unwrap();
                        sets += 1;
                    } else {
                        gets += 1;
                        if let Some(v) = c.get(k.to_le_bytes()) {
                            assert!(v.len() == 6 && v.iter().all(|&e| e == k), "torn {v:?}");
                        }
                    }
                }
                (gets, sets)
            })
        })
        .collect();
    let (mut gets, mut sets) = (0, 0);
    for h in handles {
        let (g, s) = h.join().unwrap();
        gets += g;
        sets += s;
    }
    let s = c.stats();
    assert_eq!(s.hits + s.misses, gets);
    assert_eq!(s.inserts + s.updates, sets);
    assert!(s.hits > 0 && s.evictions > 0);
    assert!(c.len() <= 256);
}
