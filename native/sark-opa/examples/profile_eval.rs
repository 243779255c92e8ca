//! A fixed amount of evaluation work for Valgrind's Callgrind, whose instruction counts do not
//! depend on machine load: `scripts/callgrind.sh` runs this and divides by the count.
//! `profile_eval RULE N [CASE]`: loads `policies/`, evaluates RULE once to build this thread's
//! engine and VM, then N more times inside `measured`, the one function Callgrind collects.
use sark_opa::PolicySet;
use serde_json::Value;

#[inline(never)]
fn measured(set: &PolicySet, rule: &str, input: &Value, n: u64) {
    for _ in 0..n {
        std::hint::black_box(set.evaluate(rule, std::hint::black_box(input)).unwrap());
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rule = args
        .next()
        .unwrap_or_else(|| "data.sark.authz.decision".into());
    let n: u64 = args
        .next()
        .map_or(100, |s| s.parse().expect("N is a number"));
    let case = args
        .next()
        .unwrap_or_else(|| "developer_high_allowed".into());
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/policies");
    let set = PolicySet::new();
    set.load_dir(dir).unwrap();
    let path = format!("{}/fixtures/cases/{case}.json", env!("CARGO_MANIFEST_DIR"));
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let input = &case["input"];
    set.evaluate(&rule, input).unwrap();
    measured(&set, &rule, input, n);
}
