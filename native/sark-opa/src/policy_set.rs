//! A compiled, atomically replaceable set of Rego modules and data documents: the public
//! API, and the writer side that publishes snapshots.
//!
//! Concurrency design: every load/remove/replace builds a complete new `Snapshot`
//! (validated by compiling it) off to the side and publishes it with one `ArcSwap::store`.
//! Evaluations read the current snapshot once, at their start, so a reload never blocks or
//! tears an evaluation in flight. Each thread evaluates with its own engine for that
//! snapshot (see `engines`), so the hot path takes no lock and allocates no engine.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use regorus::Value;

use crate::dispatch::{eval_one, opa_query};
use crate::engines::with_state;
use crate::error::PolicyError;
use crate::evaluation::{input_from_json_text, input_to_regorus, to_regorus, Evaluation};
use crate::snapshot::{Options, Snapshot};
use crate::sources::{read, read_dir_tree, read_json};

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
        let empty = Snapshot::build(BTreeMap::new(), BTreeMap::new(), options)
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
        self.evaluate_opt(query, Some(input))
    }

    /// [`evaluate`](Self::evaluate) where `None` leaves `input` undefined (OPA's GET
    /// /v1/data), which is not the same as an empty object.
    pub fn evaluate_opt(
        &self,
        query: &str,
        input: Option<&serde_json::Value>,
    ) -> Result<Evaluation, PolicyError> {
        self.evaluate_value(query, input_to_regorus(input)?)
    }

    /// Like [`evaluate`](Self::evaluate) with the input as JSON text, parsed straight into
    /// regorus values (no intermediate `serde_json::Value`): the cheapest path for bindings.
    pub fn evaluate_json(&self, query: &str, input_json: &str) -> Result<Evaluation, PolicyError> {
        self.evaluate_value(query, input_from_json_text(input_json)?)
    }

    /// The one evaluation path behind every `evaluate*` method.
    fn evaluate_value(&self, query: &str, input: Value) -> Result<Evaluation, PolicyError> {
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
        let input = input_to_regorus(input)?;
        let snap = self.current.load();
        with_state(&snap, |state| opa_query(state, query, input))
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
        let next = Snapshot::build(modules, data, self.options)?;
        self.current.store(Arc::new(next));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn policy_set_is_send_and_sync() {
        assert_send_sync::<PolicySet>();
    }
}
