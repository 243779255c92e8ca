//! What the property tests share: the operations they run, a one-shard cache built from its options, and
//! the reference models (lru.rs, s3fifo.rs) a cache must match step by step.
// Each test crate compiles this module and uses a part of it.
#![allow(dead_code)]

pub mod lru;
pub mod s3fifo;

use std::sync::Arc;
use std::time::Duration;

use proptest::prelude::*;
use sark_cache::{Cache, CacheOptions, EvictionPolicy, ManualClock, Stats};

#[derive(Debug, Clone)]
pub enum Op {
    Get(u8),
    Set(u8, u32, Option<u8>),
    Delete(u8),
    Advance(u8),
    Cleanup,
    Clear,
}

/// One operation on keys `0..keys`: reads weighted `get_weight` against 4 sets, 1 delete, 2 clock
/// advances, 1 cleanup and 1 clear. A small key space makes hits, updates and evictions all frequent.
pub fn op(keys: u8, get_weight: u32) -> impl Strategy<Value = Op> {
    let key = 0..keys;
    prop_oneof![
        get_weight => key.clone().prop_map(Op::Get),
        4 => (key.clone(), any::<u32>(), proptest::option::of(1u8..30)).prop_map(|(k, v, t)| Op::Set(k, v, t)),
        1 => key.prop_map(Op::Delete),
        2 => (0u8..20).prop_map(Op::Advance),
        1 => Just(Op::Cleanup),
        1 => Just(Op::Clear),
    ]
}

/// What a reference model answers, operation by operation, as the cache must.
pub trait Reference {
    fn get(&mut self, key: u8) -> Option<u32>;
    fn set(&mut self, key: u8, value: u32, ttl: Option<u8>);
    fn delete(&mut self, key: u8) -> bool;
    fn cleanup(&mut self) -> usize;
    fn clear(&mut self);
    fn len(&self) -> usize;
    fn advance(&mut self, ms: u64);
    fn stats(&self) -> Stats;
}

/// A one-shard cache of `policy` whose clock is `clock`, with `default_ttl` in ms.
pub fn single_shard(
    capacity: usize,
    policy: EvictionPolicy,
    default_ttl: Option<u64>,
    clock: Arc<ManualClock>,
) -> Cache<u32> {
    Cache::with_options(CacheOptions {
        shards: Some(1),
        policy,
        default_ttl: default_ttl.map(Duration::from_millis),
        clock: Some(clock),
        ..CacheOptions::new(capacity)
    })
    .unwrap()
}

/// Runs `ops` on a one-shard cache of `policy` and on `model` side by side: every read, delete and
/// cleanup answers the same, and after each step the lengths and the counters are equal and the length
/// is within the capacity.
pub fn matches_reference(
    capacity: usize,
    policy: EvictionPolicy,
    default_ttl: Option<u64>,
    model: &mut impl Reference,
    ops: Vec<Op>,
) -> Result<(), TestCaseError> {
    let clock = Arc::new(ManualClock::new(0));
    let cache = single_shard(capacity, policy, default_ttl, clock.clone());
    for op in ops {
        match op {
            Op::Get(k) => prop_assert_eq!(cache.get([k]), model.get(k)),
            Op::Set(k, v, t) => {
                cache
                    .set([k], v, t.map(|t| Duration::from_millis(u64::from(t))))
                    .unwrap();
                model.set(k, v, t);
            }
            Op::Delete(k) => prop_assert_eq!(cache.delete([k]), model.delete(k)),
            Op::Advance(ms) => {
                clock.advance_ms(u64::from(ms));
                model.advance(u64::from(ms));
            }
            Op::Cleanup => prop_assert_eq!(cache.cleanup_expired(), model.cleanup()),
            Op::Clear => {
                cache.clear();
                model.clear();
            }
        }
        prop_assert_eq!(cache.len(), model.len());
        prop_assert!(cache.len() <= capacity);
        prop_assert_eq!(cache.stats(), model.stats());
    }
    Ok(())
}
