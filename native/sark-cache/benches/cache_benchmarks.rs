//! sark_cache against reference caches on identical workloads.
//!
//! Every peer stores `Vec<u8>` keys (looked up by `&[u8]`) and `u64` values,
//! with its own default hasher, so a set pays one key allocation everywhere.
//! Keys are built before timing starts. Concurrent groups run on a pool of
//! threads spawned once per benchmark and released per measured batch.
//!
//! Defaults are short (1 s warm-up, 2 s measurement, 50 samples, 10k
//! bootstrap resamples) so the suite fits in minutes on a small machine;
//! Criterion's command-line flags override them.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode,
    Throughput,
};
use dashmap::DashMap;

type Val = u64;

/// The operations each peer is measured on.
trait Peer: Send + Sync + 'static {
    const NAME: &'static str;
    /// DashMap has no capacity bound, so it sits out eviction workloads.
    const EVICTS: bool = true;
    fn with_capacity(capacity: usize) -> Self;
    fn get(&self, key: &[u8]) -> Option<Val>;
    fn set(&self, key: &[u8], value: Val);
    fn delete(&self, key: &[u8]) -> bool;
}

impl Peer for sark_cache::Cache<Val> {
    const NAME: &'static str = "sark_cache";
    fn with_capacity(capacity: usize) -> Self {
        sark_cache::Cache::new(capacity, None).expect("valid capacity")
    }
    fn get(&self, key: &[u8]) -> Option<Val> {
        // An extra pass over the key's first bytes: the real code change the verdict-quality
        // evaluation must detect (evaluation/verdicts).
        #[cfg(feature = "inject-slowdown")]
        std::hint::black_box(
            key.iter()
                .take(3)
                .fold(0u64, |h, &b| h.rotate_left(5) ^ u64::from(b))
                .wrapping_mul(0x9E37_79B9),
        );
        sark_cache::Cache::get(self, key)
    }
    fn set(&self, key: &[u8], value: Val) {
        sark_cache::Cache::set(self, key, value, None).expect("no ttl given");
    }
    fn delete(&self, key: &[u8]) -> bool {
        sark_cache::Cache::delete(self, key)
    }
}

/// sark_cache with a policy other than the default.
macro_rules! sark_with_policy {
    ($ty:ident, $name:literal, $policy:ident) => {
        struct $ty(sark_cache::Cache<Val>);

        impl Peer for $ty {
            const NAME: &'static str = $name;
            fn with_capacity(capacity: usize) -> Self {
                Self(
                    sark_cache::Cache::builder(capacity)
                        .policy(sark_cache::EvictionPolicy::$policy)
                        .build()
                        .expect("valid capacity"),
                )
            }
            fn get(&self, key: &[u8]) -> Option<Val> {
                self.0.get(key)
            }
            fn set(&self, key: &[u8], value: Val) {
                self.0.set(key, value, None).expect("no ttl given");
            }
            fn delete(&self, key: &[u8]) -> bool {
                self.0.delete(key)
            }
        }
    };
}

// The default is S3-FIFO; exact LRU is the option whose reads take the lock exclusively.
// CLOCK reads exactly like S3-FIFO (the same code), so it is not timed separately.
sark_with_policy!(SarkLru, "sark_cache_lru", Lru);

impl Peer for moka::sync::Cache<Vec<u8>, Val> {
    const NAME: &'static str = "moka";
    fn with_capacity(capacity: usize) -> Self {
        moka::sync::Cache::new(capacity as u64)
    }
    fn get(&self, key: &[u8]) -> Option<Val> {
        moka::sync::Cache::get(self, key)
    }
    fn set(&self, key: &[u8], value: Val) {
        self.insert(key.to_vec(), value);
    }
    fn delete(&self, key: &[u8]) -> bool {
        self.remove(key).is_some()
    }
}

impl Peer for quick_cache::sync::Cache<Vec<u8>, Val> {
    const NAME: &'static str = "quick_cache";
    fn with_capacity(capacity: usize) -> Self {
        quick_cache::sync::Cache::new(capacity)
    }
    fn get(&self, key: &[u8]) -> Option<Val> {
        quick_cache::sync::Cache::get(self, key)
    }
    fn set(&self, key: &[u8], value: Val) {
        self.insert(key.to_vec(), value);
    }
    fn delete(&self, key: &[u8]) -> bool {
        self.remove(key).is_some()
    }
}

struct LruMutex(std::sync::Mutex<lru::LruCache<Vec<u8>, Val>>);

impl Peer for LruMutex {
    const NAME: &'static str = "lru_mutex";
    fn with_capacity(capacity: usize) -> Self {
        let cap = std::num::NonZeroUsize::new(capacity).expect("capacity > 0");
        Self(std::sync::Mutex::new(lru::LruCache::new(cap)))
    }
    fn get(&self, key: &[u8]) -> Option<Val> {
        self.0.lock().expect("not poisoned").get(key).copied()
    }
    fn set(&self, key: &[u8], value: Val) {
        self.0
            .lock()
            .expect("not poisoned")
            .put(key.to_vec(), value);
    }
    fn delete(&self, key: &[u8]) -> bool {
        self.0.lock().expect("not poisoned").pop(key).is_some()
    }
}

impl Peer for DashMap<Vec<u8>, Val> {
    const NAME: &'static str = "dashmap";
    const EVICTS: bool = false;
    fn with_capacity(capacity: usize) -> Self {
        DashMap::with_capacity(capacity)
    }
    fn get(&self, key: &[u8]) -> Option<Val> {
        DashMap::get(self, key).map(|v| *v)
    }
    fn set(&self, key: &[u8], value: Val) {
        self.insert(key.to_vec(), value);
    }
    fn delete(&self, key: &[u8]) -> bool {
        self.remove(key).is_some()
    }
}

type SarkCache = sark_cache::Cache<Val>;
type Moka = moka::sync::Cache<Vec<u8>, Val>;
type QuickCache = quick_cache::sync::Cache<Vec<u8>, Val>;
type Dash = DashMap<Vec<u8>, Val>;

/// Runs `$body::<P>` for every peer type, in report order.
macro_rules! for_each_peer {
    ($body:ident ( $($arg:expr),* )) => {
        $body::<SarkCache>($($arg),*);
        $body::<SarkLru>($($arg),*);
        $body::<Moka>($($arg),*);
        $body::<QuickCache>($($arg),*);
        $body::<LruMutex>($($arg),*);
        $body::<Dash>($($arg),*);
    };
}

fn keys(prefix: &str, n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| format!("{prefix}:{i:010}").into_bytes())
        .collect()
}

fn filled<P: Peer>(capacity: usize, keys: &[Vec<u8>]) -> P {
    let cache = P::with_capacity(capacity);
    for (i, k) in keys.iter().take(capacity).enumerate() {
        cache.set(k, i as Val);
    }
    cache
}

const CAPACITY: usize = 10_000;

/// Reads cycling over `lookups` from a cache holding `resident`.
fn bench_get<P: Peer>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    id: BenchmarkId,
    resident: &[Vec<u8>],
    lookups: &[Vec<u8>],
) {
    let cache: P = filled(resident.len(), resident);
    let mut i = 0;
    g.bench_function(id, |b| {
        b.iter(|| {
            let k = &lookups[i];
            i = if i + 1 == lookups.len() { 0 } else { i + 1 };
            black_box(cache.get(black_box(k)))
        })
    });
}

/// Sets keys never resident when set, into a full cache of `capacity`: every
/// set evicts. `ring` holds 4 × capacity keys so a key has long been evicted
/// when the ring comes back to it.
fn bench_set_new<P: Peer>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    id: BenchmarkId,
    capacity: usize,
    ring: &[Vec<u8>],
) {
    if !P::EVICTS {
        return;
    }
    let cache: P = filled(capacity, ring);
    let mut i = capacity % ring.len();
    g.bench_function(id, |b| {
        b.iter(|| {
            cache.set(black_box(&ring[i]), i as Val);
            i = if i + 1 == ring.len() { 0 } else { i + 1 };
        })
    });
}

/// A group of reads from a full cache of CAPACITY: hits when `absent_prefix`
/// is `None`, otherwise misses on keys that were never set.
fn get_group(c: &mut Criterion, name: &str, absent_prefix: Option<&str>) {
    let resident = keys("key", CAPACITY);
    let lookups = absent_prefix.map_or_else(|| resident.clone(), |p| keys(p, CAPACITY));
    let mut g = c.benchmark_group(name);
    fn one<P: Peer>(g: &mut BenchmarkGroup<'_, WallTime>, r: &[Vec<u8>], l: &[Vec<u8>]) {
        bench_get::<P>(g, BenchmarkId::from_parameter(P::NAME), r, l);
    }
    for_each_peer!(one(&mut g, &resident, &lookups));
    g.finish();
}

fn cache_get_warm(c: &mut Criterion) {
    get_group(c, "cache_get_warm", None);
}

fn cache_get_miss(c: &mut Criterion) {
    get_group(c, "cache_get_miss", Some("absent"));
}

/// A group of sets of new keys into a full cache of `capacity`.
fn set_new_group(c: &mut Criterion, name: &str, capacity: usize) {
    let ring = keys("key", 4 * capacity);
    let mut g = c.benchmark_group(name);
    fn one<P: Peer>(g: &mut BenchmarkGroup<'_, WallTime>, capacity: usize, ring: &[Vec<u8>]) {
        bench_set_new::<P>(g, BenchmarkId::from_parameter(P::NAME), capacity, ring);
    }
    for_each_peer!(one(&mut g, capacity, &ring));
    g.finish();
}

fn cache_set(c: &mut Criterion) {
    set_new_group(c, "cache_set", CAPACITY);
}

fn cache_eviction(c: &mut Criterion) {
    set_new_group(c, "cache_eviction", 100);
}

fn cache_delete(c: &mut Criterion) {
    let resident = keys("key", CAPACITY);
    let mut g = c.benchmark_group("cache_delete");
    fn one<P: Peer>(g: &mut BenchmarkGroup<'_, WallTime>, resident: &[Vec<u8>]) {
        let cache: P = filled(CAPACITY, resident);
        g.bench_function(BenchmarkId::from_parameter(P::NAME), |b| {
            b.iter_custom(|iters| {
                let mut left = iters as usize;
                let mut timed = Duration::ZERO;
                while left > 0 {
                    let chunk = &resident[..left.min(resident.len())];
                    // Refill what the previous chunk deleted, untimed.
                    for (i, k) in chunk.iter().enumerate() {
                        cache.set(k, i as Val);
                    }
                    let start = Instant::now();
                    for k in chunk {
                        black_box(cache.delete(black_box(k)));
                    }
                    timed += start.elapsed();
                    left -= chunk.len();
                }
                timed
            })
        });
    }
    for_each_peer!(one(&mut g, &resident));
    g.finish();
}

const SIZES: [usize; 4] = [100, 1_000, 10_000, 100_000];

fn cache_scaling_get(c: &mut Criterion) {
    let mut g = c.benchmark_group("cache_scaling_get");
    for size in SIZES {
        let resident = keys("key", size);
        fn one<P: Peer>(g: &mut BenchmarkGroup<'_, WallTime>, k: &[Vec<u8>]) {
            bench_get::<P>(g, BenchmarkId::new(P::NAME, k.len()), k, k);
        }
        for_each_peer!(one(&mut g, &resident));
    }
    g.finish();
}

fn cache_scaling_set(c: &mut Criterion) {
    let mut g = c.benchmark_group("cache_scaling_set");
    for size in SIZES {
        let ring = keys("key", 4 * size);
        fn one<P: Peer>(g: &mut BenchmarkGroup<'_, WallTime>, size: usize, ring: &[Vec<u8>]) {
            bench_set_new::<P>(g, BenchmarkId::new(P::NAME, size), size, ring);
        }
        for_each_peer!(one(&mut g, size, &ring));
    }
    g.finish();
}

/// Worker threads that live for one benchmark: each measured batch releases
/// them through a barrier and ends when the last one is done, so thread
/// start-up is never timed.
struct Pool {
    start: Arc<Barrier>,
    end: Arc<Barrier>,
    iters: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    handles: Vec<JoinHandle<()>>,
}

impl Pool {
    fn new<F>(threads: usize, work: F) -> Self
    where
        F: Fn(usize, u64) + Send + Sync + 'static,
    {
        let start = Arc::new(Barrier::new(threads + 1));
        let end = Arc::new(Barrier::new(threads + 1));
        let iters = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let work = Arc::new(work);
        let handles = (0..threads)
            .map(|t| {
                let (start, end, iters, stop, work) = (
                    start.clone(),
                    end.clone(),
                    iters.clone(),
                    stop.clone(),
                    work.clone(),
                );
                std::thread::spawn(move || loop {
                    start.wait();
                    if stop.load(Ordering::Acquire) {
                        return;
                    }
                    work(t, iters.load(Ordering::Acquire));
                    end.wait();
                })
            })
            .collect();
        Self {
            start,
            end,
            iters,
            stop,
            handles,
        }
    }

    fn run(&self, iters: u64) -> Duration {
        self.iters.store(iters, Ordering::Release);
        let t0 = Instant::now();
        self.start.wait();
        self.end.wait();
        t0.elapsed()
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        self.start.wait();
        for h in self.handles.drain(..) {
            h.join().expect("worker exited cleanly");
        }
    }
}

const THREADS: [usize; 5] = [1, 2, 4, 8, 16];
/// Operations per thread in one Criterion iteration.
const OPS_PER_THREAD: u64 = 1_000;

/// `op(cache, key_index, thread)` run OPS_PER_THREAD times per iteration by
/// each of `threads` workers, each starting at its own offset in `keys`.
fn bench_concurrent<P: Peer>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    threads: usize,
    cache: Arc<P>,
    keys: Arc<Vec<Vec<u8>>>,
    op: fn(&P, &[u8], usize),
) {
    g.throughput(Throughput::Elements(threads as u64 * OPS_PER_THREAD));
    let pool = Pool::new(threads, move |t, iters| {
        let n = keys.len();
        let mut i = t * n / threads;
        for _ in 0..iters * OPS_PER_THREAD {
            op(&cache, &keys[i], i);
            i = if i + 1 == n { 0 } else { i + 1 };
        }
    });
    g.bench_function(BenchmarkId::new(P::NAME, threads), |b| {
        b.iter_custom(|iters| pool.run(iters))
    });
}

fn cache_concurrent_reads(c: &mut Criterion) {
    let resident = Arc::new(keys("key", CAPACITY));
    let mut g = c.benchmark_group("cache_concurrent_reads");
    g.sampling_mode(SamplingMode::Flat);
    fn one<P: Peer>(g: &mut BenchmarkGroup<'_, WallTime>, keys: &Arc<Vec<Vec<u8>>>) {
        for threads in THREADS {
            let cache = Arc::new(filled::<P>(CAPACITY, keys));
            bench_concurrent(g, threads, cache, keys.clone(), |c, k, _| {
                black_box(c.get(k));
            });
        }
    }
    for_each_peer!(one(&mut g, &resident));
    g.finish();
}

fn cache_concurrent_writes(c: &mut Criterion) {
    // Twice the capacity: about half the sets replace, half evict.
    let pool = Arc::new(keys("key", 2 * CAPACITY));
    let mut g = c.benchmark_group("cache_concurrent_writes");
    g.sampling_mode(SamplingMode::Flat);
    fn one<P: Peer>(g: &mut BenchmarkGroup<'_, WallTime>, keys: &Arc<Vec<Vec<u8>>>) {
        for threads in THREADS {
            let cache = Arc::new(filled::<P>(CAPACITY, keys));
            bench_concurrent(g, threads, cache, keys.clone(), |c, k, i| {
                c.set(k, i as Val);
            });
        }
    }
    for_each_peer!(one(&mut g, &pool));
    g.finish();
}

criterion_group! {
    name = benches;
    // configure_from_args() runs after this, so command-line flags win.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
        // Bootstrap resampling and its plots dominate a short benchmark's
        // wall time; 10k resamples keep the confidence intervals usable.
        .nresamples(10_000);
    targets = cache_get_warm, cache_get_miss, cache_set, cache_delete, cache_eviction,
        cache_concurrent_reads, cache_concurrent_writes, cache_scaling_get, cache_scaling_set
}
criterion_main!(benches);
