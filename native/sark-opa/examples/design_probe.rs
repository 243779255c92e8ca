use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::RegoVM;
use regorus::{Engine, Value};
use std::time::Instant;

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/policies");
    let mut engine = Engine::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let n = p.to_string_lossy().to_string();
        if n.ends_with(".rego") && !n.ends_with("_test.rego") {
            engine.add_policy_from_file(&p).unwrap();
        }
    }
    engine
        .add_data(Value::from_json_file(format!("{dir}/data.json")).unwrap())
        .unwrap();
    let case: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/cases/developer_high_allowed.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let input = Value::from(case["input"].clone());
    for q in [
        "data.sark.simple.allow",
        "data.sark.authz.allow",
        "data.sark.authz.decision",
    ] {
        let n = 20000;
        let t = Instant::now();
        let mut r = Value::Undefined;
        for _ in 0..n {
            engine.set_input(input.clone());
            r = engine.eval_rule(q.to_string()).unwrap();
        }
        let interp = t.elapsed() / n;
        let compiled = engine.compile_with_entrypoint(&q.into()).unwrap();
        let program = Compiler::compile_from_policy(&compiled, &[q]).unwrap();
        let mut vm = RegoVM::new();
        vm.load_program(program);
        vm.set_data(engine.get_data()).unwrap();
        let t = Instant::now();
        let mut r2 = Value::Undefined;
        for _ in 0..n {
            vm.set_input(input.clone());
            r2 = vm.execute().unwrap();
        }
        let rvm = t.elapsed() / n;
        let t = Instant::now();
        for _ in 0..n {
            compiled.eval_with_input(input.clone()).unwrap();
        }
        let cp = t.elapsed() / n;
        println!(
            "{q}: interpreter {interp:?} rvm {rvm:?} compiled_policy {cp:?} same={}",
            r == r2
        );
    }
}
