//! Per-rule evaluation cost of the SARK policy set through `PolicySet::evaluate`, to see
//! which part of the main decision dominates. `cargo run --release --example rule_costs`.
use std::time::Instant;

use sark_opa::PolicySet;

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/policies");
    let set = PolicySet::new();
    set.load_dir(dir).unwrap();
    let case = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/cases/developer_high_allowed.json"
    );
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case).unwrap()).unwrap();
    let input = &case["input"];
    for rule in [
        "data.sark.simple.allow",
        "data.sark.rbac.action_permitted",
        "data.sark.sensitivity.cleared",
        "data.sark.team.owner_manager",
        "data.sark.network.permitted",
        "data.sark.mfa.ok",
        "data.sark.business_hours.ok",
        "data.sark.business_hours.hour",
        "data.sark.authz.grant",
        "data.sark.authz.denials",
        "data.sark.authz.allow",
        "data.sark.authz.reason",
        "data.sark.authz.audit",
        "data.sark.authz.decision",
    ] {
        let n = 5000;
        set.evaluate(rule, input).unwrap();
        let start = Instant::now();
        for _ in 0..n {
            std::hint::black_box(set.evaluate(rule, std::hint::black_box(input)).unwrap());
        }
        println!("{rule:40} {:>10.2?}", start.elapsed() / n);
    }
}
