//! Instruction counts of sark_cache's hot paths, under Valgrind (gungraun).
//!
//! Each benchmark runs its operation once on a cache the setup filled; only
//! the operation is counted. Counts are deterministic: the caches use a fixed
//! hash seed, fixed shard counts and a manual clock, and every key is fixed.
//! Ids name their Criterion twins in cache_benchmarks.rs: group
//! `cache_get_warm`, function `sark_cache` here is Criterion's
//! `cache_get_warm/sark_cache`. The concurrent benchmarks stay wall-time only:
//! instruction counts cannot see contention.

use std::hint::black_box;
use std::sync::Arc;

use gungraun::{library_benchmark, library_benchmark_group, main};
use sark_cache::{Cache, ManualClock};

type Val = u64;

const CAPACITY: usize = 10_000;
const SEED: u64 = 0x5eed_5a4c;

fn key(prefix: &str, i: usize) -> Vec<u8> {
    format!("{prefix}:{i:010}").into_bytes()
}

/// A cache of `capacity` holding keys `key:0` .. `key:{capacity-1}`. The
/// shard count is fixed (the default follows the machine's core count).
fn full(capacity: usize) -> Cache<Val> {
    let cache = Cache::builder(capacity)
        .hash_seed(SEED)
        .shards((capacity / 64).clamp(1, 128))
        .clock(Arc::new(ManualClock::new(0)))
        .build()
        .expect("valid settings");
    for i in 0..capacity {
        cache.set(key("key", i), i as Val, None).expect("no ttl");
    }
    cache
}

/// Hits and misses on a full cache of CAPACITY, near its middle.
fn hit() -> (Cache<Val>, Vec<u8>) {
    (full(CAPACITY), key("key", CAPACITY / 2))
}
fn miss() -> (Cache<Val>, Vec<u8>) {
    (full(CAPACITY), key("absent", CAPACITY / 2))
}
/// A key never set: the set evicts the least recently used entry of its shard.
fn new_key(capacity: usize) -> (Cache<Val>, Vec<u8>) {
    (full(capacity), key("key", capacity * 2))
}
/// A 100K-entry cache, read at a resident key.
fn hit_100k() -> (Cache<Val>, Vec<u8>) {
    (full(100_000), key("key", 50_000))
}

/// `Cache::get`, with the real code changes the verdict-quality evaluation must
/// detect (evaluation/verdicts): `inject-slowdown` is the Criterion suite's extra
/// pass over the key's first bytes; `inject-small-slowdown` is a smaller one,
/// about 2% of a get's instructions.
fn get(cache: &Cache<Val>, key: &[u8]) -> Option<Val> {
    #[cfg(feature = "inject-slowdown")]
    black_box(
        key.iter()
            .take(3)
            .fold(0u64, |h, &b| h.rotate_left(5) ^ u64::from(b))
            .wrapping_mul(0x9E37_79B9),
    );
    #[cfg(feature = "inject-small-slowdown")]
    black_box(key.len().wrapping_mul(0x9E37_79B9));
    cache.get(key)
}

// Each benchmark returns its cache so that dropping it (10K entries) happens
// outside the counted function.

mod get_warm {
    use super::*;
    #[library_benchmark]
    #[bench::hit(setup = hit)]
    pub fn sark_cache((cache, k): (Cache<Val>, Vec<u8>)) -> (Cache<Val>, Option<Val>) {
        let v = get(&cache, black_box(&k));
        (cache, v)
    }
    library_benchmark_group!(name = cache_get_warm; benchmarks = sark_cache);
}

mod get_miss {
    use super::*;
    #[library_benchmark]
    #[bench::miss(setup = miss)]
    pub fn sark_cache((cache, k): (Cache<Val>, Vec<u8>)) -> (Cache<Val>, Option<Val>) {
        let v = get(&cache, black_box(&k));
        (cache, v)
    }
    library_benchmark_group!(name = cache_get_miss; benchmarks = sark_cache);
}

mod set_new {
    use super::*;
    #[library_benchmark]
    #[bench::new_key(setup = new_key, args = (CAPACITY))]
    pub fn sark_cache((cache, k): (Cache<Val>, Vec<u8>)) -> Cache<Val> {
        cache.set(black_box(&k), 7, None).expect("no ttl");
        cache
    }
    library_benchmark_group!(name = cache_set; benchmarks = sark_cache);
}

mod set_overwrite {
    use super::*;
    #[library_benchmark]
    #[bench::resident(setup = hit)]
    pub fn sark_cache((cache, k): (Cache<Val>, Vec<u8>)) -> Cache<Val> {
        cache.set(black_box(&k), 7, None).expect("no ttl");
        cache
    }
    library_benchmark_group!(name = cache_set_overwrite; benchmarks = sark_cache);
}

mod delete {
    use super::*;
    #[library_benchmark]
    #[bench::resident(setup = hit)]
    pub fn sark_cache((cache, k): (Cache<Val>, Vec<u8>)) -> (Cache<Val>, bool) {
        let removed = cache.delete(black_box(&k));
        (cache, removed)
    }
    library_benchmark_group!(name = cache_delete; benchmarks = sark_cache);
}

mod eviction {
    use super::*;
    #[library_benchmark]
    #[bench::at_capacity(setup = new_key, args = (100))]
    pub fn sark_cache((cache, k): (Cache<Val>, Vec<u8>)) -> Cache<Val> {
        cache.set(black_box(&k), 7, None).expect("no ttl");
        cache
    }
    library_benchmark_group!(name = cache_eviction; benchmarks = sark_cache);
}

mod scaling_get {
    use super::*;
    #[library_benchmark]
    #[bench::entries_100k(setup = hit_100k)]
    pub fn sark_cache((cache, k): (Cache<Val>, Vec<u8>)) -> (Cache<Val>, Option<Val>) {
        let v = get(&cache, black_box(&k));
        (cache, v)
    }
    library_benchmark_group!(name = cache_scaling_get; benchmarks = sark_cache);
}

use delete::cache_delete;
use eviction::cache_eviction;
use get_miss::cache_get_miss;
use get_warm::cache_get_warm;
use scaling_get::cache_scaling_get;
use set_new::cache_set;
use set_overwrite::cache_set_overwrite;

main!(
    library_benchmark_groups = cache_get_warm,
    cache_get_miss,
    cache_set,
    cache_set_overwrite,
    cache_delete,
    cache_eviction,
    cache_scaling_get
);
