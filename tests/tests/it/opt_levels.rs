//! Every example and `tests/codegen/*.ns` dry-run at `-O0` and at the default level:
//! the optimiser must not change what a script does — success, return data, revert
//! reason, asset changes, allowances left — only what it costs.

use nest_devnet::{Devnet, Report, RunContext, Scenario};
use nest_driver::{CompileRequest, OptLevel, Options};
use nest_tests::{files, root, RepoResolver};

fn dry_run(file: &str, level: OptLevel) -> Report {
    let text = std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let req = CompileRequest {
        name: file,
        text: &text,
        resolver: &RepoResolver,
        params: &[],
    };
    let options = Options {
        opt_level: level,
        disabled: Vec::new(),
    };
    let c = nest_driver::compile_with(&req, &options)
        .unwrap_or_else(|f| panic!("{file} at {level:?}:\n{f}"));
    nest_evm::check(&c.assembled.bytes, c.assembled.code_len)
        .unwrap_or_else(|v| panic!("{file}: unsafe: {v:?}"));
    let ctx = nest_tests::run_context(&c);
    let devnet = Devnet::new(&Scenario::default()).unwrap_or_else(|e| panic!("devnet: {e}"));
    devnet
        .dry_run(&c.bytes, &ctx)
        .unwrap_or_else(|e| panic!("{file}: dry run: {e}"))
}

fn scripts() -> Vec<String> {
    files("examples", "ns")
        .into_iter()
        .chain(files("tests/codegen", "ns"))
        .collect()
}

#[test]
fn optimised_code_does_what_unoptimised_code_does() {
    let mut table = String::new();
    for f in scripts() {
        let plain = dry_run(&f, OptLevel::O0);
        let opt = dry_run(&f, OptLevel::O1);
        assert_eq!(opt.success, plain.success, "{f}: success differs");
        assert_eq!(
            opt.return_data, plain.return_data,
            "{f}: return data differs"
        );
        assert_eq!(
            opt.revert.as_ref().map(|r| &r.reason),
            plain.revert.as_ref().map(|r| &r.reason),
            "{f}: revert reason differs"
        );
        assert_eq!(
            opt.asset_changes, plain.asset_changes,
            "{f}: asset changes differ"
        );
        assert_eq!(
            opt.allowances_left, plain.allowances_left,
            "{f}: allowances left differ"
        );
        assert!(
            opt.guest_instructions <= plain.guest_instructions,
            "{f}: the optimised code runs more instructions ({} > {})",
            opt.guest_instructions,
            plain.guest_instructions
        );
        table.push_str(&format!(
            "{f}: instructions {} -> {}, hyvm overhead {} -> {}\n",
            plain.guest_instructions,
            opt.guest_instructions,
            plain.gas.hyvm_overhead,
            opt.gas.hyvm_overhead
        ));
    }
    eprint!("{table}");
}

/// Disabling an optimisation by name still gives working code.
#[test]
fn each_optimisation_can_be_disabled_alone() {
    let file = "examples/swap.ns";
    let text = std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let req = CompileRequest {
        name: file,
        text: &text,
        resolver: &RepoResolver,
        params: &[],
    };
    let full = nest_driver::compile(&req).unwrap_or_else(|f| panic!("{f}"));
    for name in nest_driver::optimisation_names() {
        let options = Options {
            opt_level: OptLevel::O1,
            disabled: vec![name.to_string()],
        };
        let c = nest_driver::compile_with(&req, &options)
            .unwrap_or_else(|f| panic!("without {name}: {f}"));
        let devnet = Devnet::new(&Scenario::default()).unwrap_or_else(|e| panic!("devnet: {e}"));
        let r = devnet
            .dry_run(&c.bytes, &RunContext::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            r.success && r.allowances_left.is_empty(),
            "without {name}: {:?}",
            r.revert
        );
        let _ = &full;
    }
}
