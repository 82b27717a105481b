use nest_driver::{compile, CompileRequest, MemoryResolver};

#[test]
fn swap_compiles() {
    let r = MemoryResolver::new();
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/swap.ns")).unwrap();
    match compile(&CompileRequest { name: "swap.ns", text: &src, resolver: &r, params: &[] }) {
        Ok(c) => {
            println!("{}", c.ir);
            println!("{}", nest_driver::asm_listing(&c));
            println!("{}", c.artifact.bytecode);
        }
        Err(f) => panic!("{}", nest_diagnostics::render_plain(&f.diagnostics, &f.sources)),
    }
}
