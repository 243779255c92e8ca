//! A compiled, atomically replaceable set of Rego modules and data documents.
//!
//! Concurrency design: every load/remove/replace builds a complete new [`Snapshot`]
//! (a regorus `Engine` with all modules parsed and analysed) off to the side and publishes it
//! with one `ArcSwap::store`. Evaluations read the current snapshot once, at their start, so a
//! reload never blocks or tears an evaluation in flight. Each thread keeps its own clone of the
//! snapshot's engine in a thread-local slot, because regorus evaluation needs `&mut Engine`;
//! the clone is cheap (modules and data are `Arc`-shared with the `arc` feature) and made once
//! per thread per snapshot, so the hot path takes no lock and allocates no engine.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use arc_swap::ArcSwap;
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::RegoVM;
use regorus::{Engine, Value};
use serde::Deserialize;

use crate::error::{split_regorus_error, PolicyError};

/// Result of evaluating a rule or query: a JSON value, or undefined (no rule body matched
/// and no default applies). Undefined is never folded into `false`.
#[derive(Debug, Clone, PartialEq)]
pub enum Evaluation {
    Defined(serde_json::Value),
    Undefined,
}

impl Evaluation {
    pub fn is_undefined(&self) -> bool {
        matches!(self, Evaluation::Undefined)
    }

    pub fn value(&self) -> Option<&serde_json::Value> {
        match self {
            Evaluation::Defined(v) => Some(v),
            Evaluation::Undefined => None,
        }
    }

    pub fn into_value(self) -> Option<serde_json::Value> {
        match self {
            Evaluation::Defined(v) => Some(v),
            Evaluation::Undefined => None,
        }
    }

    /// `Some(b)` only when the result is the JSON boolean `b`; authorization callers should
    /// treat `None` (undefined or non-boolean) as deny.
    pub fn as_bool(&self) -> Option<bool> {
        self.value().and_then(serde_json::Value::as_bool)
    }
}

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
struct Snapshot {
    generation: u64,
    modules: BTreeMap<String, Arc<str>>,
    data: BTreeMap<String, serde_json::Value>,
    options: Options,
}

/// One thread's private evaluators for one snapshot: an interpreter engine parsed from the
/// snapshot's sources, and a bytecode VM per rule path evaluated so far (`None` when the
/// path is not a rule the VM compiler accepts, e.g. a package; those use the interpreter).
/// Nothing in here shares reference counts with other threads, so threads never contend
/// on a cache line during evaluation.
struct ThreadState {
    engine: Engine,
    interpreter_only: bool,
    vms: HashMap<String, Option<RegoVM>>,
}

/// Unique across all policy sets, so thread-local engine slots can be keyed by it alone.
static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static STATES: RefCell<Vec<(u64, Weak<Snapshot>, ThreadState)>> = const { RefCell::new(Vec::new()) };
}

/// A set of Rego modules and data documents, compiled together. `Send + Sync`: share it in an
/// `Arc` and evaluate from any number of threads while another thread reloads it.
pub struct PolicySet {
    current: ArcSwap<Snapshot>,
    // Serializes writers so two concurrent updates cannot each start from the same snapshot
    // and lose one another's change. Readers never take it.
    write_lock: Mutex<()>,
    options: Options,
}

impl Default for PolicySet {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let snap = self.current.load();
        f.debug_struct("PolicySet")
            .field("generation", &snap.generation)
            .field("modules", &snap.modules.keys().collect::<Vec<_>>())
            .field("data", &snap.data.keys().collect::<Vec<_>>())
            .field("options", &self.options)
            .finish()
    }
}

impl PolicySet {
    pub fn new() -> Self {
        Self::with_options(Options::default())
    }

    pub fn with_options(options: Options) -> Self {
        let empty = build_snapshot(BTreeMap::new(), BTreeMap::new(), options)
            .expect("an empty policy set always compiles");
        Self {
            current: ArcSwap::from_pointee(empty),
            write_lock: Mutex::new(()),
            options,
        }
    }

    pub fn options(&self) -> Options {
        self.options
    }

    /// Increases on every successful change; lets callers tell which version answered.
    pub fn generation(&self) -> u64 {
        self.current.load().generation
    }

    pub fn module_names(&self) -> Vec<String> {
        self.current.load().modules.keys().cloned().collect()
    }

    pub fn data_names(&self) -> Vec<String> {
        self.current.load().data.keys().cloned().collect()
    }

    /// Adds or replaces the module `name` (the name appears in error locations). On error the
    /// set is unchanged.
    pub fn load_module(&self, name: &str, source: &str) -> Result<(), PolicyError> {
        self.update(|modules, _| {
            modules.insert(name.to_string(), Arc::from(source));
            Ok(())
        })
    }

    /// Adds or replaces one `.rego` file, named by its path.
    pub fn load_file(&self, path: impl AsRef<Path>) -> Result<(), PolicyError> {
        let path = path.as_ref();
        let source = read(path)?;
        self.load_module(&path.display().to_string(), &source)
    }

    /// Adds every `.rego` file under `dir` (recursively) and every `data.json`, which like in
    /// OPA is mounted at the data path of its directory relative to `dir`. One atomic change.
    pub fn load_dir(&self, dir: impl AsRef<Path>) -> Result<(), PolicyError> {
        let (modules, data) = read_dir_tree(dir.as_ref())?;
        self.update(|m, d| {
            m.extend(modules);
            d.extend(data);
            Ok(())
        })
    }

    /// Loads any mix of `.rego` files, `.json` data files and directories, like `opa eval -d`.
    pub fn load_paths<P: AsRef<Path>>(&self, paths: &[P]) -> Result<(), PolicyError> {
        let mut modules = Vec::new();
        let mut data = Vec::new();
        for p in paths {
            let p = p.as_ref();
            if p.is_dir() {
                let (m, d) = read_dir_tree(p)?;
                modules.extend(m);
                data.extend(d);
            } else if p.extension().is_some_and(|e| e == "json") {
                data.push((p.display().to_string(), read_json(p)?));
            } else {
                modules.push((p.display().to_string(), Arc::from(read(p)?)));
            }
        }
        self.update(|m, d| {
            m.extend(modules);
            d.extend(data);
            Ok(())
        })
    }

    pub fn remove_module(&self, name: &str) -> Result<(), PolicyError> {
        self.update(|modules, _| {
            modules
                .remove(name)
                .map(|_| ())
                .ok_or_else(|| PolicyError::UnknownModule(name.to_string()))
        })
    }

    /// Adds or replaces a data document, merged into `data` at its root.
    pub fn load_data(&self, name: &str, document: serde_json::Value) -> Result<(), PolicyError> {
        self.update(|_, data| {
            data.insert(name.to_string(), document);
            Ok(())
        })
    }

    pub fn remove_data(&self, name: &str) -> Result<(), PolicyError> {
        self.update(|_, data| {
            data.remove(name)
                .map(|_| ())
                .ok_or_else(|| PolicyError::UnknownModule(name.to_string()))
        })
    }

    /// Replaces every module and data document at once.
    pub fn replace_all(
        &self,
        modules: impl IntoIterator<Item = (String, String)>,
        data: impl IntoIterator<Item = (String, serde_json::Value)>,
    ) -> Result<(), PolicyError> {
        let modules: BTreeMap<_, _> = modules
            .into_iter()
            .map(|(n, s)| (n, Arc::from(s)))
            .collect();
        let data: BTreeMap<_, _> = data.into_iter().collect();
        self.update(|m, d| {
            *m = modules;
            *d = data;
            Ok(())
        })
    }

    /// Evaluates a rule path (`data.sark.authz.allow`) or any Rego query against `input`.
    /// For a query, the value is that of its first expression in its first result.
    pub fn evaluate(
        &self,
        query: &str,
        input: &serde_json::Value,
    ) -> Result<Evaluation, PolicyError> {
        let input = to_regorus(input)?;
        let snap = self.current.load();
        with_state(&snap, |state| eval_one(state, query, input))
    }

    /// [`evaluate`](Self::evaluate) where `None` leaves `input` undefined (OPA's GET
    /// /v1/data), which is not the same as an empty object.
    pub fn evaluate_opt(
        &self,
        query: &str,
        input: Option<&serde_json::Value>,
    ) -> Result<Evaluation, PolicyError> {
        let input = match input {
            Some(i) => to_regorus(i)?,
            None => Value::Undefined,
        };
        let snap = self.current.load();
        with_state(&snap, |state| eval_one(state, query, input))
    }

    /// Like [`evaluate`](Self::evaluate) with the input as JSON text, parsed straight into
    /// regorus values (no intermediate `serde_json::Value`): the cheapest path for bindings.
    pub fn evaluate_json(&self, query: &str, input_json: &str) -> Result<Evaluation, PolicyError> {
        let input = Value::from_json_str(input_json).map_err(|e| PolicyError::Input {
            message: format!("{e:#}"),
        })?;
        let snap = self.current.load();
        with_state(&snap, |state| eval_one(state, query, input))
    }

    /// Evaluates one query for many inputs against one snapshot: all results come from the
    /// same policy version even if a reload happens meanwhile.
    pub fn evaluate_batch(
        &self,
        query: &str,
        inputs: &[serde_json::Value],
    ) -> Vec<Result<Evaluation, PolicyError>> {
        let snap = self.current.load();
        match with_state(&snap, |state| {
            Ok(inputs
                .iter()
                .map(|input| eval_one(state, query, to_regorus(input)?))
                .collect())
        }) {
            Ok(results) => results,
            Err(e) => vec![Err(e)],
        }
    }

    /// Runs a Rego query and returns OPA's JSON result shape,
    /// `{"result":[{"expressions":[{"value":..,"text":..,"location":..}],"bindings":{..}}]}`,
    /// or `{}` when the query is undefined. `input: None` leaves `input` undefined.
    pub fn query(
        &self,
        query: &str,
        input: Option<&serde_json::Value>,
    ) -> Result<serde_json::Value, PolicyError> {
        let input = match input {
            Some(i) => to_regorus(i)?,
            None => Value::Undefined,
        };
        let snap = self.current.load();
        with_state(&snap, |state| {
            if is_ref(query) {
                // Same evaluator as `evaluate`, wrapped in OPA's shape, so `sark-opa eval`
                // and the crosscheck against `opa eval` exercise the production path.
                return Ok(match eval_one(state, query, input)? {
                    Evaluation::Defined(value) => serde_json::json!({"result": [{
                        "expressions": [{
                            "value": value,
                            "text": query,
                            "location": {"row": 1, "col": 1},
                        }],
                    }]}),
                    Evaluation::Undefined => serde_json::json!({}),
                });
            }
            let engine = &mut state.engine;
            engine.set_input(input);
            let results = engine
                .eval_query(query.to_string(), false)
                .map_err(|e| eval_error(query, &e))?;
            serde_json::to_value(&results).map_err(|e| PolicyError::Evaluation {
                query: query.to_string(),
                location: None,
                message: e.to_string(),
            })
        })
    }

    fn update(
        &self,
        change: impl FnOnce(
            &mut BTreeMap<String, Arc<str>>,
            &mut BTreeMap<String, serde_json::Value>,
        ) -> Result<(), PolicyError>,
    ) -> Result<(), PolicyError> {
        // A panic in another writer cannot leave a half-built snapshot published, so a
        // poisoned lock is safe to reuse.
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let current = self.current.load();
        let mut modules = current.modules.clone();
        let mut data = current.data.clone();
        change(&mut modules, &mut data)?;
        let next = build_snapshot(modules, data, self.options)?;
        self.current.store(Arc::new(next));
        Ok(())
    }
}

fn build_snapshot(
    modules: BTreeMap<String, Arc<str>>,
    data: BTreeMap<String, serde_json::Value>,
    options: Options,
) -> Result<Snapshot, PolicyError> {
    // Compiled once here only to validate; each evaluating thread compiles its own copy.
    build_engine(&modules, &data, options)?;
    Ok(Snapshot {
        generation: NEXT_GENERATION.fetch_add(1, Ordering::Relaxed),
        modules,
        data,
        options,
    })
}

fn build_engine(
    modules: &BTreeMap<String, Arc<str>>,
    data: &BTreeMap<String, serde_json::Value>,
    options: Options,
) -> Result<Engine, PolicyError> {
    let mut engine = Engine::new();
    engine.set_rego_v0(options.v0_compatible);
    for (name, source) in modules {
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
    for (name, doc) in data {
        let value = to_regorus(doc).map_err(|e| PolicyError::Data {
            name: name.clone(),
            message: e.to_string(),
        })?;
        engine.add_data(value).map_err(|e| PolicyError::Data {
            name: name.clone(),
            message: format!("{e:#}"),
        })?;
    }
    // Evaluating a trivial query runs regorus's analysis (rule gathering, scheduling, import
    // resolution) now, so compile errors surface at load time rather than at the first
    // request.
    engine.eval_query("true".to_string(), false).map_err(|e| {
        let (location, message) = split_regorus_error(&e);
        PolicyError::Compile { location, message }
    })?;
    Ok(engine)
}

fn with_state<R>(
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
        engine: build_engine(&snap.modules, &snap.data, snap.options)?,
        interpreter_only: snap.options.interpreter_only,
        vms: HashMap::new(),
    })
}

/// Compiles `rule` to RVM bytecode. `None` when the VM compiler does not take it; the
/// interpreter then answers, so this is an optimisation, never a behaviour change.
fn compile_vm(engine: &mut Engine, rule: &str) -> Option<RegoVM> {
    let compiled = engine.compile_with_entrypoint(&rule.into()).ok()?;
    let program = Compiler::compile_from_policy(&compiled, &[rule]).ok()?;
    let mut vm = RegoVM::new();
    vm.load_program(program);
    vm.set_data(engine.get_data()).ok()?;
    Some(vm)
}

fn eval_one(state: &mut ThreadState, query: &str, input: Value) -> Result<Evaluation, PolicyError> {
    let rule_error = if is_ref(query) {
        if !state.vms.contains_key(query) && !state.interpreter_only {
            let vm = compile_vm(&mut state.engine, query);
            state.vms.insert(query.to_string(), vm);
        }
        if let Some(Some(vm)) = state.vms.get_mut(query) {
            vm.set_input(input.clone());
            let value = vm
                .execute()
                .map_err(|e| eval_error(query, &anyhow::Error::msg(e.to_string())))?;
            // The VM reports a conflict between complete-rule values as undefined where OPA
            // raises an error; the interpreter re-checks undefined answers so that case
            // still surfaces as PolicyError::Evaluation. Defined answers are final.
            if value != Value::Undefined {
                return from_regorus(query, &value);
            }
        }
        let engine = &mut state.engine;
        engine.set_input(input.clone());
        // eval_rule skips query parsing and scheduling; it refuses packages and other
        // non-rule paths, which the query path below handles.
        match engine.eval_rule(query.to_string()) {
            Ok(v) => return from_regorus(query, &v),
            Err(e) => Some(e),
        }
    } else {
        state.engine.set_input(input);
        None
    };
    match state.engine.eval_query(query.to_string(), false) {
        Ok(results) => match results.result.first().and_then(|r| r.expressions.first()) {
            Some(expr) => from_regorus(query, &expr.value),
            None => Ok(Evaluation::Undefined),
        },
        Err(e) => Err(eval_error(query, rule_error.as_ref().unwrap_or(&e))),
    }
}

/// `data.a.b` style references (identifier segments only).
fn is_ref(query: &str) -> bool {
    let mut parts = query.split('.');
    parts.next() == Some("data")
        && parts.clone().next().is_some()
        && parts.all(|p| {
            let mut chars = p.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

fn from_regorus(query: &str, value: &Value) -> Result<Evaluation, PolicyError> {
    if value == &Value::Undefined {
        return Ok(Evaluation::Undefined);
    }
    serde_json::to_value(value)
        .map(Evaluation::Defined)
        .map_err(|e| PolicyError::Evaluation {
            query: query.to_string(),
            location: None,
            message: format!("result is not representable as JSON: {e}"),
        })
}

fn to_regorus(json: &serde_json::Value) -> Result<Value, PolicyError> {
    Value::deserialize(json).map_err(|e| PolicyError::Input {
        message: e.to_string(),
    })
}

fn eval_error(query: &str, e: &anyhow::Error) -> PolicyError {
    let (location, message) = split_regorus_error(e);
    PolicyError::Evaluation {
        query: query.to_string(),
        location,
        message,
    }
}

fn read(path: &Path) -> Result<String, PolicyError> {
    std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn read_json(path: &Path) -> Result<serde_json::Value, PolicyError> {
    serde_json::from_str(&read(path)?).map_err(|e| PolicyError::Data {
        name: path.display().to_string(),
        message: e.to_string(),
    })
}

type Tree = (Vec<(String, Arc<str>)>, Vec<(String, serde_json::Value)>);

fn read_dir_tree(root: &Path) -> Result<Tree, PolicyError> {
    let mut modules = Vec::new();
    let mut data = Vec::new();
    let mut pending: Vec<(PathBuf, Vec<String>)> = vec![(root.to_path_buf(), Vec::new())];
    while let Some((dir, prefix)) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| PolicyError::Io {
            path: dir.clone(),
            source,
        })?;
        let mut entries: Vec<_> =
            entries
                .collect::<Result<_, _>>()
                .map_err(|source| PolicyError::Io {
                    path: dir.clone(),
                    source,
                })?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                let mut p = prefix.clone();
                p.push(name);
                pending.push((path, p));
            } else if name.ends_with(".rego") {
                modules.push((path.display().to_string(), Arc::from(read(&path)?)));
            } else if name == "data.json" {
                // Mount at the directory's path, as OPA does for bundle/directory loading.
                let doc = prefix.iter().rev().fold(
                    read_json(&path)?,
                    |inner, key| serde_json::json!({ key.as_str(): inner }),
                );
                data.push((path.display().to_string(), doc));
            }
        }
    }
    Ok((modules, data))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn policy_set_is_send_and_sync() {
        assert_send_sync::<PolicySet>();
    }

    #[test]
    fn recognises_plain_references_only() {
        assert!(is_ref("data.sark.authz.allow"));
        assert!(!is_ref("data"));
        assert!(!is_ref("data.x[0]"));
        assert!(!is_ref("x = data.y"));
        assert!(!is_ref("input.user"));
    }
}
