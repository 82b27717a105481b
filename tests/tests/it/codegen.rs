//! Codegen snapshots: the `--emit asm` listing of every example and every
//! `tests/codegen/*.ns`, and the IR of the latter. A change in generated code
//! shows in review; bless with `INSTA_UPDATE=always cargo test` or `cargo insta review`.

use nest_tests::{compile_file, files};

fn snapshot_all(dir: &str, with_ir: bool) {
    let cases = files(dir, "ns");
    assert!(!cases.is_empty(), "no cases in {dir}");
    for case in cases {
        let c = compile_file(&case, &[]).unwrap_or_else(|f| panic!("{case}:\n{f}"));
        nest_evm::check(&c.assembled.bytes, c.assembled.code_len)
            .unwrap_or_else(|v| panic!("{case}: unsafe code: {v:?}"));
        let name = case.replace('/', "__").trim_end_matches(".ns").to_string();
        insta::with_settings!({ snapshot_path => "../../codegen/snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("{name}.asm"), nest_driver::asm_listing(&c));
            if with_ir {
                insta::assert_snapshot!(format!("{name}.ir"), c.ir.to_string());
            }
        });
    }
}

#[test]
fn examples_asm() {
    snapshot_all("examples", false);
}

#[test]
fn codegen_cases() {
    snapshot_all("tests/codegen", true);
}
