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
//! - `cargo test -p nest-tests --test grant_fuzz`: a bounded run (`NEST_FUZZ_CASES`,
//!   default 300; `NEST_FUZZ_SEED` picks the seed).
//! - `cargo test -p nest-tests --test grant_fuzz -- --ignored`: the long run (default
//!   5,000 programs).
//! - `NEST_FUZZ_ONLY=17` runs only case 17 of the seed (a failure prints the command);
//!   `NEST_FUZZ_SHOW=n` prints the first `n` failures in full (default 3);
//!   `NEST_FUZZ_DUMP=1` prints every program.
//! - `NEST_FUZZ_FILE=case.ns cargo test -p nest-tests --test grant_fuzz check_one_file
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

// ---------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------

/// The seed of case `index` of a run seeded with `seed`.
fn case_seed(seed: u64, index: u64) -> u64 {
    Rng(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03)).next()
}

// ---------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------

/// The scenario tokens: symbol and a "small" amount in whole units.
const TOKENS: &[&str] = &["USDC", "USDT", "DAI", "WETH"];
/// Tokens whose plain ERC-20 `approve` may change a non-zero allowance (not USDT) and
/// whose `transfer` returns a `bool`.
const PLAIN_TOKENS: &[&str] = &["USDC", "DAI", "WETH"];
const SPENDERS: &[&str] = &["UNISWAP_V2_ROUTER", "UNISWAP_V3_ROUTER", "AAVE_V3_POOL"];
const OPERATORS: &[&str] = &[
    "UNISWAP_V2_ROUTER",
    "AAVE_V3_POOL",
    "0x1E0049783F008A0085193E00003D00cd54003c71",
];
/// Tokens with an Aave V3 reserve (and so a variable debt token).
const AAVE_TOKENS: &[&str] = &["USDC", "USDT", "DAI", "WETH"];

const HEADER: &str = "\
use std::ethereum::{USDC, USDT, DAI, WETH, UNISWAP_V2_ROUTER, UNISWAP_V3_ROUTER, AAVE_V3_POOL, AAVE_V3_DATA_PROVIDER, PERMIT2}
use std::erc20::IERC20
use std::erc721::IERC721
use std::weth::IWETH
use std::aave_v3::IVariableDebtToken

/// The devnet's ERC-721 collection (the vault owns ids 1 to 3).
const DEVNFT = IERC721(0xcd394391aEa1EC56d7b423B487C7c25347eb9606)
";

/// What a generated program contains, for the statistics and the honesty checks.
#[derive(Default, Clone, Copy, Debug)]
struct Features {
    /// A grant inside a run-time loop that runs zero times.
    zero_trip: bool,
    /// A helper function that grants and is never called (or only from uncalled ones).
    uncalled_grant_fn: bool,
    /// A grant inside a helper that is called.
    called_grant_fn: bool,
    /// A fused read `R.getAmountsOut(…)[k]` (often after `let a = R.getAmountsOut(…)`).
    fused: bool,
    with_block: bool,
    permit2: bool,
    nft: bool,
    delegation: bool,
    /// A grant inside a run-time loop or a branch.
    dynamic_grant: bool,
}

impl Features {
    /// The names of what the program contains.
    fn names(&self) -> Vec<&'static str> {
        [
            ("zero-trip grant", self.zero_trip),
            ("uncalled granting helper", self.uncalled_grant_fn),
            ("called granting helper", self.called_grant_fn),
            ("fused read", self.fused),
            ("with block", self.with_block),
            ("Permit2", self.permit2),
            ("ERC-721 operator", self.nft),
            ("credit delegation", self.delegation),
            ("grant in loop or branch", self.dynamic_grant),
        ]
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| name)
        .collect()
    }
}

/// The names visible in one block.
#[derive(Default)]
struct Scope {
    /// `uint256` expressions that are cheap to read again (variables, array elements).
    nums: Vec<String>,
    /// One-word values of other types (addresses) worth returning.
    words: Vec<String>,
    /// Run-time tokens (`address`): loop variables over token arrays.
    toks: Vec<String>,
    /// `uint256[]` variables and their lengths.
    arrays: Vec<(String, usize)>,
    /// `address[]` variables of tokens: name and the token symbols.
    paths: Vec<(String, Vec<&'static str>)>,
}

struct FnInfo {
    name: String,
    /// `-> uint256`.
    ret: bool,
    /// Grants, itself or through a helper it calls.
    grants: bool,
    /// Helpers this one calls, and whether the call sits in a loop that never runs.
    callees: Vec<(usize, bool)>,
}

struct Gen {
    rng: Rng,
    id: u32,
    scopes: Vec<Scope>,
    fns: Vec<FnInfo>,
    /// The helper being generated, if any (top-level statements otherwise).
    cur_fn: Option<usize>,
    /// Helpers the top-level statements call (and whether in a loop that never runs).
    main_calls: Vec<(usize, bool)>,
    depth: u32,
    /// The values every top-level `return` returns after the accumulator: an address
    /// (`true`) or a `uint256`.
    ret_addr: Vec<bool>,
    /// `uint256` parameters and their values.
    params: Vec<(String, u64)>,
    /// Nesting depth of loops known to run zero times.
    zero_loops: u32,
    /// Nesting depth of run-time loops and branches.
    dynamic: u32,
    /// The current helper grants (directly or through a call).
    fn_grants: bool,
    feats: Features,
    /// Statements left in the program's budget (keeps programs small).
    budget: i32,
}

impl Gen {
    fn fresh(&mut self, prefix: &str) -> String {
        self.id += 1;
        format!("{prefix}{}", self.id)
    }

    /// The accumulator of the current body.
    fn acc(&self) -> &'static str {
        if self.cur_fn.is_some() {
            "r"
        } else {
            "acc"
        }
    }

    fn scope(&mut self) -> &mut Scope {
        self.scopes.last_mut().expect("a scope")
    }

    fn all<T: Clone>(&self, f: impl Fn(&Scope) -> &Vec<T>) -> Vec<T> {
        self.scopes
            .iter()
            .flat_map(|s| f(s).iter().cloned())
            .collect()
    }

    /// A small whole amount of `token`.
    fn whole(&mut self, token: &str) -> u64 {
        match token {
            "WETH" => 1 + self.rng.below(5),
            _ => 1 + self.rng.below(2_000),
        }
    }

    fn token(&mut self) -> &'static str {
        TOKENS[self.rng.below(TOKENS.len() as u64) as usize]
    }

    fn spender(&mut self) -> &'static str {
        SPENDERS[self.rng.below(SPENDERS.len() as u64) as usize]
    }

    /// Helpers the current body may call (no recursion: only earlier ones from a helper).
    fn callable(&self) -> Vec<usize> {
        match self.cur_fn {
            Some(k) => (0..k).collect(),
            None => (0..self.fns.len()).collect(),
        }
    }

    fn note_call(&mut self, k: usize) {
        let dead = self.zero_loops > 0;
        match self.cur_fn {
            Some(me) => self.fns[me].callees.push((k, dead)),
            None => self.main_calls.push((k, dead)),
        }
        if self.fns[k].grants {
            self.note_grant();
        }
    }

    /// Records that a grant is made here.
    fn note_grant(&mut self) {
        if self.zero_loops > 0 {
            self.feats.zero_trip = true;
        }
        if self.dynamic > 0 {
            self.feats.dynamic_grant = true;
        }
        if self.cur_fn.is_some() {
            self.fn_grants = true;
        }
    }

    /// A simple `uint256` operand: a literal or something in scope.
    fn atom(&mut self) -> String {
        let nums = self.all(|s| &s.nums);
        if !nums.is_empty() && self.rng.chance(60) {
            self.rng.pick(&nums).clone()
        } else {
            self.rng.below(1_000).to_string()
        }
    }

    /// A `uint256` expression, small enough that sums of a few dozen never overflow.
    fn num(&mut self) -> String {
        let arrays = self.all(|s| &s.arrays);
        let callable: Vec<usize> = self
            .callable()
            .into_iter()
            .filter(|&k| self.fns[k].ret)
            .collect();
        loop {
            return match self.rng.below(14) {
                0 => self.rng.below(1_000).to_string(),
                1 | 2 => self.atom(),
                3 => {
                    let t = self.token();
                    format!("(balance({t}) as uint256) % 1_000_003")
                }
                4 => format!("block.number % {}", 2 + self.rng.below(9)),
                5 => format!("block.timestamp % {}", 2 + self.rng.below(9)),
                6 if !arrays.is_empty() => {
                    let (a, len) = self.rng.pick(&arrays).clone();
                    if self.rng.chance(50) {
                        format!("{a}[{}]", self.rng.below(len as u64))
                    } else {
                        let i = self.atom();
                        format!("{a}[({i}) % {len}]")
                    }
                }
                7 | 8 if !callable.is_empty() => {
                    let k = *self.rng.pick(&callable);
                    self.note_call(k);
                    let arg = self.atom();
                    format!("{}({arg})", self.fns[k].name)
                }
                9 => {
                    let t = self.token();
                    let s = self.spender();
                    format!("IERC20({t}).allowance(self, {s}) % 1_000_003")
                }
                10 => {
                    let t = self.token();
                    let s = self.spender();
                    format!("(PERMIT2.allowance(self, {t}, {s}).amount as uint256) % 1_000_003")
                }
                11 => {
                    self.feats.fused = true;
                    let (a, b) = self.pair();
                    let x = self.whole(a);
                    format!("UNISWAP_V2_ROUTER.getAmountsOut({x} {a}, [{a}, {b}])[1] % 1_000_003")
                }
                12 => {
                    let (x, y) = (self.atom(), self.atom());
                    let f = if self.rng.chance(50) { "min" } else { "max" };
                    format!("{f}({x}, {y})")
                }
                13 => {
                    let x = self.atom();
                    format!("{x} % {} + {}", 2 + self.rng.below(50), self.rng.below(10))
                }
                _ => continue,
            };
        }
    }

    /// Two different scenario tokens.
    fn pair(&mut self) -> (&'static str, &'static str) {
        let i = self.rng.below(TOKENS.len() as u64) as usize;
        let j = (i + 1 + self.rng.below(TOKENS.len() as u64 - 1) as usize) % TOKENS.len();
        (TOKENS[i], TOKENS[j])
    }

    /// A condition that is sometimes true, sometimes false across the scenarios.
    fn cond(&mut self) -> String {
        let nums = self.all(|s| &s.nums);
        loop {
            return match self.rng.below(10) {
                0 => {
                    let m = 2 + self.rng.below(4);
                    let op = if self.rng.chance(50) { "==" } else { "!=" };
                    format!("block.number % {m} {op} {}", self.rng.below(m))
                }
                1 => {
                    let m = 2 + self.rng.below(4);
                    format!("block.timestamp % {m} < {}", 1 + self.rng.below(m))
                }
                2 => format!(
                    "block.timestamp > {}",
                    1_730_000_000 + self.rng.below(4_000)
                ),
                3 => {
                    let t = self.token();
                    let n = if self.rng.chance(50) {
                        0
                    } else {
                        self.whole(t)
                    };
                    format!("balance({t}) > {n} {t}")
                }
                4 if !self.params.is_empty() => {
                    let (p, _) = self.rng.pick(&self.params).clone();
                    format!("{p} > {}", self.rng.below(4))
                }
                5 if !nums.is_empty() => {
                    let x = self.rng.pick(&nums).clone();
                    format!("{x} % 2 == {}", self.rng.below(2))
                }
                6 => {
                    let t = self.token();
                    let s = self.spender();
                    format!("IERC20({t}).allowance(self, {s}) > 0")
                }
                7 => {
                    let op = self.rng.pick(OPERATORS);
                    format!("DEVNFT.isApprovedForAll(self, {op})")
                }
                8 => {
                    let (a, b) = (self.cond(), self.cond());
                    let op = if self.rng.chance(50) { "&&" } else { "||" };
                    format!("({a}) {op} ({b})")
                }
                9 => format!("!({})", self.cond()),
                _ => continue,
            };
        }
    }

    /// A condition that holds in most scenarios (for `require`).
    fn likely(&mut self) -> String {
        match self.rng.below(5) {
            0 => {
                let m = 4 + self.rng.below(4);
                format!("block.number % {m} != {}", self.rng.below(m))
            }
            1 => {
                let t = self.token();
                format!("balance({t}) > 0 {t}")
            }
            2 => format!("{} < 1_000_000_000_000_000_000_000_000_000_000", self.acc()),
            3 => format!(
                "block.timestamp > {}",
                1_729_000_000 + self.rng.below(1_000_000)
            ),
            _ => {
                let x = self.num();
                format!("{x} < 1_000_000_000_000_000_000")
            }
        }
    }

    /// The head of a grant: an expression usable as a statement or after `with`.
    fn grant(&mut self) -> String {
        self.note_grant();
        let toks = self.all(|s| &s.toks);
        let paths = self.all(|s| &s.paths);
        loop {
            return match self.rng.below(16) {
                0..=4 => {
                    let t = self.token();
                    let s = self.spender();
                    let amount = match self.rng.below(4) {
                        0 => format!("balance({t}) / {}", 2 + self.rng.below(100)),
                        1 => format!("min(balance({t}), {} {t})", self.whole(t)),
                        _ => format!("{} {t}", self.whole(t)),
                    };
                    format!("approve({t}, {s}, {amount})")
                }
                5 | 6 if !toks.is_empty() => {
                    let t = self.rng.pick(&toks).clone();
                    let s = self.spender();
                    // Amounts in base units, sometimes from a loop index or an array.
                    let amount = if self.rng.chance(50) {
                        format!("{} + 1", self.atom())
                    } else {
                        (1 + self.rng.below(10_000)).to_string()
                    };
                    format!("approve({t}, {s}, {amount})")
                }
                7 if !paths.is_empty() => {
                    // An annotated grant on a token read from an array (not USDT, whose
                    // plain `approve` refuses a non-zero to non-zero change).
                    let (p, ts) = self.rng.pick(&paths).clone();
                    let s = self.spender();
                    let Some(i) = ts.iter().position(|t| *t != "USDT") else {
                        continue;
                    };
                    format!(
                        "IERC20({p}[{i}]).approve({s}, {})",
                        1 + self.rng.below(10_000)
                    )
                }
                8 | 9 => {
                    self.feats.permit2 = true;
                    let t = self.token();
                    let s = self.spender();
                    let expiry = match self.rng.below(3) {
                        0 => "4_000_000_000".to_string(),
                        1 => format!("(block.timestamp + {}) as uint48", 60 + self.rng.below(600)),
                        _ => "0".to_string(),
                    };
                    let amount = if self.rng.chance(70) {
                        (1 + self.rng.below(1_000_000)).to_string()
                    } else {
                        format!("({}) as uint160", self.atom())
                    };
                    format!("PERMIT2.approve({t}, {s}, {amount}, {expiry})")
                }
                10 | 11 => {
                    self.feats.nft = true;
                    let op = self.rng.pick(OPERATORS);
                    format!("DEVNFT.setApprovalForAll({op}, true)")
                }
                12 | 13 => {
                    let t = self.rng.pick(PLAIN_TOKENS);
                    let s = self.spender();
                    let x = self.whole(t);
                    format!("IERC20({t}).approve({s}, {x} {t})")
                }
                14 => {
                    self.feats.delegation = true;
                    let t = self.rng.pick(AAVE_TOKENS);
                    let s = self.spender();
                    format!(
                        "IVariableDebtToken(AAVE_V3_DATA_PROVIDER.getReserveTokensAddresses({t}).variableDebtTokenAddress).approveDelegation({s}, {})",
                        1 + self.rng.below(1_000)
                    )
                }
                15 => {
                    let t = self.rng.pick(PLAIN_TOKENS);
                    let amount = self.whole(t);
                    format!("approve({t}, PERMIT2, {amount} {t})")
                }
                _ => continue,
            };
        }
    }

    /// One to `k` statements in a new scope, indented.
    fn block_upto(&mut self, k: u64) -> String {
        let n = 1 + self.rng.below(k) as u32;
        self.block(n)
    }

    /// `n` statements in a new scope, indented.
    fn block(&mut self, n: u32) -> String {
        self.scopes.push(Scope::default());
        let mut out = String::new();
        for _ in 0..n {
            out.push_str(&self.stmt());
        }
        self.scopes.pop();
        indent(&out)
    }

    /// The values a top-level `return` returns: the accumulator, then recent values.
    fn return_values(&mut self) -> String {
        let mut vals = vec![self.acc().to_string()];
        let (mut nums, mut words) = (self.all(|s| &s.nums), self.all(|s| &s.words));
        if self.depth == 0 {
            // The final return: what the top level kept, arrays made long before included.
            let top = &self.scopes[0];
            nums = top.nums.clone();
            words = top.words.clone();
            for (a, len) in &top.arrays {
                nums.push(format!("{a}[{}]", len - 1));
            }
        }
        for k in 0..self.ret_addr.len() {
            let addr = self.ret_addr[k];
            let pool = if addr { &mut words } else { &mut nums };
            if pool.is_empty() || self.rng.chance(10) {
                vals.push(if addr {
                    "self".to_string()
                } else {
                    self.rng.below(100).to_string()
                });
            } else {
                // Prefer recent values (arrays read long after they were made).
                let n = pool.len() as u64;
                let i = if self.rng.chance(50) {
                    n - 1 - self.rng.below(n.min(3))
                } else {
                    self.rng.below(n)
                };
                vals.push(pool.remove(i as usize));
            }
        }
        vals.join(", ")
    }

    fn ret(&mut self) -> String {
        match self.cur_fn {
            Some(k) if self.fns[k].ret => format!("return r + {}\n", self.rng.below(10)),
            Some(_) => "return\n".to_string(),
            None => format!("return {}\n", self.return_values()),
        }
    }

    fn stmt(&mut self) -> String {
        self.budget -= 1;
        if self.depth >= 3 || self.budget <= 0 {
            return match self.rng.below(3) {
                0 => format!("{}\n", self.grant()),
                1 => format!("{} += {}\n", self.acc(), self.num()),
                _ => self.let_num(),
            };
        }
        self.depth += 1;
        let s = loop {
            break match self.rng.below(22) {
                0..=3 => format!("{}\n", self.grant()),
                4 | 5 => {
                    self.dynamic += 1;
                    let c = self.cond();
                    let then = self.block_upto(2);
                    let s = if self.rng.chance(60) {
                        let els = self.block_upto(2);
                        format!("if {c} {{\n{then}}} else {{\n{els}}}\n")
                    } else {
                        format!("if {c} {{\n{then}}}\n")
                    };
                    self.dynamic -= 1;
                    s
                }
                6 | 7 => self.range_loop(),
                8 => {
                    let n = 2 + self.rng.below(2) as usize;
                    let mut ts: Vec<&str> = Vec::new();
                    while ts.len() < n {
                        let t = self.token();
                        if !ts.contains(&t) {
                            ts.push(t);
                        }
                    }
                    let v = self.fresh("t");
                    self.scopes.push(Scope::default());
                    self.scope().toks.push(v.clone());
                    self.scope().words.push(v.clone());
                    let body = self.block_upto(2);
                    self.scopes.pop();
                    format!("for {v} in [{}] {{\n{body}}}\n", ts.join(", "))
                }
                9 | 10 => {
                    self.feats.with_block = true;
                    let g = self.grant();
                    let body = self.block_upto(3);
                    format!("with {g} {{\n{body}}}\n")
                }
                11 => {
                    self.dynamic += 1;
                    let c = self.cond();
                    let mut body = if self.rng.chance(50) {
                        self.scopes.push(Scope::default());
                        let s = self.stmt();
                        self.scopes.pop();
                        s
                    } else {
                        String::new()
                    };
                    body.push_str(&self.ret());
                    self.dynamic -= 1;
                    format!("if {c} {{\n{}}}\n", indent(&body))
                }
                12 => {
                    let c = if self.rng.chance(25) {
                        self.cond()
                    } else {
                        self.likely()
                    };
                    format!("require({c}, \"r{}\")\n", self.rng.below(100))
                }
                13 | 14 => self.let_num(),
                15 => {
                    let v = self.fresh("xs");
                    let len = 1 + self.rng.below(4) as usize;
                    let elems: Vec<String> = (0..len)
                        .map(|_| self.rng.below(1_000).to_string())
                        .collect();
                    self.scope().arrays.push((v.clone(), len));
                    self.scope().nums.push(format!("{v}[0]"));
                    format!("let {v} = [{}]\n", elems.join(", "))
                }
                16 => {
                    let v = self.fresh("ps");
                    let (a, b) = self.pair();
                    let mut ts = vec![a, b];
                    if self.rng.chance(30) {
                        let c = self.token();
                        if !ts.contains(&c) {
                            ts.push(c);
                        }
                    }
                    self.scope().paths.push((v.clone(), ts.clone()));
                    self.scope().words.push(format!("{v}[{}]", ts.len() - 1));
                    format!("let {v} = [{}]\n", ts.join(", "))
                }
                17 => self.fused(),
                18 => format!("{} += {}\n", self.acc(), self.num()),
                19 => {
                    let callable = self.callable();
                    if callable.is_empty() {
                        continue;
                    }
                    let k = *self.rng.pick(&callable);
                    self.note_call(k);
                    let arg = self.atom();
                    let name = self.fns[k].name.clone();
                    if self.fns[k].ret {
                        format!("{} += {name}({arg})\n", self.acc())
                    } else {
                        format!("{name}({arg})\n")
                    }
                }
                20 => self.asset_move(),
                _ => {
                    // A swap in a `with` block, guarded by the balance.
                    self.feats.with_block = true;
                    let (a, b) = self.pair();
                    let x = self.whole(a);
                    let s = self.fresh("s");
                    let acc = self.acc();
                    let swap = format!(
                        "with approve({a}, UNISWAP_V2_ROUTER, {x} {a}) {{\n    let {s} = UNISWAP_V2_ROUTER.swapExactTokensForTokens({x} {a}, 0, [{a}, {b}], self, block.timestamp)\n    {acc} += {s}[1] % 1_000_003\n}}\n"
                    );
                    if self.rng.chance(80) {
                        format!("if balance({a}) >= {x} {a} {{\n{}}}\n", indent(&swap))
                    } else {
                        // Unguarded: reverts when the vault lacks the tokens.
                        swap
                    }
                }
            };
        };
        self.depth -= 1;
        s
    }

    fn let_num(&mut self) -> String {
        let v = self.fresh("x");
        let e = self.num();
        self.scope().nums.push(v.clone());
        format!("let {v} = {e}\n")
    }

    /// `for i in 0..N` with N a literal or a parameter, zero included.
    fn range_loop(&mut self) -> String {
        let (bound, trips) = if self.rng.chance(30) {
            let p = self.fresh("n");
            let v = self.rng.below(4);
            self.params.push((p.clone(), v));
            (p, v)
        } else {
            let v = if self.rng.chance(30) {
                0
            } else {
                1 + self.rng.below(3)
            };
            (v.to_string(), v)
        };
        let start = if trips > 0 && self.rng.chance(20) {
            1
        } else {
            0
        };
        let v = self.fresh("i");
        if trips <= start {
            self.zero_loops += 1;
        }
        self.dynamic += 1;
        self.scopes.push(Scope::default());
        self.scope().nums.push(v.clone());
        let body = self.block_upto(2);
        self.scopes.pop();
        self.dynamic -= 1;
        if trips <= start {
            self.zero_loops -= 1;
        }
        let text = format!("for {v} in {start}..{bound} {{\n{body}}}\n");
        if trips <= start {
            // Marked, so that the variant without dead code can leave it out.
            format!("{ZERO_BEGIN}\n{text}{ZERO_END}\n")
        } else {
            text
        }
    }

    /// A read whose array result is kept, then the same call read by index (a fused
    /// read), then the kept array read again later.
    fn fused(&mut self) -> String {
        self.feats.fused = true;
        let paths = self.all(|s| &s.paths);
        let (path, first, len) = if !paths.is_empty() && self.rng.chance(40) {
            let (p, ts) = self.rng.pick(&paths).clone();
            (p, ts[0], ts.len())
        } else {
            let (a, b) = self.pair();
            (format!("[{a}, {b}]"), a, 2)
        };
        let x = self.whole(first);
        let x2 = if self.rng.chance(50) {
            x
        } else {
            self.whole(first)
        };
        let a = self.fresh("a");
        let y = self.fresh("y");
        let k = 1 + self.rng.below(len as u64 - 1);
        let s = self.scope();
        s.arrays.push((a.clone(), len));
        s.nums.push(format!("{a}[0]"));
        s.nums.push(format!("{a}[{}]", len - 1));
        s.nums.push(y.clone());
        format!(
            "let {a} = UNISWAP_V2_ROUTER.getAmountsOut({x} {first}, {path})\nlet {y} = UNISWAP_V2_ROUTER.getAmountsOut({x2} {first}, {path})[{k}]\n"
        )
    }

    /// Something that changes the vault's balances: an Aave supply, a wrap, a transfer.
    fn asset_move(&mut self) -> String {
        match self.rng.below(3) {
            0 => {
                self.feats.with_block = true;
                let t = self.rng.pick(AAVE_TOKENS);
                let x = self.whole(t);
                format!(
                    "if balance({t}) >= {x} {t} {{\n    with approve({t}, AAVE_V3_POOL, {x} {t}) {{\n        AAVE_V3_POOL.supply({t}, {x} {t}, self, 0)\n    }}\n}}\n"
                )
            }
            1 => format!(
                "if eth_balance() >= {0} gwei {{\n    IWETH(WETH).deposit{{value: {0} gwei}}()\n}}\n",
                1 + self.rng.below(1_000_000)
            ),
            _ => {
                let t = self.rng.pick(PLAIN_TOKENS);
                let x = self.whole(t);
                format!(
                    "if balance({t}) >= {x} {t} {{\n    IERC20({t}).transfer(0x000000000000000000000000000000000000dEaD, {x} {t})\n}}\n"
                )
            }
        }
    }

    /// A helper function, generated before the top-level statements.
    fn helper(&mut self, k: usize) -> String {
        let ret = self.rng.chance(50);
        let name = format!("h{k}");
        self.fns.push(FnInfo {
            name: name.clone(),
            ret,
            grants: false,
            callees: Vec::new(),
        });
        self.cur_fn = Some(k);
        self.fn_grants = false;
        self.scopes.push(Scope::default());
        self.scope().nums.push("n".into());
        let body = self.block_upto(3);
        self.scopes.pop();
        self.fns[k].grants = self.fn_grants;
        self.cur_fn = None;
        if ret {
            format!(
                "fn {name}(n: uint256) -> uint256 {{\n    let mut r = n\n{body}    return r\n}}\n\n"
            )
        } else {
            format!("fn {name}(n: uint256) {{\n    let mut r = n\n{body}}}\n\n")
        }
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("    {l}\n")
            }
        })
        .collect()
}

/// The markers around a loop that never runs (comments, so the program is unchanged).
const ZERO_BEGIN: &str = "// zero-trip {";
const ZERO_END: &str = "// } zero-trip";

/// `text` without the marked loops that never run.
fn strip_zero_trip(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for line in text.lines() {
        match line.trim() {
            ZERO_BEGIN => depth += 1,
            ZERO_END => depth -= 1,
            _ if depth == 0 => {
                out.push_str(line);
                out.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// A generated program.
struct Program {
    text: String,
    /// The same program without the code that never runs (loops that run zero times,
    /// helpers never called): it must do exactly what `text` does.
    live: String,
    feats: Features,
}

/// A random program and what it contains.
fn program(seed: u64) -> Program {
    let mut g = Gen {
        rng: Rng(seed),
        id: 0,
        scopes: vec![Scope::default()],
        fns: Vec::new(),
        cur_fn: None,
        main_calls: Vec::new(),
        depth: 0,
        ret_addr: Vec::new(),
        params: Vec::new(),
        zero_loops: 0,
        dynamic: 0,
        fn_grants: false,
        feats: Features::default(),
        budget: 0,
    };
    for _ in 0..g.rng.below(6) {
        let addr = g.rng.chance(25);
        g.ret_addr.push(addr);
    }
    // A few loop bounds and thresholds as parameters (compile-time, folded at -O1).
    for _ in 0..g.rng.below(3) {
        let p = g.fresh("p");
        let v = g.rng.below(4);
        g.params.push((p, v));
    }
    let mut fns = Vec::new();
    for k in 0..g.rng.below(4) as usize {
        g.budget = 6;
        fns.push(g.helper(k));
    }
    g.budget = 10 + g.rng.below(14) as i32;
    let n = 3 + g.rng.below(5) as u32;
    let mut body = String::new();
    for _ in 0..n {
        body.push_str(&g.stmt());
    }
    body.push_str(&g.ret());
    // Which helpers run: those the script calls outside loops that never run, and
    // those they call (the same way).
    let live_calls = |calls: &[(usize, bool)]| -> Vec<usize> {
        calls.iter().filter(|c| !c.1).map(|c| c.0).collect()
    };
    let mut called = vec![false; g.fns.len()];
    let mut todo = live_calls(&g.main_calls);
    while let Some(k) = todo.pop() {
        if !called[k] {
            called[k] = true;
            todo.extend(live_calls(&g.fns[k].callees));
        }
    }
    for (k, f) in g.fns.iter().enumerate() {
        if f.grants && !called[k] {
            g.feats.uncalled_grant_fn = true;
        }
        if f.grants && called[k] {
            g.feats.called_grant_fn = true;
        }
    }
    let mut params = String::new();
    for (p, v) in &g.params {
        let _ = writeln!(params, "param {p}: uint256 = {v}");
    }
    let head = format!("{HEADER}{params}\n");
    let text = format!("{head}{}let mut acc = 0\n{body}", fns.concat());
    let live_fns: String = fns
        .iter()
        .zip(&called)
        .filter(|(_, c)| **c)
        .map(|(f, _)| f.as_str())
        .collect();
    let live = strip_zero_trip(&format!("{head}{live_fns}let mut acc = 0\n{body}"));
    Program {
        text,
        live,
        feats: g.feats,
    }
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
                         rerun: NEST_FUZZ_SEED={seed:#x} NEST_FUZZ_ONLY={i} cargo test -p nest-tests --test grant_fuzz {label} -- --nocapture{}\n\
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

/// The long run: `cargo test -p nest-tests --test grant_fuzz -- --ignored` (5,000 programs
/// of another seed than the bounded run's, about 8 minutes in a debug build).
#[test]
#[ignore]
fn grant_fuzz_long() {
    fuzz(5_000, 0x6c6f_6e67_7275_6e21, "grant_fuzz_long");
}

/// Checks one script the way the fuzzer checks its programs, to minimise a failure by
/// hand: `NEST_FUZZ_FILE=case.ns cargo test -p nest-tests --test grant_fuzz
/// check_one_file -- --ignored --nocapture`.
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
