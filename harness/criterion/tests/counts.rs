//! The harness end to end: examples/counted.rs run outside Valgrind (what each benchmark does,
//! setup outside the window) and under Callgrind (the counts themselves). Valgrind is required
//! (scripts/setup.sh installs it).
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// target/debug/examples/counted, which `cargo test` builds beside this test.
fn example() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    dir.join("examples")
        .join(format!("counted{}", std::env::consts::EXE_SUFFIX))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "bench-action-harness-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// (event, id, dump or reason, iterations) of each manifest line, read with plain string search.
fn manifest(path: &Path) -> Vec<HashMap<String, String>> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let mut fields = HashMap::new();
            for key in ["event", "id", "dump", "reason"] {
                let pattern = format!("\"{key}\":\"");
                if let Some(start) = line.find(&pattern) {
                    let rest = &line[start + pattern.len()..];
                    fields.insert(key.to_string(), rest[..rest.find('"').unwrap()].to_string());
                }
            }
            if let Some(start) = line.find("\"iterations\":") {
                let rest = &line[start + 13..];
                fields.insert(
                    "iterations".into(),
                    rest[..rest.find([',', '}']).unwrap()].to_string(),
                );
            }
            fields
        })
        .collect()
}

fn run(dir: &Path, valgrind: bool) -> Vec<HashMap<String, String>> {
    let manifest_path = dir.join("manifest.jsonl");
    let mut command = if valgrind {
        let mut c = Command::new("valgrind");
        c.arg("--tool=callgrind")
            .arg("--collect-atstart=no")
            .arg(format!(
                "--callgrind-out-file={}",
                dir.join("cg.out").display()
            ))
            .arg(example());
        c
    } else {
        Command::new(example())
    };
    let output = command
        .arg("--bench")
        .env("BENCH_ACTION_CRITERION_MANIFEST", &manifest_path)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run the example (valgrind must be installed)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    manifest(&manifest_path)
}

/// Callgrind's `summary:` of each dump, by the trigger's tag.
fn dumps(dir: &Path) -> HashMap<String, u64> {
    let mut counts = HashMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        let tag = text
            .lines()
            .find_map(|l| l.strip_prefix("desc: Trigger: Client Request: "));
        let summary = text.lines().find_map(|l| l.strip_prefix("summary: "));
        if let (Some(tag), Some(summary)) = (tag, summary) {
            counts.insert(tag.to_string(), summary.trim().parse().unwrap());
        }
    }
    counts
}

/// Instructions per call of each counted benchmark.
fn counts(dir: &Path) -> HashMap<String, f64> {
    let events = run(dir, true);
    let dumps = dumps(dir);
    events
        .iter()
        .filter(|e| e["event"] == "counted")
        .map(|e| {
            let total = dumps[&e["dump"]] as f64;
            (
                e["id"].clone(),
                total / e["iterations"].parse::<f64>().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_benchmark_has_criterions_id_and_a_count_or_a_reason() {
    let events = run(&scratch("dry"), false);
    let ended: Vec<(String, String)> = events
        .iter()
        .filter(|e| e["event"] != "start")
        .map(|e| (e["id"].clone(), e["event"].clone()))
        .collect();
    let expected = [
        ("empty", "counted"),
        ("iter/1000", "counted"),
        ("iter/2000", "counted"),
        ("input/1000", "counted"),
        // A setup inside the window would panic (the example asserts it) and be skipped.
        ("setups/batched", "counted"),
        ("setups/batched_ref", "counted"),
        ("setups/with_setup", "counted"),
        ("setups/large_drop", "counted"),
        ("setups/custom", "skipped"),
        ("setups/async/1000", "counted"),
        ("setups/panics", "skipped"),
        ("threads/scoped", "skipped"),
        ("threads/pool", "skipped"),
    ];
    assert_eq!(
        ended,
        expected
            .map(|(id, event)| (id.to_string(), event.to_string()))
            .to_vec()
    );
    let reasons: HashMap<&str, &str> = events
        .iter()
        .filter(|e| e["event"] == "skipped")
        .map(|e| (e["id"].as_str(), e["reason"].as_str()))
        .collect();
    assert!(
        reasons["setups/custom"].starts_with("iter_custom"),
        "{reasons:?}"
    );
    assert_eq!(
        reasons["setups/panics"],
        "the benchmark panicked: on purpose"
    );
    for id in ["threads/scoped", "threads/pool"] {
        assert!(
            reasons[id].starts_with("the routine runs work on other threads ("),
            "{id}: {reasons:?}"
        );
    }
}

#[test]
fn under_callgrind_counts_are_the_routines_alone_and_repeat_exactly() {
    let first = counts(&scratch("vg1"));
    let second = counts(&scratch("vg2"));
    assert_eq!(
        first, second,
        "two runs of the same binary counted differently"
    );
    let one = first["iter/1000"];
    // An empty routine: only the window's own cost (toggles, the call), a small fraction of work(1000).
    assert!(
        first["empty"] < one * 0.02,
        "empty routine counted {}",
        first["empty"]
    );
    let per_step = first["iter/2000"] - one;
    assert!(
        per_step > 1000.0,
        "work(1000) counted {per_step} instructions"
    );
    // The window holds little besides the routine: call and toggle overhead under 2% of it.
    assert!(
        one < per_step * 1.02,
        "iter/1000 {one} vs work(1000) alone {per_step}"
    );
    // Setups do work(100_000), 100 times the routine: any of it counted would show.
    for id in [
        "input/1000",
        "setups/batched",
        "setups/batched_ref",
        "setups/with_setup",
        "setups/async/1000",
    ] {
        let count = first[id];
        assert!(
            (count / one - 1.0).abs() < 0.01,
            "{id}: {count} vs iter/1000 {one}"
        );
    }
    // iter_with_large_drop's routine builds a vec of 4; its drop is outside the window.
    assert!((first["setups/large_drop"] / one - 1.0).abs() < 0.02);
    for id in [
        "setups/custom",
        "setups/panics",
        "threads/scoped",
        "threads/pool",
    ] {
        assert!(!first.contains_key(id), "{id} has a count: {}", first[id]);
    }
}
