//! Every example compiles, passes the safety check, and compiles to the same bytes twice.

use nest_driver::{compile, CompileRequest, MemoryResolver};

#[test]
fn examples_compile_deterministically() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let r = MemoryResolver::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ns") {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let req = CompileRequest {
            name: &name,
            text: &src,
            resolver: &r,
            params: &[],
        };
        let a = match compile(&req) {
            Ok(c) => c,
            Err(f) => panic!(
                "{name}: {}",
                nest_diagnostics::render_plain(&f.diagnostics, &f.sources)
            ),
        };
        let b = compile(&req).ok().unwrap();
        assert_eq!(a.bytes, b.bytes, "{name}: not deterministic");
        nest_evm::check(&a.assembled.bytes, a.assembled.code_len).unwrap();
    }
}
