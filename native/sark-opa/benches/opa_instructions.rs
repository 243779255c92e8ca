//! Instruction counts of sark-opa's evaluation and compilation, under Valgrind
//! (gungraun). The setup compiles the policies and evaluates once, so caches
//! the first evaluation fills are warm; only the benchmarked call is counted.
//! Inputs are the fixed cases the Criterion suite uses (opa_benchmarks.rs).

use std::hint::black_box;
use std::path::PathBuf;

use gungraun::{library_benchmark, library_benchmark_group, main};
use sark_opa::PolicySet;
use serde_json::{json, Value};

const COMPLEX_QUERY: &str = "data.sark.authz.decision";
const SIMPLE_QUERY: &str = "data.sark.simple.allow";

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(crate_dir().join(rel)).expect("fixture readable")
}

fn case_input(name: &str) -> Value {
    let case: Value =
        serde_json::from_str(&read(&format!("fixtures/cases/{name}.json"))).expect("case");
    case["input"].clone()
}

type Sources = (Vec<(String, String)>, Vec<(String, Value)>);

fn sark_sources() -> Sources {
    let mut modules = Vec::new();
    for entry in std::fs::read_dir(crate_dir().join("policies")).expect("policies") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".rego") && !name.ends_with("_test.rego") {
            modules.push((name, std::fs::read_to_string(&path).expect("module")));
        }
    }
    modules.sort();
    let data = vec![(
        "data.json".to_string(),
        serde_json::from_str(&read("policies/data.json")).expect("data"),
    )];
    (modules, data)
}

fn sark_set() -> PolicySet {
    let (modules, data) = sark_sources();
    let set = PolicySet::new();
    set.replace_all(modules, data).expect("policies compile");
    set
}

fn simple_setup() -> (PolicySet, Value) {
    let set = PolicySet::new();
    set.load_module("simple.rego", &read("policies/simple.rego"))
        .expect("compiles");
    let input = json!({"user": {"id": "alice", "roles": ["developer"]}, "action": "tool:invoke"});
    assert_eq!(
        set.evaluate(SIMPLE_QUERY, &input).expect("eval").as_bool(),
        Some(true)
    );
    (set, input)
}

fn complex_setup() -> (PolicySet, Value) {
    let set = sark_set();
    let input = case_input("developer_high_allowed");
    let decision = set.evaluate(COMPLEX_QUERY, &input).expect("eval");
    assert_eq!(decision.value().expect("defined")["allow"], json!(true));
    (set, input)
}

/// The Criterion suite's batch: 100 inputs cycling over eight SARK cases.
fn batch_setup() -> (PolicySet, Vec<Value>) {
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
    let inputs: Vec<Value> = (0..100)
        .map(|i| {
            let mut input = cases[i % cases.len()].clone();
            if let Some(user) = input.get_mut("user") {
                user["id"] = json!(format!("user-{i}"));
            }
            input
        })
        .collect();
    let set = sark_set();
    assert!(set
        .evaluate_batch(COMPLEX_QUERY, &inputs)
        .iter()
        .all(Result::is_ok));
    (set, inputs)
}

// Each benchmark returns what it was given, so dropping the compiled policies
// happens outside the counted function.

mod simple {
    use super::*;
    #[library_benchmark]
    #[bench::allow(setup = simple_setup)]
    pub fn sark_opa((set, input): (PolicySet, Value)) -> (PolicySet, Value, bool) {
        let allowed = set
            .evaluate(SIMPLE_QUERY, black_box(&input))
            .expect("eval")
            .as_bool()
            == Some(true);
        (set, input, allowed)
    }
    library_benchmark_group!(name = opa_simple_policy; benchmarks = sark_opa);
}

mod complex {
    use super::*;
    #[library_benchmark]
    #[bench::decision(setup = complex_setup)]
    pub fn sark_opa((set, input): (PolicySet, Value)) -> (PolicySet, Value, bool) {
        let defined = !set
            .evaluate(COMPLEX_QUERY, black_box(&input))
            .expect("eval")
            .is_undefined();
        (set, input, defined)
    }
    library_benchmark_group!(name = opa_complex_policy; benchmarks = sark_opa);
}

mod batch {
    use super::*;
    #[library_benchmark]
    #[bench::inputs_100(setup = batch_setup)]
    pub fn sark_opa((set, inputs): (PolicySet, Vec<Value>)) -> (PolicySet, Vec<Value>, usize) {
        let ok = set
            .evaluate_batch(COMPLEX_QUERY, black_box(&inputs))
            .iter()
            .filter(|r| r.is_ok())
            .count();
        (set, inputs, ok)
    }
    library_benchmark_group!(name = opa_batch; benchmarks = sark_opa);
}

mod compilation {
    use super::*;
    #[library_benchmark]
    #[bench::sark_policies(setup = sark_sources)]
    pub fn sark_opa((modules, data): Sources) -> PolicySet {
        let set = PolicySet::new();
        set.replace_all(black_box(modules), black_box(data))
            .expect("policies compile");
        set
    }
    library_benchmark_group!(name = opa_compilation; benchmarks = sark_opa);
}

use batch::opa_batch;
use compilation::opa_compilation;
use complex::opa_complex_policy;
use simple::opa_simple_policy;

main!(
    library_benchmark_groups = opa_simple_policy,
    opa_complex_policy,
    opa_batch,
    opa_compilation
);
