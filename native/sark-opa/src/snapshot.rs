//! One published version of a policy set: module sources, data and options, validated by
//! compiling them once. Immutable once built; evaluating threads compile their own engines
//! from it (see `engines`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use regorus::Engine;

use crate::error::{split_regorus_error, PolicyError};
use crate::evaluation::to_regorus;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Parse modules as Rego v0 (pre OPA 1.0: no `if`/`contains` required), like
    /// `opa --v0-compatible`. Modules that `import rego.v1` still get v1 semantics.
    pub v0_compatible: bool,
    /// Evaluate with regorus's tree-walking interpreter only, never its bytecode VM (RVM).
    /// Slower (about 5x on SARK's policies) but identical to OPA even for rule conflicts
    /// nested under `not`, which the VM treats as undefined (see README).
    pub interpreter_only: bool,
}

/// Everything one evaluation needs, immutable once published.
pub(crate) struct Snapshot {
    pub(crate) generation: u64,
    pub(crate) modules: BTreeMap<String, Arc<str>>,
    pub(crate) data: BTreeMap<String, serde_json::Value>,
    pub(crate) options: Options,
}

/// Unique across all policy sets, so thread-local engine slots can be keyed by it alone.
static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

impl Snapshot {
    pub(crate) fn build(
        modules: BTreeMap<String, Arc<str>>,
        data: BTreeMap<String, serde_json::Value>,
        options: Options,
    ) -> Result<Snapshot, PolicyError> {
        let mut snapshot = Snapshot {
            generation: 0,
            modules,
            data,
            options,
        };
        // Compiled once here only to validate; each evaluating thread compiles its own copy.
        snapshot.engine()?;
        snapshot.generation = NEXT_GENERATION.fetch_add(1, Ordering::Relaxed);
        Ok(snapshot)
    }

    /// A fresh interpreter engine with every module parsed and analysed and all data added.
    pub(crate) fn engine(&self) -> Result<Engine, PolicyError> {
        let mut engine = Engine::new();
        engine.set_rego_v0(self.options.v0_compatible);
        for (name, source) in &self.modules {
            engine
                .add_policy(name.clone(), source.to_string())
                .map_err(|e| {
                    let (location, message) = split_regorus_error(&e);
                    match location {
                        Some(location) => PolicyError::Parse { location, message },
                        None => PolicyError::Compile {
                            location: None,
                            message,
                        },
                    }
                })?;
        }
        for (name, doc) in &self.data {
            let value = to_regorus(doc).map_err(|e| PolicyError::Data {
                name: name.clone(),
                message: e.to_string(),
            })?;
            engine.add_data(value).map_err(|e| PolicyError::Data {
                name: name.clone(),
                message: format!("{e:#}"),
            })?;
        }
        // Evaluating a trivial query runs regorus's analysis (rule gathering, scheduling,
        // import resolution) now, so compile errors surface at load time rather than at the
        // first request.
        engine.eval_query("true".to_string(), false).map_err(|e| {
            let (location, message) = split_regorus_error(&e);
            PolicyError::Compile { location, message }
        })?;
        Ok(engine)
    }
}
