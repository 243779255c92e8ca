//! `sark-opa eval` and `sark-opa serve`: the embedded engine behind OPA-compatible command
//! line and HTTP interfaces, so its answers can be diffed against the real `opa`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use sark_opa::{Options, PolicySet};

#[derive(Parser)]
#[command(
    name = "sark-opa",
    version,
    about = "Embedded Rego policy engine for SARK (regorus)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a Rego query and print OPA's JSON result shape (like `opa eval --format json`).
    Eval(EvalArgs),
    /// Serve OPA's REST Data API subset: POST/GET /v1/data/{path}, GET /health.
    Serve(ServeArgs),
}

#[derive(Args)]
struct PolicyArgs {
    /// Policy or data file, or a directory of .rego files and data.json (repeatable).
    #[arg(short = 'd', long = "data", value_name = "FILE|DIR")]
    data: Vec<PathBuf>,
    /// Parse policies as Rego v0 (written before OPA 1.0).
    #[arg(long)]
    v0_compatible: bool,
    /// Use only regorus's interpreter, not its bytecode VM (slower, exact on rule conflicts).
    #[arg(long)]
    interpreter_only: bool,
}

#[derive(Args)]
struct EvalArgs {
    #[command(flatten)]
    policies: PolicyArgs,
    /// JSON file to use as `input`.
    #[arg(short = 'i', long = "input", value_name = "FILE")]
    input: Option<PathBuf>,
    /// Rego query, e.g. data.sark.authz.allow
    query: String,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    policies: PolicyArgs,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8181")]
    addr: String,
}

fn load(args: &PolicyArgs) -> Result<PolicySet, String> {
    let set = PolicySet::with_options(Options {
        v0_compatible: args.v0_compatible,
        interpreter_only: args.interpreter_only,
    });
    set.load_paths(&args.data).map_err(|e| e.to_string())?;
    Ok(set)
}

fn eval(args: EvalArgs) -> Result<(), String> {
    let set = load(&args.policies)?;
    let input = match &args.input {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("{}: cannot read input: {e}", path.display()))?;
            Some(
                serde_json::from_str::<serde_json::Value>(&text)
                    .map_err(|e| format!("{}: input is not valid JSON: {e}", path.display()))?,
            )
        }
        None => None,
    };
    let result = set
        .query(&args.query, input.as_ref())
        .map_err(|e| e.to_string())?;
    let text = serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}

fn serve(args: ServeArgs) -> Result<(), String> {
    let set = Arc::new(load(&args.policies)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .map_err(|e| format!("--addr {}: cannot listen: {e}", args.addr))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        // Scripts wait for this line to know the port (useful with --addr 127.0.0.1:0).
        eprintln!("sark-opa listening on http://{local}");
        tokio::select! {
            r = sark_opa::server::serve(listener, set) => r.map_err(|e| format!("server failed: {e}")),
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Eval(args) => eval(args),
        Command::Serve(args) => serve(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sark-opa: {message}");
            ExitCode::FAILURE
        }
    }
}
