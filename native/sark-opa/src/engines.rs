//! Per-thread evaluators. regorus evaluates with `&mut Engine`, so each thread keeps its own
//! engine (and bytecode VMs) per snapshot in a thread-local slot, built on first use. Nothing
//! in a thread's state shares reference counts with other threads, so threads never contend
//! on a cache line during evaluation, and the hot path takes no lock.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Weak};

use regorus::rvm::RegoVM;
use regorus::Engine;

use crate::error::PolicyError;
use crate::snapshot::Snapshot;

/// One thread's private evaluators for one snapshot: an interpreter engine parsed from the
/// snapshot's sources, and a bytecode VM per rule path evaluated so far (`None` when the
/// path is not a rule the VM compiler accepts, e.g. a package; those use the interpreter).
pub(crate) struct ThreadState {
    pub(crate) engine: Engine,
    pub(crate) interpreter_only: bool,
    pub(crate) vms: HashMap<String, Option<RegoVM>>,
}

thread_local! {
    static STATES: RefCell<Vec<(u64, Weak<Snapshot>, ThreadState)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's state for `snap`, building it on first use.
pub(crate) fn with_state<R>(
    snap: &Arc<Snapshot>,
    f: impl FnOnce(&mut ThreadState) -> Result<R, PolicyError>,
) -> Result<R, PolicyError> {
    STATES.with(|slots| {
        let Ok(mut slots) = slots.try_borrow_mut() else {
            // Re-entrant use on one thread (not reachable from this crate's API): a private
            // state keeps it correct.
            return f(&mut new_state(snap)?);
        };
        let index = match slots.iter().position(|(g, _, _)| *g == snap.generation) {
            Some(i) => i,
            None => {
                // States of snapshots nobody holds any more are dropped here, the next time
                // this thread needs a new one.
                slots.retain(|(_, owner, _)| owner.strong_count() > 0);
                slots.push((snap.generation, Arc::downgrade(snap), new_state(snap)?));
                slots.len() - 1
            }
        };
        f(&mut slots[index].2)
    })
}

fn new_state(snap: &Snapshot) -> Result<ThreadState, PolicyError> {
    Ok(ThreadState {
        engine: snap.engine()?,
        interpreter_only: snap.options.interpreter_only,
        vms: HashMap::new(),
    })
}
