//! Behaviour of the public API: LRU order (pinned with `.policy(Lru)`), TTL, errors, stats,
//! concurrency (with the default policy).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use sark_cache::{
    Cache, CacheError, CacheOptions, EvictionPolicy, ManualClock, Stats, MAX_CAPACITY, MAX_TTL_MS,
};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn single_shard(capacity: usize) -> Cache<u32> {
    Cache::builder(capacity)
        .shards(1)
        .policy(EvictionPolicy::Lru)
        .build()
        .unwrap()
}

fn with_clock(capacity: usize, default_ttl: Option<Duration>) -> (Cache<u32>, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(1_000));
    let mut b = Cache::builder(capacity)
        .shards(1)
        .policy(EvictionPolicy::Lru)
        .clock(clock.clone());
    if let Some(ttl) = default_ttl {
        b = b.default_ttl(ttl);
    }
    (b.build().unwrap(), clock)
}

#[test]
fn cache_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Cache>();
    assert_send_sync::<Cache<String>>();
}

#[test]
fn evicts_least_recently_used_and_get_refreshes() {
    let c = single_shard(3);
    c.set("a", 1, None).unwrap();
    c.set("b", 2, None).unwrap();
    c.set("c", 3, None).unwrap();
    assert_eq!(c.get("a"), Some(1)); // order now a, c, b
    c.set("d", 4, None).unwrap(); // evicts b
    assert_eq!(c.get("b"), None);
    c.set("e", 5, None).unwrap(); // evicts c
    assert_eq!(c.get("c"), None);
    assert_eq!(c.get("a"), Some(1));
    assert_eq!(c.get("d"), Some(4));
    assert_eq!(c.get("e"), Some(5));
    assert_eq!(c.len(), 3);
}

#[test]
fn set_of_existing_key_updates_and_refreshes() {
    let c = single_shard(2);
    c.set("a", 1, None).unwrap();
    c.set("b", 2, None).unwrap();
    c.set("a", 10, None).unwrap(); // a is now most recent
    c.set("c", 3, None).unwrap(); // evicts b
    assert_eq!(c.get("a"), Some(10));
    assert_eq!(c.get("b"), None);
    let s = c.stats();
    assert_eq!((s.inserts, s.updates, s.evictions), (3, 1, 1));
}

#[test]
fn byte_and_string_keys_are_the_same_key() {
    let c: Cache = Cache::new(10, None).unwrap();
    c.set("k", b"v".to_vec(), None).unwrap();
    assert_eq!(c.get(b"k"), Some(b"v".to_vec()));
    let owned_key: Vec<u8> = b"k".to_vec();
    assert_eq!(c.get(&owned_key), Some(b"v".to_vec()));
    assert_eq!(c.get_with(String::from("k"), |v| v.len()), Some(1));
}

#[test]
fn default_ttl_expires_at_millisecond_precision() {
    let (c, clock) = with_clock(10, Some(ms(100)));
    c.set("a", 1, None).unwrap();
    clock.advance_ms(99);
    assert_eq!(c.get("a"), Some(1));
    clock.advance_ms(1);
    assert_eq!(c.get("a"), None);
    assert_eq!(c.len(), 0, "expired entry is dropped when reached");
    let s = c.stats();
    assert_eq!((s.hits, s.misses, s.expirations), (1, 1, 1));
}

#[test]
fn ttl_override_beats_default_and_no_default_means_no_expiry() {
    let (c, clock) = with_clock(10, None);
    c.set("forever", 1, None).unwrap();
    c.set("short", 2, Some(ms(5))).unwrap();
    clock.advance(Duration::from_secs(365 * 24 * 3600));
    assert_eq!(c.get("forever"), Some(1));
    assert_eq!(c.get("short"), None);

    let (c, clock) = with_clock(10, Some(ms(10)));
    c.set("long", 1, Some(ms(1_000))).unwrap();
    c.set("default", 2, None).unwrap();
    clock.advance_ms(10);
    assert_eq!(c.get("default"), None);
    assert_eq!(c.get("long"), Some(1));
}

#[test]
fn setting_an_expired_key_counts_an_expiration_and_an_insert() {
    let (c, clock) = with_clock(10, Some(ms(10)));
    c.set("a", 1, None).unwrap();
    clock.advance_ms(10);
    c.set("a", 2, None).unwrap();
    assert_eq!(c.get("a"), Some(2));
    let s = c.stats();
    assert_eq!((s.inserts, s.updates, s.expirations), (2, 0, 1));
}

#[test]
fn delete_reports_only_live_entries() {
    let (c, clock) = with_clock(10, None);
    c.set("a", 1, None).unwrap();
    c.set("b", 2, Some(ms(1))).unwrap();
    assert!(c.delete("a"));
    assert!(!c.delete("a"));
    clock.advance_ms(1);
    assert!(!c.delete("b"), "expired entry is not reported as deleted");
    assert_eq!(c.len(), 0);
    assert_eq!(c.stats().expirations, 1);
}

#[test]
fn cleanup_expired_removes_only_expired_entries() {
    let clock = Arc::new(ManualClock::new(0));
    let c: Cache<u32> = Cache::builder(1_000)
        .shards(4)
        .clock(clock.clone())
        .build()
        .unwrap();
    for i in 0..100u32 {
        let ttl = if i % 2 == 0 { Some(ms(50)) } else { None };
        c.set(i.to_be_bytes(), i, ttl).unwrap();
    }
    assert_eq!(c.cleanup_expired(), 0);
    clock.advance_ms(50);
    assert_eq!(c.cleanup_expired(), 50);
    assert_eq!(c.len(), 50);
    assert_eq!(c.get(1u32.to_be_bytes()), Some(1));
    assert_eq!(c.get(2u32.to_be_bytes()), None);
    assert_eq!(c.stats().expirations, 50);
    // Freed slots are reused without disturbing live entries.
    for i in 100..150u32 {
        c.set(i.to_be_bytes(), i, None).unwrap();
    }
    assert_eq!(c.len(), 100);
    assert!((1..100)
        .step_by(2)
        .all(|i: u32| c.get(i.to_be_bytes()) == Some(i)));
}

#[test]
fn expired_tail_is_counted_as_expiration_not_eviction() {
    let (c, clock) = with_clock(2, None);
    c.set("old", 1, Some(ms(5))).unwrap();
    c.set("b", 2, None).unwrap();
    clock.advance_ms(5);
    c.set("c", 3, None).unwrap();
    let s = c.stats();
    assert_eq!((s.evictions, s.expirations), (0, 1));
    c.set("d", 4, None).unwrap();
    assert_eq!(c.stats().evictions, 1);
}

#[test]
fn clear_empties_but_keeps_stats() {
    let c: Cache<u32> = Cache::builder(100).shards(4).build().unwrap();
    for i in 0..50u32 {
        c.set(i.to_le_bytes(), i, None).unwrap();
    }
    c.clear();
    assert!(c.is_empty());
    assert_eq!(c.get(1u32.to_le_bytes()), None);
    assert_eq!(c.stats().inserts, 50);
    c.set("x", 1, None).unwrap();
    assert_eq!(c.get("x"), Some(1));
}

#[test]
fn stats_account_every_operation() {
    let c = single_shard(2);
    assert_eq!(c.get("a"), None);
    c.set("a", 1, None).unwrap();
    c.set("b", 2, None).unwrap();
    c.set("b", 3, None).unwrap();
    assert_eq!(c.get("a"), Some(1));
    c.set("c", 4, None).unwrap(); // evicts b
    assert_eq!(c.get("b"), None);
    assert_eq!(
        c.stats(),
        Stats {
            hits: 1,
            misses: 2,
            inserts: 3,
            updates: 1,
            evictions: 1,
            expirations: 0
        }
    );
}

#[test]
fn invalid_arguments_are_errors_not_panics() {
    assert_eq!(
        Cache::<u8>::new(0, None).unwrap_err(),
        CacheError::InvalidCapacity(0)
    );
    assert_eq!(
        Cache::<u8>::new(MAX_CAPACITY + 1, None).unwrap_err(),
        CacheError::InvalidCapacity(MAX_CAPACITY + 1)
    );
    for bad in [
        Duration::ZERO,
        Duration::from_micros(999),
        ms(MAX_TTL_MS + 1),
        Duration::MAX,
    ] {
        assert_eq!(
            Cache::<u8>::new(10, Some(bad)).unwrap_err(),
            CacheError::InvalidTtl(bad)
        );
    }
    assert_eq!(
        Cache::builder(10).shards(0).build::<u8>().unwrap_err(),
        CacheError::InvalidShardCount
    );
    let c = single_shard(10);
    assert_eq!(
        c.set("a", 1, Some(Duration::ZERO)),
        Err(CacheError::InvalidTtl(Duration::ZERO))
    );
    assert_eq!(c.get("a"), None, "a rejected set stores nothing");
    assert!(c.set("a", 1, Some(ms(MAX_TTL_MS))).is_ok());
    assert!(CacheError::InvalidCapacity(0)
        .to_string()
        .contains("capacity"));
}

#[test]
fn a_plain_options_struct_makes_the_cache_the_builder_makes() {
    let clock = Arc::new(ManualClock::new(0));
    let options = CacheOptions {
        default_ttl: Some(ms(5)),
        shards: Some(2),
        hash_seed: Some(7),
        policy: EvictionPolicy::Lru,
        clock: Some(clock.clone()),
        ..CacheOptions::new(4)
    };
    let from_options: Cache<u32> = Cache::with_options(options.clone()).unwrap();
    let from_builder: Cache<u32> = Cache::builder(4)
        .default_ttl(ms(5))
        .shards(2)
        .hash_seed(7)
        .policy(EvictionPolicy::Lru)
        .clock(clock.clone())
        .build()
        .unwrap();
    for cache in [&from_options, &from_builder] {
        for k in 0..6u32 {
            cache.set(k.to_string(), k, None).unwrap();
        }
    }
    assert_eq!(from_options.shard_count(), 2);
    assert_eq!(format!("{from_options:?}"), format!("{from_builder:?}"));
    let kept = |c: &Cache<u32>| (0..6u32).map(|k| c.get(k.to_string())).collect::<Vec<_>>();
    assert_eq!(
        kept(&from_options),
        kept(&from_builder),
        "same seed, same shards: the same keys kept"
    );
    clock.advance_ms(5);
    assert_eq!(
        from_options.get("5"),
        None,
        "the default TTL came from the options"
    );
    assert_eq!(
        Cache::<u8>::with_options(CacheOptions {
            shards: Some(0),
            ..options.clone()
        })
        .unwrap_err(),
        CacheError::InvalidShardCount
    );
    assert_eq!(
        Cache::<u8>::with_options(CacheOptions {
            capacity: 0,
            ..options
        })
        .unwrap_err(),
        CacheError::InvalidCapacity(0)
    );
    assert!(format!("{:?}", CacheOptions::new(3)).starts_with("CacheOptions { capacity: 3"));
}

#[test]
fn shard_count_is_clamped_so_no_shard_is_empty() {
    assert_eq!(
        Cache::builder(3)
            .shards(64)
            .build::<u8>()
            .unwrap()
            .shard_count(),
        3
    );
    assert_eq!(Cache::builder(100).build::<u8>().unwrap().shard_count(), 1);
    let big = Cache::builder(1 << 20).build::<u8>().unwrap();
    assert!(big.shard_count() >= 16 && big.shard_count().is_power_of_two());
    assert_eq!(
        Cache::builder(10)
            .shards(1)
            .build::<u8>()
            .unwrap()
            .shard_count(),
        1
    );
}

#[test]
fn capacity_is_a_hard_bound_under_16_writer_threads() {
    const CAP: usize = 1_000;
    const THREADS: u32 = 16;
    const PER_THREAD: u32 = 5_000;
    let c: Arc<Cache<u32>> = Arc::new(Cache::builder(CAP).shards(8).build().unwrap());
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (c, done) = (c.clone(), done.clone());
        thread::spawn(move || {
            let mut max_seen = 0;
            while !done.load(Ordering::Relaxed) {
                max_seen = max_seen.max(c.len());
            }
            max_seen
        })
    };
    let writers: Vec<_> = (0..THREADS)
        .map(|t| {
            let c = c.clone();
            thread::spawn(move || {
                for i in 0..PER_THREAD {
                    let key = (t * PER_THREAD + i).to_le_bytes();
                    c.set(key, i, None).unwrap();
                    assert!(c.len() <= CAP);
                    if i % 3 == 0 {
                        c.get(key);
                    }
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    done.store(true, Ordering::Relaxed);
    assert!(watcher.join().unwrap() <= CAP);
    assert_eq!(c.len(), CAP, "80k distinct keys fill every shard");
    let s = c.stats();
    let total = u64::from(THREADS * PER_THREAD);
    assert_eq!(s.inserts, total);
    assert_eq!(s.evictions, total - CAP as u64);
    assert_eq!(
        s.hits + s.misses,
        u64::from(THREADS * PER_THREAD.div_ceil(3))
    );
}
