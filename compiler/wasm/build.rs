//! The WebAssembly module's stack: the compiler walks syntax trees recursively (nesting is
//! bounded by E0325, and `nestc` runs it on a 256 MiB thread); wasm32's default of 1 MiB
//! is too small for the deepest accepted scripts, and a wasm stack cannot grow at run time.

fn main() {
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if arch == "wasm32" {
        // 16 MiB of linear memory reserved for the shadow stack.
        println!("cargo:rustc-link-arg-cdylib=-zstack-size=16777216");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
