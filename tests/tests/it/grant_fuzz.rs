//! The differential grant fuzzer: random, well-typed scripts that grant permissions
//! everywhere a script can — straight lines, `if`/`else` on the block, balances,
//! parameters and allowances, run-time loops (zero-trip ones included), unrolled loops
//! over tokens, helper functions called zero, one or several times (and calling each
//! other), nested `with` blocks, early `return`s, `require`s that may fail — mixed
//! with arrays built from constants and kept alive across calls, fused reads of call
//! results, swaps, supplies, Permit2 approvals, ERC-721 operator approvals and Aave
//! credit delegation. Every script returns values computed from all of it, so
//! corrupted memory shows in the return data.
//!
//! Each program is compiled at `-O0` and at the default level (both compile, or both
//! fail with the same codes, never an internal error `E0599`) and each payload is
//! dry-run under four scenarios (the default chain, the next block, a month later, a
//! vault without USDC or DAI). Oracles:
//!
//! - every run leaves no permission behind (the devnet's measured `allowances_left`);
//! - the two levels agree on success, revert reason, return data and asset changes;
//! - a run reverts only for a reason the script can have: its own `require`s (`rNN`)
//!   or a protocol refusing a vault without the tokens — never `nest: …` (a call to an
//!   address without code, a failed approve), a panic or a halt;
//! - the program and its twin without dead code (loops that run zero times, helpers
//!   never called; the generator marks them) do exactly the same at each level:
//!   outcome, return data, asset changes and every call made. Dead grants change the
//!   journal's layout, never what the script does.
//!
//! - `cargo test -p nest-tests --test it grant_fuzz::`: a bounded run (`NEST_FUZZ_CASES`,
//!   default 300; `NEST_FUZZ_SEED` picks the seed).
//! - `cargo test -p nest-tests --test it grant_fuzz::grant_fuzz_long -- --ignored`: the
//!   long run (default 5,000 programs).
//! - `NEST_FUZZ_ONLY=17` runs only case 17 of the seed (a failure prints the command);
//!   `NEST_FUZZ_SHOW=n` prints the first `n` failures in full (default 3);
//!   `NEST_FUZZ_DUMP=1` prints every program.
//! - `NEST_FUZZ_FILE=case.ns cargo test -p nest-tests --test it grant_fuzz::check_one_file
//!   -- --ignored --nocapture` checks one script the same way, to minimise a failure.
//!
//! Minimised failures are kept at the end as `regression_*` tests.
//!
//! With `--nocapture` the statistics show what the generator really produced (how many
//! programs compiled, runs that succeeded or reverted and why, journal-mode and
//! zero-trip programs), and the run asserts that it is not degenerate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use nest_devnet::{Devnet, Report, Scenario};
use nest_driver::{compile_with, CompileRequest, Compiled, MemoryResolver, OptLevel, Options};
use nest_tests::Rng;

#[path = "grant_fuzz/generate.rs"]
mod generate;
use generate::{program, Program};

// ---------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------

/// The seed of case `index` of a run seeded with `seed`.
fn case_seed(seed: u64, index: u64) -> u64 {
    Rng(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03)).next_u64()
}

// ---------------------------------------------------------------------------------------
// The harness
// ---------------------------------------------------------------------------------------

/// The scenarios every program runs under, each deployed once.
fn devnets() -> &'static [(&'static str, Devnet)] {
    static DEVNETS: OnceLock<Vec<(&'static str, Devnet)>> = OnceLock::new();
    DEVNETS.get_or_init(|| {
        let default = Scenario::default();
        let later = Scenario {
            block_number: default.block_number + 1,
            timestamp: default.timestamp + 12,
            ..default.clone()
        };
        let much_later = Scenario {
            block_number: default.block_number + 7,
            timestamp: default.timestamp + 30 * 86_400 + 5,
            ..default.clone()
        };
        // A poor vault: no USDC or DAI, a little USDT and WETH, little ETH.
        let poor = Scenario::from_toml(
            "[block]\nnumber = 21000002\ntimestamp = 1730003601\n\
             [vault]\neth = \"0.001\"\n[vault.tokens]\nUSDT = 500\nWETH = \"0.5\"\n",
        )
        .expect("poor scenario");
        [
            ("default", default),
            ("later block", later),
            ("a month later", much_later),
            ("poor vault", poor),
        ]
        .into_iter()
        .map(|(name, s)| {
            let d = Devnet::new(&s).unwrap_or_else(|e| panic!("devnet {name}: {e}"));
            (name, d)
        })
        .collect()
    })
}

/// What one program did across levels and scenarios.
#[derive(Default)]
struct CaseStats {
    compiled: bool,
    journal: bool,
    /// Codes of a program both levels refused.
    refused: Vec<String>,
    runs: usize,
    succeeded: usize,
    /// Revert reasons of the `-O0` runs.
    reverts: Vec<String>,
    /// The program without its dead code was compared with it.
    live_checked: bool,
    /// The scenarios gave different outcomes or return data.
    scenario_sensitive: bool,
}

fn compile_at(src: &str, level: OptLevel) -> Result<Compiled, Vec<String>> {
    let resolver = MemoryResolver::new();
    let req = CompileRequest {
        name: "generated.ns",
        text: src,
        resolver: &resolver,
        params: &[],
    };
    let options = Options {
        opt_level: level,
        disabled: Vec::new(),
    };
    compile_with(&req, &options).map_err(|f| {
        f.diagnostics
            .iter()
            .filter(|d| d.severity == nest_diagnostics::Severity::Error)
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect()
    })
}

fn revert_reason(r: &Report) -> Option<&str> {
    r.revert.as_ref().map(|r| r.reason.as_str())
}

/// Whether a generated script may revert this way: its own `require`s (`r0` … `r99`),
/// and what the devnet's protocols say when the vault lacks the tokens. Anything else —
/// the compiler's own `nest: …` failures, panics, halts — is a bug: a generated script
/// only calls contracts that exist, with arithmetic that cannot overflow and indexes in
/// bounds.
fn expected_revert(reason: &str) -> bool {
    let own = reason.len() > 1
        && reason.starts_with('r')
        && reason[1..].bytes().all(|b| b.is_ascii_digit());
    own || EXPECTED_REVERTS.iter().any(|e| reason.contains(e))
}

/// Revert reasons of the devnet's contracts that generated scripts may meet (an
/// unguarded swap or supply from a vault without the tokens).
const EXPECTED_REVERTS: &[&str] = &[
    "TRANSFER_FROM_FAILED",
    "ERC20InsufficientBalance",
    "transfer amount exceeds balance",
];

/// Every call of a run's call tree, depth first: kind, target, input, output, success.
fn flat_calls(r: &Report) -> Vec<String> {
    fn walk(calls: &[nest_devnet::CallReport], out: &mut Vec<String>) {
        for c in calls {
            out.push(format!(
                "{} {} {} -> {} {}",
                c.kind, c.to, c.input, c.output, c.success
            ));
            walk(&c.calls, out);
        }
    }
    let mut out = Vec::new();
    walk(&r.calls, &mut out);
    out
}

/// How two runs that must do the same thing differ (empty when they agree): success,
/// revert reason, return data, asset changes, and with `calls`, every call made.
fn differences(a: (&str, &Report), b: (&str, &Report), calls: bool) -> Vec<String> {
    let ((na, ra), (nb, rb)) = (a, b);
    let mut diffs = Vec::new();
    if ra.success != rb.success {
        diffs.push(format!(
            "success: {na} {} ({:?}), {nb} {} ({:?})",
            ra.success,
            revert_reason(ra),
            rb.success,
            revert_reason(rb)
        ));
    } else if revert_reason(ra) != revert_reason(rb) {
        diffs.push(format!(
            "revert reason: {na} {:?}, {nb} {:?}",
            revert_reason(ra),
            revert_reason(rb)
        ));
    }
    if ra.return_data != rb.return_data {
        diffs.push(format!(
            "return data:\n  {na} {}\n  {nb} {}",
            ra.return_data, rb.return_data
        ));
    }
    if ra.asset_changes != rb.asset_changes {
        diffs.push(format!(
            "asset changes:\n  {na} {:?}\n  {nb} {:?}",
            ra.asset_changes, rb.asset_changes
        ));
    }
    if calls {
        let (ca, cb) = (flat_calls(ra), flat_calls(rb));
        if ca != cb {
            let at = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
            diffs.push(format!(
                "calls ({} vs {}), first difference at call {at}:\n  {na} {:?}\n  {nb} {:?}",
                ca.len(),
                cb.len(),
                ca.get(at),
                cb.get(at)
            ));
        }
    }
    diffs
}

/// Compiles `src` at `-O0` and at the default level: both, or `Err(Ok(codes))` when both
/// refuse it with the same codes, or `Err(Err(why))` when the levels disagree.
#[allow(clippy::type_complexity)]
fn compile_both(src: &str) -> Result<(Compiled, Compiled), Result<Vec<String>, String>> {
    match (compile_at(src, OptLevel::O0), compile_at(src, OptLevel::O1)) {
        (Ok(p), Ok(o)) => {
            for (level, c) in [("-O0", &p), ("-O1", &o)] {
                nest_evm::check(&c.assembled.bytes, c.assembled.code_len)
                    .map_err(|v| Err(format!("{level}: unsafe code: {v:?}")))?;
            }
            Ok((p, o))
        }
        (Err(a), Err(b)) => {
            let codes = |v: &[String]| -> Vec<String> {
                v.iter()
                    .map(|d| d[..d.find(':').unwrap_or(d.len())].to_string())
                    .collect()
            };
            if codes(&a) != codes(&b) {
                return Err(Err(format!(
                    "the levels refuse with different codes:\n-O0: {a:#?}\n-O1: {b:#?}"
                )));
            }
            if codes(&a).iter().any(|c| c == "E0599") {
                return Err(Err(format!(
                    "an internal compiler error at both levels: {a:#?}"
                )));
            }
            Err(Ok(a))
        }
        (Ok(_), Err(b)) => Err(Err(format!("only -O0 compiles; -O1 says {b:#?}"))),
        (Err(a), Ok(_)) => Err(Err(format!("only -O1 compiles; -O0 says {a:#?}"))),
    }
}

/// Dry-runs a compiled program under every scenario; a permission left behind is an
/// error.
fn run_everywhere(c: &Compiled, level: &str) -> Result<Vec<Report>, String> {
    let ctx = nest_tests::run_context(c);
    devnets()
        .iter()
        .map(|(name, devnet)| {
            let r = devnet
                .dry_run(&c.bytes, &ctx)
                .map_err(|e| format!("scenario {name}: {level} dry run: {e}"))?;
            if !r.allowances_left.is_empty() {
                return Err(format!(
                    "scenario {name}: {level} left permissions behind: {:#?}\n{}",
                    r.allowances_left,
                    r.render(false)
                ));
            }
            Ok(r)
        })
        .collect()
}

/// Compiles `src` at both levels and runs it under every scenario; `Err` says what went
/// wrong: a permission left, an unexpected revert, the levels disagreeing, or `src` and
/// `live` (the same program without its dead code) disagreeing.
fn check_program(src: &str, live: Option<&str>) -> Result<CaseStats, String> {
    let mut stats = CaseStats::default();
    let (plain, opt) = match compile_both(src) {
        Ok(both) => both,
        Err(Ok(codes)) => {
            stats.refused = codes;
            return Ok(stats);
        }
        Err(Err(why)) => return Err(why),
    };
    stats.compiled = true;
    stats.journal = plain.ir.to_string().contains("journal");
    let r0s = run_everywhere(&plain, "-O0")?;
    let r1s = run_everywhere(&opt, "-O1")?;
    for (((name, _), r0), r1) in devnets().iter().zip(&r0s).zip(&r1s) {
        let diffs = differences(("-O0", r0), ("-O1", r1), false);
        if !diffs.is_empty() {
            return Err(format!(
                "scenario {name}: the levels disagree:\n{}\n--- -O0 report ---\n{}\n--- -O1 report ---\n{}",
                diffs.join("\n"),
                r0.render(false),
                r1.render(false)
            ));
        }
        if let Some(reason) = revert_reason(r0).filter(|r| !expected_revert(r)) {
            return Err(format!(
                "scenario {name}: unexpected revert at both levels: {reason}\n--- -O0 report ---\n{}",
                r0.render(false)
            ));
        }
        stats.runs += 1;
        if r0.success {
            stats.succeeded += 1;
        } else {
            stats
                .reverts
                .push(revert_reason(r0).unwrap_or("?").to_string());
        }
    }
    stats.scenario_sensitive = r0s
        .iter()
        .any(|r| r.success != r0s[0].success || r.return_data != r0s[0].return_data);
    if let Some(live) = live.filter(|l| *l != src) {
        stats.live_checked = true;
        let (lplain, lopt) = compile_both(live).map_err(|e| {
            format!(
                "the program without its dead code does not compile: {e:?}\n--- without dead code ---\n{live}"
            )
        })?;
        let l0s = run_everywhere(&lplain, "-O0 (without dead code)")?;
        let l1s = run_everywhere(&lopt, "-O1 (without dead code)")?;
        for (level, rs, ls) in [("-O0", &r0s, &l0s), ("-O1", &r1s, &l1s)] {
            for (((name, _), r), l) in devnets().iter().zip(rs).zip(ls) {
                let diffs = differences(("with dead code", r), ("without", l), true);
                if !diffs.is_empty() {
                    return Err(format!(
                        "scenario {name}, {level}: the program and the same without its dead code disagree:\n{}\n--- without dead code ---\n{live}\n--- report ---\n{}\n--- report without dead code ---\n{}",
                        diffs.join("\n"),
                        r.render(false),
                        l.render(false)
                    ));
                }
            }
        }
    }
    Ok(stats)
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| {
        let v = v.trim();
        match v.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16).ok(),
            None => v.parse().ok(),
        }
    })
}

/// Runs `default_cases` programs (or `NEST_FUZZ_CASES`) and checks every one, then the
/// generator's honesty.
fn fuzz(default_cases: u64, default_seed: u64, label: &str) {
    let cases = env_u64("NEST_FUZZ_CASES").unwrap_or(default_cases);
    let seed = env_u64("NEST_FUZZ_SEED").unwrap_or(default_seed);
    let only = env_u64("NEST_FUZZ_ONLY");
    let show = env_u64("NEST_FUZZ_SHOW").unwrap_or(3);
    let dump = std::env::var_os("NEST_FUZZ_DUMP").is_some();
    let started = std::time::Instant::now();
    let _ = devnets();

    let mut programs = 0u64;
    let mut compiled = 0u64;
    let mut journal = 0u64;
    let mut live_checked = 0u64;
    let mut sensitive = 0u64;
    let mut runs = 0usize;
    let mut succeeded = 0usize;
    let mut refused: BTreeMap<String, usize> = BTreeMap::new();
    let mut reverts: BTreeMap<String, usize> = BTreeMap::new();
    let mut feats: BTreeMap<&str, u64> = BTreeMap::new();
    let mut failures: Vec<u64> = Vec::new();
    let mut report = String::new();

    for i in 0..cases {
        if only.is_some_and(|o| o != i) {
            continue;
        }
        let Program {
            text: src,
            live,
            feats: f,
        } = program(case_seed(seed, i));
        if dump {
            eprintln!("=== case {i} ===\n{src}");
        }
        programs += 1;
        for name in f.names() {
            *feats.entry(name).or_default() += 1;
        }
        match check_program(&src, Some(&live)) {
            Ok(s) => {
                if s.compiled {
                    compiled += 1;
                } else {
                    let first = s.refused.first().cloned().unwrap_or_default();
                    if !refused.contains_key(&first) {
                        eprintln!("case {i} refused at both levels: {:#?}\n{src}", s.refused);
                    }
                    *refused.entry(first).or_default() += 1;
                }
                journal += s.journal as u64;
                live_checked += s.live_checked as u64;
                sensitive += s.scenario_sensitive as u64;
                runs += s.runs;
                succeeded += s.succeeded;
                for r in s.reverts {
                    *reverts.entry(r).or_default() += 1;
                }
            }
            Err(why) => {
                if (failures.len() as u64) < show {
                    let _ = writeln!(
                        report,
                        "\n===== FAILURE: {label} case {i} (seed {seed:#x}) =====\n\
                         rerun: NEST_FUZZ_SEED={seed:#x} NEST_FUZZ_ONLY={i} cargo test -p nest-tests --test it grant_fuzz::{label} -- --nocapture{}\n\
                         program with: {:?}\n\
                         --- script ---\n{src}\n--- what differs ---\n{why}\n",
                        if label.contains("long") { " --ignored" } else { "" },
                        f.names()
                    );
                }
                eprintln!(
                    "case {i} FAILED: {}; program with {:?}",
                    why.lines().next().unwrap_or_default(),
                    f.names()
                );
                failures.push(i);
            }
        }
    }

    let elapsed = started.elapsed();
    eprintln!(
        "grant fuzz ({label}): seed {seed:#x}, {programs} programs in {:.1} s: {compiled} compiled \
         ({} refused at both levels), {journal} in journal mode; {runs} runs: {succeeded} \
         succeeded, {} reverted",
        elapsed.as_secs_f64(),
        programs - compiled - failures.len() as u64,
        runs - succeeded
    );
    eprintln!("  programs with: {feats:?}");
    eprintln!(
        "  {live_checked} programs compared with themselves without dead code; {sensitive} \
         behave differently across the scenarios"
    );
    if !refused.is_empty() {
        eprintln!("  refused: {refused:#?}");
    }
    let mut top: Vec<(&String, &usize)> = reverts.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1));
    eprintln!("  revert reasons (-O0): {:?}", &top[..top.len().min(8)]);
    if !failures.is_empty() {
        panic!(
            "{report}\n{} of {programs} programs failed (seed {seed:#x}, cases {:?}); the first {} are above",
            failures.len(),
            &failures[..failures.len().min(50)],
            show.min(failures.len() as u64)
        );
    }
    if only.is_none() && programs >= 50 {
        // The generator must stay honest: mostly compiling, mostly succeeding programs
        // that really exercise dynamic grants.
        assert!(
            compiled * 100 >= programs * 95,
            "only {compiled} of {programs} programs compiled"
        );
        assert!(
            succeeded * 100 >= runs * 30,
            "only {succeeded} of {runs} runs succeeded"
        );
        assert!(journal > 0, "no program in journal mode");
        assert!(
            sensitive * 10 >= compiled,
            "only {sensitive} of {compiled} programs depend on the scenario"
        );
        for needed in [
            "zero-trip grant",
            "uncalled granting helper",
            "called granting helper",
            "fused read",
            "with block",
            "Permit2",
            "ERC-721 operator",
        ] {
            assert!(
                feats.get(needed).copied().unwrap_or(0) > 0,
                "no program with a {needed}"
            );
        }
    }
}

/// The bounded run of `cargo test` (a few hundred programs).
#[test]
fn grant_fuzz_bounded() {
    fuzz(300, 0x6e65_7374_6675_7a7a, "grant_fuzz_bounded");
}

/// The long run: `cargo test -p nest-tests --test it grant_fuzz::grant_fuzz_long --
/// --ignored` (5,000 programs of another seed than the bounded run's, about 8 minutes in a
/// debug build).
#[test]
#[ignore]
fn grant_fuzz_long() {
    fuzz(5_000, 0x6c6f_6e67_7275_6e21, "grant_fuzz_long");
}

/// Checks one script the way the fuzzer checks its programs, to minimise a failure by
/// hand: `NEST_FUZZ_FILE=case.ns cargo test -p nest-tests --test it
/// grant_fuzz::check_one_file -- --ignored --nocapture`.
#[test]
#[ignore]
fn check_one_file() {
    let path = std::env::var("NEST_FUZZ_FILE").expect("NEST_FUZZ_FILE names a script");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match check_program(&text, None) {
        Ok(s) if s.compiled => eprintln!(
            "{path}: ok ({} of {} runs succeeded; journal mode: {})",
            s.succeeded, s.runs, s.journal
        ),
        Ok(s) => panic!("{path}: refused at both levels: {:#?}", s.refused),
        Err(why) => panic!("{path}:\n{why}"),
    }
}

// ---------------------------------------------------------------------------------------
// Regressions: minimised programs the fuzzer found
// ---------------------------------------------------------------------------------------

fn assert_passes(src: &str) {
    match check_program(src, None) {
        Ok(s) => assert!(s.compiled, "refused: {:#?}\n{src}", s.refused),
        Err(why) => panic!("{src}\n{why}"),
    }
}

/// Known bug 1 (zero-trip grant): a grant in a loop that runs zero times sized the
/// journal for no entry, so the journal overlapped the heap (here `xs`): the exit's
/// replay read `[1, 2, 3]` as an entry and reverted with "nest: call to an address
/// without code".
#[test]
fn regression_zero_trip_loop_grant_with_heap_array() {
    assert_passes(
        "use std::ethereum::{USDC, UNISWAP_V2_ROUTER}
let xs = [1, 2, 3]
for i in 0..0 {
    approve(USDC, UNISWAP_V2_ROUTER, 1 USDC)
}
return xs[0], xs[1], xs[2]
",
    );
}

/// Known bug 1, through a granting helper that is never called.
#[test]
fn regression_uncalled_granting_helper_with_heap_array() {
    assert_passes(
        "use std::ethereum::{USDC, UNISWAP_V2_ROUTER}
fn allow() {
    approve(USDC, UNISWAP_V2_ROUTER, 1 USDC)
}
let xs = [1, 2, 3]
return xs[0], xs[1], xs[2]
",
    );
}

/// Known bug 2 (fused read): at the default level `R.getAmountsOut(…)[1]` copied its
/// return data over the start of the heap, where `a` lives: `a[0]` read 2,000 USDC
/// instead of 1,000.
#[test]
fn regression_fused_read_clobbers_kept_array() {
    assert_passes(
        "use std::ethereum::{USDC, WETH, UNISWAP_V2_ROUTER}
let a = UNISWAP_V2_ROUTER.getAmountsOut(1_000 USDC, [USDC, WETH])
let y = UNISWAP_V2_ROUTER.getAmountsOut(2_000 USDC, [USDC, WETH])[1]
return a[0], a[1], y
",
    );
}

/// Known bug 2, with the very same call: what the copy overwrites first is an array of
/// constants made before (`xs[0]` read 2).
#[test]
fn regression_fused_read_clobbers_constant_array() {
    assert_passes(
        "use std::ethereum::{USDC, WETH, UNISWAP_V2_ROUTER}
let xs = [7, 8, 9]
let a = UNISWAP_V2_ROUTER.getAmountsOut(1_000 USDC, [USDC, WETH])
let y = UNISWAP_V2_ROUTER.getAmountsOut(1_000 USDC, [USDC, WETH])[1]
return xs[0], xs[1], xs[2], a[0], a[1], y
",
    );
}

/// Known bug 2, with no array result kept at all: the fused read overwrote an array of
/// addresses made before it (`ps[1]` read 1,237 USDT, the quote's input, instead of WETH).
#[test]
fn regression_fused_read_clobbers_address_array() {
    assert_passes(
        "use std::ethereum::{USDT, WETH, UNISWAP_V2_ROUTER}
let ps = [USDT, WETH]
let x = UNISWAP_V2_ROUTER.getAmountsOut(1_237 USDT, [USDT, WETH])[1]
return ps[1], x
",
    );
}

/// Found by the fuzzer (its program without dead code): a loop whose body always
/// returns, after a grant, is an internal compiler error at both levels — the IR
/// verifier rejects `insert_revokes`' output ("a grant made in a loop body is still
/// held after it", E0599), though the grant is made before the loop.
#[test]
fn regression_loop_body_that_returns_after_a_grant() {
    assert_passes(
        "use std::ethereum::{DAI, UNISWAP_V2_ROUTER}
approve(DAI, UNISWAP_V2_ROUTER, 1 DAI)
for i in 0..1 {
    return 1
}
return 0
",
    );
}

/// The same at the default level only, once constant folding has made the body always
/// return (`n > 2` with `n = 3`): `-O0` compiles, `-O1` is E0599 after `const_fold`.
#[test]
fn regression_loop_body_that_returns_once_folded_after_a_grant() {
    assert_passes(
        "use std::ethereum::{DAI, UNISWAP_V2_ROUTER}
param n: uint256 = 3
approve(DAI, UNISWAP_V2_ROUTER, 1 DAI)
for i in 0..2 {
    if n > 2 {
        return 1
    }
}
return 0
",
    );
}

/// The same family, found by the long run: a `with` block in a loop whose body always
/// reverts is E0599 at both levels (the verifier rejects `lower`'s output).
#[test]
fn regression_with_block_that_reverts_in_a_loop() {
    assert_passes(
        "use std::ethereum::{DAI, UNISWAP_V2_ROUTER}
for i in 0..2 {
    with approve(DAI, UNISWAP_V2_ROUTER, 1 DAI) {
        revert(\"r1\")
    }
}
return 0
",
    );
}

/// And once constant folding has made the `require` always fail (`n > 3` with `n = 3`):
/// `-O0` compiles, `-O1` is E0599 after `const_fold`.
#[test]
fn regression_with_block_that_reverts_once_folded_in_a_loop() {
    assert_passes(
        "use std::ethereum::{DAI, UNISWAP_V2_ROUTER}
param n: uint256 = 3
for i in 0..2 {
    with approve(DAI, UNISWAP_V2_ROUTER, 1 DAI) {
        require(n > 3, \"r1\")
    }
}
return 0
",
    );
}
