//! What one bench process counted: the measuring window (Callgrind's collection, on only while
//! a routine runs) and the manifest that names each benchmark's dump or says why it has none.
//!
//! Manifest: JSON lines in the file `BENCH_ACTION_CRITERION_MANIFEST` names, one line per event,
//! written as it happens so a process that dies (a panic that aborts, a system call Valgrind does
//! not support) leaves the `start` of the benchmark it died in:
//! `{"event":"start","id":"group/function"}`,
//! `{"event":"counted","id":…,"dump":"bench-action:3","iterations":5,"valgrind":true}`,
//! `{"event":"skipped","id":…,"reason":"…"}`.
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::threads;
use crate::valgrind;

static IN_WINDOW: AtomicBool = AtomicBool::new(false);
static MARK: Mutex<Option<threads::Mark>> = Mutex::new(None);

fn under_valgrind() -> bool {
    static UNDER: OnceLock<bool> = OnceLock::new();
    *UNDER.get_or_init(|| valgrind::running_on_valgrind() > 0)
}

/// Starts counting (Callgrind's collection on). Everything until [`close_window`] is counted.
#[inline(always)]
pub(crate) fn open_window() {
    *MARK.lock().unwrap_or_else(|e| e.into_inner()) = Some(threads::mark());
    IN_WINDOW.store(true, Ordering::SeqCst);
    if under_valgrind() {
        valgrind::toggle_collect();
    }
}

/// Stops counting.
#[inline(always)]
pub(crate) fn close_window() {
    if under_valgrind() {
        valgrind::toggle_collect();
    }
    IN_WINDOW.store(false, Ordering::SeqCst);
    if let Some(mark) = MARK.lock().unwrap_or_else(|e| e.into_inner()).take() {
        threads::since(mark);
    }
}

/// Whether the measuring window is open now: the harness's tests check from inside a setup
/// closure that setup is never counted.
#[doc(hidden)]
pub fn __bench_action_window_open() -> bool {
    IN_WINDOW.load(Ordering::SeqCst)
}

/// Closes a window a panicking routine left open.
fn ensure_closed() {
    if IN_WINDOW.load(Ordering::SeqCst) {
        close_window();
    }
}

/// Measured calls per benchmark (after one uncounted warm-up call): a fixed number, so two runs
/// of the same code count the same. `BENCH_ACTION_CRITERION_ITERATIONS` overrides it.
pub(crate) fn iterations() -> u64 {
    static N: OnceLock<u64> = OnceLock::new();
    *N.get_or_init(|| {
        std::env::var("BENCH_ACTION_CRITERION_ITERATIONS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n| n > 0)
            .unwrap_or(5)
    })
}

/// How a benchmark ended, as its Bencher saw it.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    None,
    Counted(u64),
    NotCounted(String),
}

struct Session {
    manifest: Option<File>,
    dumps: u64,
}

fn session() -> &'static Mutex<Session> {
    static SESSION: OnceLock<Mutex<Session>> = OnceLock::new();
    SESSION.get_or_init(|| {
        let manifest = std::env::var_os("BENCH_ACTION_CRITERION_MANIFEST").map(|path| {
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .unwrap_or_else(|e| {
                    panic!(
                        "bench-action harness: cannot open {}: {e}",
                        path.to_string_lossy()
                    )
                })
        });
        Mutex::new(Session { manifest, dumps: 0 })
    })
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn write_line(session: &mut Session, line: String) {
    if let Some(file) = session.manifest.as_mut() {
        // One write per line, unbuffered: the line is on disk if the process dies next.
        file.write_all(format!("{line}\n").as_bytes())
            .expect("bench-action harness: cannot write the manifest");
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic".to_string()
    }
}

/// Runs one benchmark's closure and records what it counted. `run` gets the outcome slot.
pub(crate) fn record(id: &str, run: impl FnOnce(&mut Outcome)) {
    let mut session = session().lock().unwrap_or_else(|e| e.into_inner());
    write_line(
        &mut session,
        format!("{{\"event\":\"start\",\"id\":{}}}", json_string(id)),
    );
    threads::reset();
    valgrind::zero_stats();
    let mut outcome = Outcome::None;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&mut outcome)));
    ensure_closed();
    let outcome = match result {
        Err(payload) => Outcome::NotCounted(format!(
            "the benchmark panicked: {}",
            panic_message(&*payload)
        )),
        Ok(()) => match (outcome, threads::verdict()) {
            (Outcome::Counted(_), Some(reason)) => Outcome::NotCounted(reason),
            (outcome, _) => outcome,
        },
    };
    match outcome {
        Outcome::Counted(iterations) => {
            session.dumps += 1;
            let tag = format!("bench-action:{}", session.dumps);
            let valgrind = under_valgrind();
            if valgrind {
                valgrind::dump_stats_at(&tag);
            }
            println!(
                "bench-action: {id}: {iterations} calls counted{}",
                if valgrind {
                    ""
                } else {
                    " (not under Valgrind: no count)"
                }
            );
            write_line(
                &mut session,
                format!(
                    "{{\"event\":\"counted\",\"id\":{},\"dump\":{},\"iterations\":{iterations},\"valgrind\":{valgrind}}}",
                    json_string(id),
                    json_string(&tag)
                ),
            );
        }
        Outcome::NotCounted(reason) => skip(&mut session, id, &reason),
        Outcome::None => skip(
            &mut session,
            id,
            "its closure called no Bencher::iter method",
        ),
    }
}

fn skip(session: &mut Session, id: &str, reason: &str) {
    println!("bench-action: {id}: no count: {reason}");
    write_line(
        session,
        format!(
            "{{\"event\":\"skipped\",\"id\":{},\"reason\":{}}}",
            json_string(id),
            json_string(reason)
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::json_string;

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(json_string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
