//! Property test: a single-shard cache behaves exactly like a naive
//! recency-ordered list with the same TTL and eviction rules.

use std::sync::Arc;
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

fn op() -> impl Strategy<Value = Op> {
    // A small key space makes hits, updates and evictions all frequent.
    let key = 0u8..12;
    prop_oneof![
        4 => key.clone().prop_map(Op::Get),
        4 => (key.clone(), any::<u32>(), proptest::option::of(1u8..30)).prop_map(|(k, v, t)| Op::Set(k, v, t)),
        1 => key.prop_map(Op::Delete),
        2 => (0u8..20).prop_map(Op::Advance),
        1 => Just(Op::Cleanup),
        1 => Just(Op::Clear),
    ]
}

/// Front = most recently used. `expires: None` = never.
#[derive(Default)]
struct Model {
    entries: Vec<(u8, u32, Option<u64>)>,
    capacity: usize,
    default_ttl: Option<u64>,
    now: u64,
    stats: Stats,
}

impl Model {
    fn expired(&self, e: &(u8, u32, Option<u64>)) -> bool {
        e.2.is_some_and(|t| self.now >= t)
    }

    fn pos(&self, k: u8) -> Option<usize> {
        self.entries.iter().position(|e| e.0 == k)
    }

    fn get(&mut self, k: u8) -> Option<u32> {
        let Some(p) = self.pos(k) else {
            self.stats.misses += 1;
            return None;
        };
        let e = self.entries.remove(p);
        if self.expired(&e) {
            self.stats.expirations += 1;
            self.stats.misses += 1;
            return None;
        }
        self.stats.hits += 1;
        self.entries.insert(0, e);
        Some(e.1)
    }

    fn set(&mut self, k: u8, v: u32, ttl: Option<u8>) {
        let expires = ttl
            .map(u64::from)
            .or(self.default_ttl)
            .map(|t| self.now + t);
        if let Some(p) = self.pos(k) {
            let e = self.entries.remove(p);
            if self.expired(&e) {
                self.stats.expirations += 1;
                self.stats.inserts += 1;
            } else {
                self.stats.updates += 1;
            }
        } else {
            if self.entries.len() == self.capacity {
                let tail = self.entries.pop().unwrap();
                if self.expired(&tail) {
                    self.stats.expirations += 1;
                } else {
                    self.stats.evictions += 1;
                }
            }
            self.stats.inserts += 1;
        }
        self.entries.insert(0, (k, v, expires));
    }

    fn delete(&mut self, k: u8) -> bool {
        let Some(p) = self.pos(k) else { return false };
        let e = self.entries.remove(p);
        let expired = self.expired(&e);
        if expired {
            self.stats.expirations += 1;
        }
        !expired
    }

    fn cleanup(&mut self) -> usize {
        let before = self.entries.len();
        let now = self.now;
        self.entries.retain(|e| !e.2.is_some_and(|t| now >= t));
        let removed = before - self.entries.len();
        self.stats.expirations += removed as u64;
        removed
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn single_shard_cache_matches_reference_model(
        capacity in 1usize..8,
        default_ttl in proptest::option::of(1u64..40),
        ops in proptest::collection::vec(op(), 1..200),
    ) {
        let clock = Arc::new(ManualClock::new(0));
        let mut b = Cache::builder(capacity)
            .shards(1)
            .policy(EvictionPolicy::Lru)
            .clock(clock.clone());
        if let Some(t) = default_ttl {
            b = b.default_ttl(Duration::from_millis(t));
        }
        let cache: Cache<u32> = b.build().unwrap();
        let mut model = Model { capacity, default_ttl, ..Model::default() };
        for op in ops {
            match op {
                Op::Get(k) => prop_assert_eq!(cache.get([k]), model.get(k)),
                Op::Set(k, v, t) => {
                    cache.set([k], v, t.map(|t| Duration::from_millis(u64::from(t)))).unwrap();
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
                    model.entries.clear();
                }
            }
            prop_assert_eq!(cache.len(), model.entries.len());
            prop_assert!(cache.len() <= capacity);
            prop_assert_eq!(cache.stats(), model.stats);
        }
    }
}
