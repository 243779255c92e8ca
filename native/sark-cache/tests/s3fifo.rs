//! The S3-FIFO policy (the default): a single shard matches a naive reference model of the
//! algorithm exactly; several shards keep the capacity bound, never return an expired entry
//! and account every entry once; reads racing writes see whole values and are all counted.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use common::s3fifo::S3FifoModel;
use common::{matches_reference, op, Op};
use proptest::prelude::*;
use sark_cache::{Cache, EvictionPolicy, ManualClock};

fn ops(keys: u8, max_len: usize) -> impl Strategy<Value = Vec<Op>> {
    proptest::collection::vec(op(keys, 6), 1..max_len)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn small_single_shard_matches_the_reference_model(
        capacity in 1usize..8,
        default_ttl in proptest::option::of(1u64..40),
        ops in ops(12, 200),
    ) {
        matches_reference(capacity, EvictionPolicy::S3Fifo, default_ttl, &mut S3FifoModel::new(capacity, default_ttl), ops)?;
    }

    /// Capacities where the small queue holds 2-5 entries and the ghost queue dozens.
    #[test]
    fn larger_single_shard_matches_the_reference_model(
        capacity in 60usize..180,
        default_ttl in proptest::option::of(20u64..400),
        ops in ops(250, 1_500),
    ) {
        matches_reference(capacity, EvictionPolicy::S3Fifo, default_ttl, &mut S3FifoModel::new(capacity, default_ttl), ops)?;
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
