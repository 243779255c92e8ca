//! Criterion benchmarks for the embedded engine. Defaults are short (1 s warm-up, 2 s
//! measurement) for CI; `cargo bench -- --warm-up-time X --measurement-time Y` overrides them.

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sark_opa::PolicySet;
use serde_json::{json, Value};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(crate_dir().join(rel)).expect("fixture readable")
}

fn case_input(name: &str) -> Value {
    let case: Value = serde_json::from_str(&read(&format!("fixtures/cases/{name}.json"))).unwrap();
    case["input"].clone()
}

/// The SARK policy modules and data, read once so compilation timings exclude file I/O.
type Sources = (Vec<(String, String)>, Vec<(String, Value)>);

fn sark_sources() -> Sources {
    let mut modules = Vec::new();
    for entry in std::fs::read_dir(crate_dir().join("policies")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".rego") && !name.ends_with("_test.rego") {
            modules.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    modules.sort();
    let data = vec![(
        "data.json".to_string(),
        serde_json::from_str(&read("policies/data.json")).unwrap(),
    )];
    (modules, data)
}

fn sark_set() -> PolicySet {
    let (modules, data) = sark_sources();
    let set = PolicySet::new();
    set.replace_all(modules, data).unwrap();
    set
}

const COMPLEX_QUERY: &str = "data.sark.authz.decision";

fn simple_policy(c: &mut Criterion) {
    let set = PolicySet::new();
    set.load_module("simple.rego", &read("policies/simple.rego"))
        .unwrap();
    let input = json!({"user": {"id": "alice", "roles": ["developer"]}, "action": "tool:invoke"});
    assert_eq!(
        set.evaluate("data.sark.simple.allow", &input)
            .unwrap()
            .as_bool(),
        Some(true)
    );
    c.bench_function("opa_simple_policy", |b| {
        b.iter(|| {
            set.evaluate("data.sark.simple.allow", std::hint::black_box(&input))
                .unwrap()
        })
    });
}

fn complex_policy(c: &mut Criterion) {
    let set = sark_set();
    let input = case_input("developer_high_allowed");
    let decision = set.evaluate(COMPLEX_QUERY, &input).unwrap();
    assert_eq!(decision.value().unwrap()["allow"], json!(true));
    c.bench_function("opa_complex_policy", |b| {
        b.iter(|| {
            set.evaluate(COMPLEX_QUERY, std::hint::black_box(&input))
                .unwrap()
        })
    });
}

/// `n` independent allow rules; the input matches only the last one, so evaluation has to
/// try them all.
fn scaling_policy(n: usize) -> String {
    let mut src = String::from("package scale\n\ndefault allow := false\n");
    for i in 0..n {
        src.push_str(&format!(
            "\nallow if {{\n\tinput.user.role == \"role_{i}\"\n\tinput.action == \"action_{i}\"\n}}\n"
        ));
    }
    src
}

fn complexity_scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("opa_complexity_scaling");
    for n in [1usize, 5, 10, 20, 100] {
        let set = PolicySet::new();
        set.load_module("scale.rego", &scaling_policy(n)).unwrap();
        let last = n - 1;
        let input =
            json!({"user": {"role": format!("role_{last}")}, "action": format!("action_{last}")});
        assert_eq!(
            set.evaluate("data.scale.allow", &input).unwrap().as_bool(),
            Some(true)
        );
        group.bench_with_input(BenchmarkId::from_parameter(n), &input, |b, input| {
            b.iter(|| {
                set.evaluate("data.scale.allow", std::hint::black_box(input))
                    .unwrap()
            })
        });
    }
    group.finish();
}

fn batch_inputs() -> Vec<Value> {
    let names = [
        "developer_high_allowed",
        "developer_critical_no_grant",
        "viewer_list_low_allowed",
        "admin_without_mfa",
        "blocked_ip",
        "manager_critical_in_hours",
        "high_tool_outside_allow_list_stale_mfa",
        "service_medium_allowed",
    ];
    let cases: Vec<Value> = names.iter().map(|n| case_input(n)).collect();
    (0..100)
        .map(|i| {
            let mut input = cases[i % cases.len()].clone();
            if let Some(user) = input.get_mut("user") {
                user["id"] = json!(format!("user-{i}"));
            }
            input
        })
        .collect()
}

fn batch(c: &mut Criterion) {
    let set = sark_set();
    let inputs = batch_inputs();
    let mut group = c.benchmark_group("opa_batch");
    group.throughput(Throughput::Elements(inputs.len() as u64));
    group.bench_function(BenchmarkId::from_parameter(inputs.len()), |b| {
        b.iter(|| {
            let results = set.evaluate_batch(COMPLEX_QUERY, std::hint::black_box(&inputs));
            assert!(results.iter().all(Result::is_ok));
            results
        })
    });
    group.finish();
}

/// Persistent evaluation threads, spawned before measurement. Each `run(n)` hands every
/// worker its share of `n` evaluations and returns the wall time until the last finishes,
/// so thread start-up never lands in the timed region.
struct Workers {
    senders: Vec<mpsc::Sender<u64>>,
    done: mpsc::Receiver<()>,
    handles: Vec<JoinHandle<()>>,
}

impl Workers {
    fn spawn(threads: usize, set: &Arc<PolicySet>, input: &Value) -> Self {
        let (done_tx, done) = mpsc::channel();
        let mut senders = Vec::new();
        let mut handles = Vec::new();
        for _ in 0..threads {
            let (tx, rx) = mpsc::channel::<u64>();
            let (set, input, done_tx) = (Arc::clone(set), input.clone(), done_tx.clone());
            handles.push(std::thread::spawn(move || {
                // First evaluation outside any timing: creates this thread's engine clone.
                set.evaluate(COMPLEX_QUERY, &input).unwrap();
                for count in rx {
                    for _ in 0..count {
                        std::hint::black_box(
                            set.evaluate(COMPLEX_QUERY, std::hint::black_box(&input))
                                .unwrap(),
                        );
                    }
                    done_tx.send(()).unwrap();
                }
            }));
            senders.push(tx);
        }
        Workers {
            senders,
            done,
            handles,
        }
    }

    fn run(&self, total: u64) -> Duration {
        let threads = self.senders.len() as u64;
        let start = Instant::now();
        for (i, tx) in self.senders.iter().enumerate() {
            // Spread the remainder so exactly `total` evaluations run.
            let share = total / threads + u64::from((i as u64) < total % threads);
            tx.send(share).unwrap();
        }
        for _ in 0..threads {
            self.done.recv().unwrap();
        }
        start.elapsed()
    }

    fn stop(self) {
        drop(self.senders);
        for h in self.handles {
            h.join().unwrap();
        }
    }
}

fn concurrent(c: &mut Criterion) {
    let set = Arc::new(sark_set());
    let input = case_input("developer_high_allowed");
    let mut group = c.benchmark_group("opa_concurrent");
    // One element = one evaluation, so throughput is evaluations/s across all threads.
    group.throughput(Throughput::Elements(1));
    for threads in [1usize, 2, 4, 8, 16] {
        let workers = Workers::spawn(threads, &set, &input);
        group.bench_function(BenchmarkId::from_parameter(threads), |b| {
            b.iter_custom(|iters| workers.run(iters))
        });
        workers.stop();
    }
    group.finish();
}

fn compilation(c: &mut Criterion) {
    let (modules, data) = sark_sources();
    c.bench_function("opa_compilation", |b| {
        b.iter(|| {
            let set = PolicySet::new();
            set.replace_all(modules.clone(), data.clone()).unwrap();
            set
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = simple_policy, complex_policy, complexity_scaling, batch, concurrent, compilation
}
criterion_main!(benches);
