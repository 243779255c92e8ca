//! A bench target (harness = false) over the harness's whole API, for its tests: each routine's
//! work is `work(n)`, linear in n, so the counts can be checked against each other.
use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Mutex, OnceLock};
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
use std::time::Duration;

use criterion::async_executor::AsyncExecutor;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};

fn work(n: u64) -> u64 {
    let mut x = 0u64;
    for i in 0..n {
        x = black_box(x.wrapping_mul(31).wrapping_add(i));
    }
    x
}

/// Setup that would dominate the count if it were counted.
fn setup() -> u64 {
    assert!(
        !criterion::__bench_action_window_open(),
        "setup ran inside the measuring window"
    );
    black_box(work(100_000) | 1) % 2 + 999
}

/// The smallest executor: polls until ready (the futures here never wait).
struct Spin;

fn noop_waker() -> Waker {
    fn clone(_: *const ()) -> RawWaker {
        RawWaker::new(std::ptr::null(), &VTABLE)
    }
    fn noop(_: *const ()) {}
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, noop, noop, noop);
    // SAFETY: the vtable's functions ignore the null data pointer.
    unsafe { Waker::from_raw(clone(std::ptr::null())) }
}

impl AsyncExecutor for Spin {
    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        let mut future = pin!(future);
        let waker = noop_waker();
        let mut cx = Context::from_waker(&waker);
        loop {
            if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }
}

fn plain(c: &mut Criterion) {
    c.bench_function("empty", |b| b.iter(|| ()));
    c.bench_function("iter/1000", |b| b.iter(|| work(1000)));
    c.bench_function("iter/2000", |b| b.iter(|| work(2000)));
    c.bench_with_input(BenchmarkId::new("input", 1000), &1000u64, |b, &n| {
        b.iter(|| work(n))
    });
}

fn groups(c: &mut Criterion) {
    let mut g = c.benchmark_group("setups");
    g.throughput(Throughput::Elements(1000))
        .sample_size(10)
        .measurement_time(Duration::from_secs(1));
    g.bench_function("batched", |b| {
        b.iter_batched(setup, |s| work(s + 1), BatchSize::SmallInput)
    });
    g.bench_function("batched_ref", |b| {
        b.iter_batched_ref(setup, |s| work(*s + 1), BatchSize::LargeInput)
    });
    g.bench_function("with_setup", |b| b.iter_with_setup(setup, |s| work(s + 1)));
    g.bench_function("large_drop", |b| {
        b.iter_with_large_drop(|| vec![work(1000); 4])
    });
    g.bench_function(BenchmarkId::from_parameter("custom"), |b| {
        b.iter_custom(Duration::from_nanos)
    });
    g.bench_with_input(BenchmarkId::new("async", 1000), &1000u64, |b, &n| {
        b.to_async(Spin).iter(|| async move { work(n) })
    });
    g.bench_function("panics", |b| b.iter(|| -> u64 { panic!("on purpose") }));
    g.finish();
}

/// A worker started before the benchmark, fed through a channel: no thread starts in the window.
fn pool() -> &'static Mutex<(Sender<u64>, Receiver<u64>)> {
    static POOL: OnceLock<Mutex<(Sender<u64>, Receiver<u64>)>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (jobs, inbox) = channel::<u64>();
        let (results, answers) = channel::<u64>();
        std::thread::spawn(move || {
            for n in inbox {
                results.send(work(n)).unwrap();
            }
        });
        Mutex::new((jobs, answers))
    })
}

/// Work on other threads, which Callgrind does not count: these get no count.
fn threads(c: &mut Criterion) {
    let mut g = c.benchmark_group("threads");
    g.bench_function("scoped", |b| {
        b.iter(|| std::thread::scope(|s| s.spawn(|| work(1_000_000)).join().unwrap()))
    });
    let worker = pool();
    g.bench_function("pool", |b| {
        b.iter(|| {
            let worker = worker.lock().unwrap();
            worker.0.send(1_000_000).unwrap();
            worker.1.recv().unwrap()
        })
    });
    g.finish();
}

criterion_group!(plain_benches, plain);
criterion_group! {
    name = configured;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_millis(1)).without_plots();
    targets = groups
}
criterion_group!(threaded, threads);
criterion_main!(plain_benches, configured, threaded);
