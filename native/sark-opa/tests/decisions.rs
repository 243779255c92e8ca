//! Table-driven decisions: every fixture case under fixtures/cases records an input and the
//! expected value of several queries (checked against the real OPA by scripts/crosscheck.sh),
//! plus queries that must be undefined rather than false.

use std::path::{Path, PathBuf};

use sark_opa::{Evaluation, PolicySet};
use serde_json::{json, Value};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sark_policies() -> PolicySet {
    let set = PolicySet::new();
    set.load_dir(crate_dir().join("policies")).unwrap();
    set
}

fn cases() -> Vec<(String, Value)> {
    let mut cases: Vec<_> = std::fs::read_dir(crate_dir().join("fixtures/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p: PathBuf| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (
                name,
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap(),
            )
        })
        .collect();
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases
}

#[test]
fn every_fixture_case_gets_its_expected_decision() {
    let set = sark_policies();
    let cases = cases();
    assert!(cases.len() >= 10, "fixture cases missing");
    for (name, case) in &cases {
        let input = &case["input"];
        for (query, expected) in case["expect"].as_object().unwrap() {
            let got = set.evaluate(query, input).unwrap();
            assert_eq!(
                got,
                Evaluation::Defined(expected.clone()),
                "{name}: {query}"
            );
        }
        for query in case["undefined"].as_array().into_iter().flatten() {
            let query = query.as_str().unwrap();
            assert_eq!(
                set.evaluate(query, input).unwrap(),
                Evaluation::Undefined,
                "{name}: {query}"
            );
        }
    }
}

#[test]
fn the_same_decisions_through_json_text_and_batch() {
    let set = sark_policies();
    let cases = cases();
    let inputs: Vec<Value> = cases.iter().map(|(_, c)| c["input"].clone()).collect();
    let batch = set.evaluate_batch("data.sark.authz.allow", &inputs);
    for ((name, case), got) in cases.iter().zip(batch) {
        let expected = &case["expect"]["data.sark.authz.allow"];
        assert_eq!(got.unwrap().value(), Some(expected), "{name} (batch)");
        let text = case["input"].to_string();
        let got = set.evaluate_json("data.sark.authz.allow", &text).unwrap();
        assert_eq!(got.value(), Some(expected), "{name} (json text)");
    }
}

#[test]
fn deny_by_default_for_empty_and_missing_input() {
    let set = sark_policies();
    let decision = set
        .evaluate("data.sark.authz.decision", &json!({}))
        .unwrap();
    assert_eq!(decision.value().unwrap()["allow"], json!(false));
    assert_eq!(decision.value().unwrap()["reason"], json!("no_grant"));
    // No input at all (OPA's GET /v1/data) still gets the default, not undefined.
    assert_eq!(
        set.evaluate_opt("data.sark.authz.allow", None)
            .unwrap()
            .as_bool(),
        Some(false)
    );
}

#[test]
fn undefined_is_not_false() {
    let set = PolicySet::new();
    set.load_module(
        "u.rego",
        "package u\ndefault with_default := false\nwith_default if input.ok\nno_default if input.ok\n",
    )
    .unwrap();
    let no = json!({"ok": false});
    assert_eq!(
        set.evaluate("data.u.with_default", &no).unwrap(),
        Evaluation::Defined(json!(false))
    );
    assert_eq!(
        set.evaluate("data.u.no_default", &no).unwrap(),
        Evaluation::Undefined
    );
    assert_eq!(
        set.evaluate("data.u.no_default", &no).unwrap().as_bool(),
        None
    );
    // Queries (not plain rule paths) follow the same rule.
    assert_eq!(
        set.evaluate("data.u.no_default == true", &no).unwrap(),
        Evaluation::Undefined
    );
    assert_eq!(
        set.query("data.u.no_default", Some(&no)).unwrap(),
        json!({})
    );
}

#[test]
fn package_paths_and_queries_evaluate() {
    let set = sark_policies();
    let admin = json!({"user": {"roles": ["admin"]}, "action": "tool:list"});
    let pkg = set.evaluate("data.sark.simple", &admin).unwrap();
    assert_eq!(pkg, Evaluation::Defined(json!({"allow": true})));
    let q = set
        .query("x := data.sark.simple.allow", Some(&admin))
        .unwrap();
    assert_eq!(q["result"][0]["bindings"], json!({"x": true}));
    assert_eq!(
        q["result"][0]["expressions"][0]["text"],
        json!("x := data.sark.simple.allow")
    );
}

#[test]
fn data_json_is_mounted_at_its_directory() {
    let dir = std::env::temp_dir().join(format!("sark-opa-data-{}", std::process::id()));
    let nested = dir.join("cfg/limits");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(nested.join("data.json"), r#"{"max": 3}"#).unwrap();
    std::fs::write(
        dir.join("p.rego"),
        "package p\nok if input.n <= data.cfg.limits.max\n",
    )
    .unwrap();
    let set = PolicySet::new();
    set.load_dir(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        set.evaluate("data.p.ok", &json!({"n": 3}))
            .unwrap()
            .as_bool(),
        Some(true)
    );
    assert_eq!(
        set.evaluate("data.p.ok", &json!({"n": 4})).unwrap(),
        Evaluation::Undefined
    );
    assert!(Path::new(&set.data_names()[0]).ends_with("cfg/limits/data.json"));
}
