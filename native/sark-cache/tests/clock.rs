//! The CLOCK eviction policy: second-chance eviction, exact TTL and capacity, counters.

use std::sync::Arc;
use std::time::Duration;

use sark_cache::{Cache, EvictionPolicy, ManualClock, Stats};

fn clock_cache(capacity: usize) -> Cache<u32> {
    Cache::builder(capacity)
        .shards(1)
        .policy(EvictionPolicy::Clock)
        .build()
        .unwrap()
}

#[test]
fn a_read_entry_gets_a_second_chance() {
    let c = clock_cache(3);
    for (i, k) in ["a", "b", "c"].iter().enumerate() {
        c.set(k, i as u32, None).unwrap();
    }
    // "a" is the oldest but was read: "b", the oldest unread one, goes instead.
    assert_eq!(c.get("a"), Some(0));
    c.set("d", 3, None).unwrap();
    assert_eq!(c.get("b"), None);
    assert_eq!(c.get("a"), Some(0));
    assert_eq!(c.get("c"), Some(2));
    assert_eq!(c.get("d"), Some(3));
    assert_eq!(c.len(), 3);
}

#[test]
fn when_every_entry_was_read_the_oldest_goes_after_one_round() {
    let c = clock_cache(3);
    for (i, k) in ["a", "b", "c"].iter().enumerate() {
        c.set(k, i as u32, None).unwrap();
    }
    for k in ["a", "b", "c"] {
        assert!(c.get(k).is_some());
    }
    c.set("d", 3, None).unwrap();
    assert_eq!(c.get("a"), None);
    assert_eq!(c.len(), 3);
}

#[test]
fn ttl_is_exact_under_clock() {
    let clock = Arc::new(ManualClock::new(0));
    let c: Cache<u32> = Cache::builder(4)
        .shards(1)
        .policy(EvictionPolicy::Clock)
        .default_ttl(Duration::from_millis(10))
        .clock(clock.clone())
        .build()
        .unwrap();
    c.set("a", 1, None).unwrap();
    clock.advance_ms(9);
    assert_eq!(c.get("a"), Some(1));
    clock.advance_ms(1);
    assert_eq!(c.get("a"), None);
    assert_eq!(c.len(), 0, "the expired entry is removed when reached");
    assert_eq!(
        c.stats(),
        Stats {
            hits: 1,
            misses: 1,
            inserts: 1,
            expirations: 1,
            ..Stats::default()
        }
    );
}

#[test]
fn an_expired_entry_is_evicted_before_a_live_unread_one() {
    let clock = Arc::new(ManualClock::new(0));
    let c: Cache<u32> = Cache::builder(2)
        .shards(1)
        .policy(EvictionPolicy::Clock)
        .clock(clock.clone())
        .build()
        .unwrap();
    c.set("short", 1, Some(Duration::from_millis(5))).unwrap();
    c.set("long", 2, None).unwrap();
    assert_eq!(c.get("short"), Some(1));
    clock.advance_ms(5);
    c.set("new", 3, None).unwrap();
    assert_eq!(c.get("long"), Some(2));
    assert_eq!(c.get("new"), Some(3));
    let s = c.stats();
    assert_eq!((s.expirations, s.evictions), (1, 0));
}

#[test]
fn capacity_is_a_hard_bound_with_concurrent_readers_and_writers() {
    const CAP: usize = 500;
    let c: Arc<Cache<u32>> = Arc::new(
        Cache::builder(CAP)
            .shards(8)
            .policy(EvictionPolicy::Clock)
            .build()
            .unwrap(),
    );
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let c = c.clone();
            std::thread::spawn(move || {
                for i in 0..20_000u32 {
                    let k = format!("k{}", (i * 7 + t) % 3_000);
                    if i % 3 == 0 {
                        c.set(&k, i, None).unwrap();
                    } else {
                        c.get(&k);
                    }
                    assert!(c.len() <= CAP);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let s = c.stats();
    assert_eq!(s.hits + s.misses, 8 * 20_000 - 8 * 6_667);
    assert_eq!(s.inserts - s.evictions, c.len() as u64);
}
