//! Criterion's API changed a little between 0.3 and 0.8 (`retain_baseline`'s arguments, the
//! `Throughput` variants, the 0.3-only `Benchmark` builders). The harness is one source whose
//! version is rewritten to the locked Criterion's, so the differences are chosen here from that
//! version.
fn main() {
    let minor: u32 = std::env::var("CARGO_PKG_VERSION_MINOR")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let major: u32 = std::env::var("CARGO_PKG_VERSION_MAJOR")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // 0.0.0 is the harness's own placeholder version (its tests): the newest API.
    let minor = if major > 0 || minor == 0 { 99 } else { minor };
    for (name, from) in [
        ("criterion_0_4", 4),
        ("criterion_0_7", 7),
        ("criterion_0_8", 8),
    ] {
        println!("cargo:rustc-check-cfg=cfg({name})");
        if minor >= from {
            println!("cargo:rustc-cfg={name}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
