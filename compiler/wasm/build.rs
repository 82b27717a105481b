//! The WebAssembly module's stack: the compiler walks syntax trees recursively (nesting is
//! bounded by E0325, and `nestc` runs it on a 256 MiB thread); wasm32's default of 1 MiB
//! is too small for the deepest accepted scripts, and a wasm stack cannot grow at run time.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

fn main() {
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if arch == "wasm32" {
        // 16 MiB of linear memory reserved for the shadow stack.
        println!("cargo:rustc-link-arg-cdylib=-zstack-size=16777216");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
