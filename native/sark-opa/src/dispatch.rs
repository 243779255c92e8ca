//! Choosing the evaluator for one query: regorus's bytecode VM for rule references (compiled
//! once per thread and rule), the interpreter for everything else and to re-check the VM's
//! undefined answers, and arbitrary queries in OPA's result shape.

use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::RegoVM;
use regorus::{Engine, Value};

use crate::engines::ThreadState;
use crate::error::{split_regorus_error, PolicyError};
use crate::evaluation::{from_regorus, Evaluation};

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

pub(crate) fn eval_one(
    state: &mut ThreadState,
    query: &str,
    input: Value,
) -> Result<Evaluation, PolicyError> {
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

/// Any Rego query in OPA's result shape,
/// `{"result":[{"expressions":[{"value":..,"text":..,"location":..}],"bindings":{..}}]}`,
/// or `{}` when undefined.
pub(crate) fn opa_query(
    state: &mut ThreadState,
    query: &str,
    input: Value,
) -> Result<serde_json::Value, PolicyError> {
    if is_ref(query) {
        // Same evaluator as `evaluate`, wrapped in OPA's shape, so `sark-opa eval` and the
        // crosscheck against `opa eval` exercise the production path.
        return Ok(eval_one(state, query, input)?.into_opa_result(query));
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
}

fn eval_error(query: &str, e: &anyhow::Error) -> PolicyError {
    let (location, message) = split_regorus_error(e);
    PolicyError::Evaluation {
        query: query.to_string(),
        location,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_plain_references_only() {
        assert!(is_ref("data.sark.authz.allow"));
        assert!(!is_ref("data"));
        assert!(!is_ref("data.x[0]"));
        assert!(!is_ref("x = data.y"));
        assert!(!is_ref("input.user"));
    }
}
