//! Warm `get`s on a full cache of 10,000 entries, for Callgrind (scripts/callgrind.sh): the
//! functions named `measured_*` are the only ones counted, so the instruction count per get
//! of each peer (sark_cache per policy, quick_cache) comes out exactly, independent of load.
//! Usage: profile_get PEER N, PEER one of lru, clock, s3fifo, quick_cache.

use std::hint::black_box;

use sark_cache::{Cache, EvictionPolicy};

const CAPACITY: usize = 10_000;

fn keys() -> Vec<Vec<u8>> {
    (0..CAPACITY)
        .map(|i| format!("key:{i:010}").into_bytes())
        .collect()
}

#[inline(never)]
fn measured_sark(cache: &Cache<u64>, keys: &[Vec<u8>], n: usize) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        sum += cache.get(black_box(&keys[i % keys.len()])).unwrap_or(0);
    }
    sum
}

#[inline(never)]
fn measured_quick(
    cache: &quick_cache::sync::Cache<Vec<u8>, u64>,
    keys: &[Vec<u8>],
    n: usize,
) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        sum += cache.get(black_box(&keys[i % keys.len()][..])).unwrap_or(0);
    }
    sum
}

fn main() {
    let mut args = std::env::args().skip(1);
    let peer = args.next().unwrap_or_else(|| "lru".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let keys = keys();
    let policy = match peer.as_str() {
        "lru" => EvictionPolicy::Lru,
        "clock" => EvictionPolicy::Clock,
        "s3fifo" => EvictionPolicy::S3Fifo,
        "quick_cache" => {
            let q = quick_cache::sync::Cache::new(CAPACITY);
            for (i, k) in keys.iter().enumerate() {
                q.insert(k.clone(), i as u64);
            }
            // Warm up: the first round of hits sets the entries' counters.
            black_box(measured_quick(&q, &keys, 0));
            for k in &keys {
                black_box(q.get(&k[..]));
            }
            println!("{}", measured_quick(&q, &keys, n));
            return;
        }
        other => {
            eprintln!("profile_get: unknown peer {other:?} (lru, clock, s3fifo, quick_cache)");
            std::process::exit(2);
        }
    };
    let cache = Cache::builder(CAPACITY)
        .policy(policy)
        .build()
        .expect("valid");
    for (i, k) in keys.iter().enumerate() {
        cache.set(k, i as u64, None).expect("no ttl");
    }
    for k in &keys {
        black_box(cache.get(k));
    }
    println!("{}", measured_sark(&cache, &keys, n));
}
