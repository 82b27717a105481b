//! The generator of the grant fuzzer: random well-typed scripts that grant permissions
//! in every shape the language allows (see `grant_fuzz.rs` for what is checked).

#[path = "text.rs"]
mod text;

use nest_tests::Rng;
use std::fmt::Write as _;
use text::{base_units, indent, strip_zero_trip, ZERO_BEGIN, ZERO_END};

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
pub(super) struct Features {
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
    pub(super) fn names(&self) -> Vec<&'static str> {
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
                        format!("({a}[{}] as uint256)", self.rng.below(len as u64))
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
                    format!("(IERC20({t}).allowance(self, {s}) as uint256) % 1_000_003")
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
                    format!("(UNISWAP_V2_ROUTER.getAmountsOut({x} {a}, [{a}, {b}])[1] as uint256) % 1_000_003")
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
                        base_units(1 + self.rng.below(1_000_000), t)
                    } else {
                        format!("(((({}) as uint256) as {t})) as uint160", self.atom())
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
                        "with approve({a}, UNISWAP_V2_ROUTER, {x} {a}) {{\n    let {s} = UNISWAP_V2_ROUTER.swapExactTokensForTokens({x} {a}, 0, [{a}, {b}], self, block.timestamp)\n    {acc} += ({s}[1] as uint256) % 1_000_003\n}}\n"
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
        s.nums.push(format!("({a}[0] as uint256)"));
        s.nums.push(format!("({a}[{}] as uint256)", len - 1));
        s.nums.push(y.clone());
        format!(
            "let {a} = UNISWAP_V2_ROUTER.getAmountsOut({x} {first}, {path})\nlet {y} = UNISWAP_V2_ROUTER.getAmountsOut({x2} {first}, {path})[{k}] as uint256\n"
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

/// A generated program.
pub(super) struct Program {
    pub(super) text: String,
    /// The same program without the code that never runs (loops that run zero times,
    /// helpers never called): it must do exactly what `text` does.
    pub(super) live: String,
    pub(super) feats: Features,
}

/// A random program and what it contains.
pub(super) fn program(seed: u64) -> Program {
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
