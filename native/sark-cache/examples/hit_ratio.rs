//! Hit ratio of each eviction policy on Zipf-distributed keys, read-through (a miss sets the
//! key), the access pattern SARK's caches see. The trace has a fixed seed; the caches hash
//! with random seeds, which moves sharded figures by a few hundredths of a point between runs.
//! `cargo run --release -p sark-cache --example hit_ratio`.

use sark_cache::{Cache, EvictionPolicy};

const KEYS: usize = 100_000;
const ACCESSES: usize = 2_000_000;

/// splitmix64: a tiny, well-mixed generator, enough for sampling.
struct Rng(u64);

impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Key ranks drawn from Zipf(`s`) over `KEYS` keys by inverting the CDF.
fn zipf_trace(s: f64, seed: u64) -> Vec<usize> {
    let mut cdf = Vec::with_capacity(KEYS);
    let mut sum = 0.0;
    for rank in 1..=KEYS {
        sum += 1.0 / (rank as f64).powf(s);
        cdf.push(sum);
    }
    let mut rng = Rng(seed);
    (0..ACCESSES)
        .map(|_| {
            let u = rng.next_f64() * sum;
            cdf.partition_point(|&c| c < u).min(KEYS - 1)
        })
        .collect()
}

fn ratio(trace: &[usize], keys: &[Vec<u8>], get_or_set: &mut dyn FnMut(&[u8]) -> bool) -> f64 {
    let hits = trace.iter().filter(|&&r| get_or_set(&keys[r])).count();
    hits as f64 / trace.len() as f64
}

fn sark(policy: EvictionPolicy, shards: Option<usize>, capacity: usize) -> Cache<u32> {
    let b = Cache::builder(capacity).policy(policy);
    match shards {
        Some(n) => b.shards(n).build().unwrap(),
        None => b.build().unwrap(),
    }
}

fn main() {
    let keys: Vec<Vec<u8>> = (0..KEYS)
        .map(|i| format!("key:{i:010}").into_bytes())
        .collect();
    println!("Read-through hit ratio, {ACCESSES} accesses over {KEYS} keys (Zipf s), capacity as a share of the keys");
    println!();
    println!(
        "| Zipf s | capacity | sark LRU (1 shard) | sark LRU | sark CLOCK | sark S3-FIFO | quick_cache | moka |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for s in [0.7, 0.9, 1.1] {
        let trace = zipf_trace(s, 42);
        for share in [0.01, 0.1] {
            let capacity = (KEYS as f64 * share) as usize;
            let mut row = Vec::new();
            for (policy, shards) in [
                (EvictionPolicy::Lru, Some(1)),
                (EvictionPolicy::Lru, None),
                (EvictionPolicy::Clock, None),
                (EvictionPolicy::S3Fifo, None),
            ] {
                let c = sark(policy, shards, capacity);
                row.push(ratio(&trace, &keys, &mut |k| {
                    c.get(k).is_some() || {
                        c.set(k, 0, None).unwrap();
                        false
                    }
                }));
            }
            let q = quick_cache::sync::Cache::<Vec<u8>, u32>::new(capacity);
            row.push(ratio(&trace, &keys, &mut |k| {
                q.get(k).is_some() || {
                    q.insert(k.to_vec(), 0);
                    false
                }
            }));
            let m = moka::sync::Cache::<Vec<u8>, u32>::new(capacity as u64);
            row.push(ratio(&trace, &keys, &mut |k| {
                m.get(k).is_some() || {
                    m.insert(k.to_vec(), 0);
                    false
                }
            }));
            let cells: Vec<String> = row.iter().map(|r| format!("{:.2}%", r * 100.0)).collect();
            println!("| {s} | {:.0}% | {} |", share * 100.0, cells.join(" | "));
        }
    }
}
