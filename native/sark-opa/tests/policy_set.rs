//! Loading, replacing and removing modules; typed errors; v0 mode; reloads under load.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use sark_opa::{Evaluation, Options, PolicyError, PolicySet};
use serde_json::json;

const V1: &str = "package a\ndefault allow := false\nallow if input.role == \"admin\"\n";

#[test]
fn modules_are_added_replaced_and_removed() {
    let set = PolicySet::new();
    set.load_module("a.rego", V1).unwrap();
    set.load_module("b.rego", "package b\nx := 1\n").unwrap();
    assert_eq!(set.module_names(), ["a.rego", "b.rego"]);
    let admin = json!({"role": "admin"});
    assert_eq!(
        set.evaluate("data.a.allow", &admin).unwrap().as_bool(),
        Some(true)
    );

    // Replacing one module keeps the others without re-adding them.
    set.load_module("a.rego", "package a\ndefault allow := false\n")
        .unwrap();
    assert_eq!(
        set.evaluate("data.a.allow", &admin).unwrap().as_bool(),
        Some(false)
    );
    assert_eq!(
        set.evaluate("data.b.x", &admin).unwrap(),
        Evaluation::Defined(json!(1))
    );

    set.remove_module("b.rego").unwrap();
    assert_eq!(set.module_names(), ["a.rego"]);
    assert!(matches!(
        set.remove_module("b.rego"),
        Err(PolicyError::UnknownModule(_))
    ));

    set.replace_all(
        [("c.rego".to_string(), "package c\ny := 2\n".to_string())],
        [],
    )
    .unwrap();
    assert_eq!(set.module_names(), ["c.rego"]);
    assert_eq!(
        set.evaluate("data.c.y", &json!({})).unwrap(),
        Evaluation::Defined(json!(2))
    );
}

#[test]
fn parse_errors_carry_file_line_col_and_leave_the_set_unchanged() {
    let set = PolicySet::new();
    set.load_module("a.rego", V1).unwrap();
    let generation = set.generation();
    let err = set
        .load_module("bad.rego", "package bad\n\nallow if {\n  input.x ==\n}\n")
        .unwrap_err();
    let PolicyError::Parse { location, message } = &err else {
        panic!("expected a parse error, got {err:?}");
    };
    assert_eq!(location.file, "bad.rego");
    assert_eq!(location.line, 5);
    assert!(location.col >= 1);
    assert!(!message.is_empty());
    assert!(
        err.to_string().starts_with("parse error at bad.rego:5:"),
        "{err}"
    );
    assert_eq!(set.generation(), generation);
    assert_eq!(set.module_names(), ["a.rego"]);
}

#[test]
fn v1_rejects_v0_syntax_unless_v0_compatible() {
    let v0 = "package old\ndefault allow = false\nallow { input.role == \"admin\" }\n";
    assert!(matches!(
        PolicySet::new().load_module("old.rego", v0),
        Err(PolicyError::Parse { .. })
    ));

    let set = PolicySet::with_options(Options {
        v0_compatible: true,
        ..Options::default()
    });
    set.load_module("old.rego", v0).unwrap();
    let got = set
        .evaluate("data.old.allow", &json!({"role": "admin"}))
        .unwrap();
    assert_eq!(got.as_bool(), Some(true));
}

#[test]
fn compile_errors_surface_at_load_time() {
    let set = PolicySet::new();
    // `x` is unsafe: it appears only in a negated expression.
    let err = set
        .load_module("unsafe.rego", "package u\np if { not x == 1 }\n")
        .unwrap_err();
    assert!(
        matches!(err, PolicyError::Compile { .. } | PolicyError::Parse { .. }),
        "{err:?}"
    );
    assert!(err.location().is_some(), "{err}");
    assert!(set.module_names().is_empty());
}

#[test]
fn evaluation_errors_are_typed() {
    let set = PolicySet::new();
    set.load_module(
        "c.rego",
        "package c\nv := 1 if input.a\nv := 2 if input.b\n",
    )
    .unwrap();
    let err = set
        .evaluate("data.c.v", &json!({"a": true, "b": true}))
        .unwrap_err();
    assert!(matches!(err, PolicyError::Evaluation { .. }), "{err:?}");
    assert!(matches!(
        set.evaluate_json("data.c.v", "{not json"),
        Err(PolicyError::Input { .. })
    ));
}

#[test]
fn nested_conflicts_are_errors_in_interpreter_only_mode() {
    // OPA: evaluating `guarded` is an eval_conflict_error. The bytecode VM sees the
    // conflicting `v` as undefined, so `not v` holds; that gap is why this mode exists.
    let module = "package n\nv := 1 if input.a\nv := 2 if input.b\nguarded if not v\n";
    let input = json!({"a": true, "b": true});
    let exact = PolicySet::with_options(Options {
        interpreter_only: true,
        ..Options::default()
    });
    exact.load_module("n.rego", module).unwrap();
    assert!(matches!(
        exact.evaluate("data.n.guarded", &input),
        Err(PolicyError::Evaluation { .. })
    ));
    let fast = PolicySet::new();
    fast.load_module("n.rego", module).unwrap();
    assert_eq!(
        fast.evaluate("data.n.guarded", &input).unwrap(),
        Evaluation::Defined(json!(true))
    );
}

#[test]
fn evaluations_continue_and_stay_consistent_during_reloads() {
    // Each version's two rules agree on the version number, so a torn read (one rule from
    // the old set, one from the new) would show up as a mismatch.
    let module = |n: u32| format!("package v\nn := {n}\nsame := n\n");
    let set = Arc::new(PolicySet::new());
    set.load_module("v.rego", &module(0)).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (set, stop) = (Arc::clone(&set), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut seen = 0u32;
                let mut evaluations = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let v = set.evaluate("data.v", &json!({})).unwrap();
                    let v = v.value().unwrap();
                    assert_eq!(v["n"], v["same"]);
                    let n = u32::try_from(v["n"].as_u64().unwrap()).unwrap();
                    assert!(n >= seen, "went back from {seen} to {n}");
                    seen = n;
                    evaluations += 1;
                }
                evaluations
            })
        })
        .collect();
    for n in 1..=50 {
        set.load_module("v.rego", &module(n)).unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    let total: u64 = readers.into_iter().map(|r| r.join().unwrap()).sum();
    assert!(total > 0);
    assert_eq!(
        set.evaluate("data.v.n", &json!({})).unwrap(),
        Evaluation::Defined(json!(50))
    );
}
