//! The safety property, tested on random programs: scripts that grant permissions in
//! straight lines, branches, run-time loops, loops over tokens, `with` blocks, helper
//! functions and early returns are generated at random, compiled, dry-run on the
//! devnet — and none may leave a permission behind. Deterministic (a fixed PRNG seed;
//! `NEST_PROPERTY_CASES` and `NEST_PROPERTY_SEED` change the count and the seed).

use nest_devnet::{Devnet, Scenario};
use nest_driver::{compile, CompileRequest, MemoryResolver};

/// xorshift64*: small, deterministic, good enough for choosing program shapes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const TOKENS: &[&str] = &["USDC", "USDT", "DAI", "WETH"];
const SPENDERS: &[&str] = &["UNISWAP_V2_ROUTER", "UNISWAP_V3_ROUTER", "AAVE_V3_POOL"];

struct Gen {
    rng: Rng,
    depth: u32,
    fns: Vec<String>,
    in_fn: bool,
}

impl Gen {
    fn grant(&mut self) -> String {
        match self.rng.below(4) {
            0 => {
                // A loop over several tokens: a run-time token `t`.
                let i = self.rng.below(TOKENS.len() as u64) as usize;
                let j = (i + 1 + self.rng.below(TOKENS.len() as u64 - 1) as usize) % TOKENS.len();
                let (a, b) = (TOKENS[i], TOKENS[j]);
                let s = self.rng.pick(SPENDERS);
                format!(
                    "for t in [{a}, {b}] {{\n approve(t, {s}, {})\n}}\n",
                    1 + self.rng.below(1000)
                )
            }
            1 => {
                let s = self.rng.pick(SPENDERS);
                format!(
                    "PERMIT2.approve({}, {s}, {}, 4_000_000_000)\n",
                    self.rng.pick(TOKENS),
                    1 + self.rng.below(1000)
                )
            }
            _ => {
                let t = self.rng.pick(TOKENS);
                let s = self.rng.pick(SPENDERS);
                format!("approve({t}, {s}, {} {t})\n", 1 + self.rng.below(50))
            }
        }
    }

    fn cond(&mut self) -> String {
        let m = 2 + self.rng.below(5);
        format!("block.number % {m} == {}", self.rng.below(m))
    }

    fn block(&mut self, n: u32) -> String {
        (0..n).map(|_| self.stmt()).collect()
    }

    fn stmt(&mut self) -> String {
        if self.depth >= 3 {
            return self.grant();
        }
        self.depth += 1;
        let s = match self.rng.below(9) {
            0 | 1 => self.grant(),
            2 => format!(
                "if {} {{\n{}}} else {{\n{}}}\n",
                self.cond(),
                self.block(2),
                self.block(1)
            ),
            3 => format!(
                "for i in 0..{} {{\n{}}}\n",
                1 + self.rng.below(3),
                self.block(1)
            ),
            4 => {
                let t = self.rng.pick(TOKENS);
                let s = self.rng.pick(SPENDERS);
                format!("with approve({t}, {s}, 2 {t}) {{\n{}}}\n", self.block(2))
            }
            5 => {
                let value = if self.in_fn {
                    String::new()
                } else {
                    format!(" {}", self.rng.below(100))
                };
                format!(
                    "if {} {{\n{}return{value}\n}}\n",
                    self.cond(),
                    self.block(1)
                )
            }
            6 if !self.in_fn => {
                let name = format!("helper{}", self.fns.len());
                self.in_fn = true;
                let body = self.block(2);
                self.in_fn = false;
                self.fns.push(format!("fn {name}() {{\n{body}}}\n"));
                format!("{name}()\n")
            }
            7 => format!(
                "let x{} = balance({}) / 2\n",
                self.rng.below(1000),
                self.rng.pick(TOKENS)
            ),
            _ => self.grant(),
        };
        self.depth -= 1;
        s
    }
}

fn program(seed: u64) -> String {
    let mut g = Gen {
        rng: Rng(seed.max(1)),
        depth: 0,
        fns: Vec::new(),
        in_fn: false,
    };
    let n = 3 + g.rng.below(4) as u32;
    let body = g.block(n);
    format!(
        "use std::ethereum::{{USDC, USDT, DAI, WETH, UNISWAP_V2_ROUTER, UNISWAP_V3_ROUTER, AAVE_V3_POOL, PERMIT2}}\n{}{body}return 0\n",
        g.fns.concat()
    )
}

#[test]
fn no_generated_script_leaves_a_permission_behind() {
    let cases: u64 = std::env::var("NEST_PROPERTY_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let seed: u64 = std::env::var("NEST_PROPERTY_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let devnet = Devnet::new(&Scenario::default()).expect("devnet");
    let resolver = MemoryResolver::new();
    let mut granted = 0;
    for i in 0..cases {
        let src = program(seed.wrapping_mul(1_000_003).wrapping_add(i));
        let c = compile(&CompileRequest {
            name: "generated.ns",
            text: &src,
            resolver: &resolver,
            params: &[],
        })
        .unwrap_or_else(|f| panic!("case {i} does not compile:\n{src}\n{f}"));
        nest_evm::check(&c.assembled.bytes, c.assembled.code_len)
            .unwrap_or_else(|v| panic!("case {i}: unsafe code {v:?}\n{src}"));
        let ctx = nest_tests::run_context(&c);
        let r = devnet.dry_run(&c.bytes, &ctx).expect("dry run");
        assert!(r.success, "case {i} reverted: {:?}\n{src}", r.revert);
        assert!(
            r.allowances_left.is_empty(),
            "case {i} left {:?}\n{src}\n{}",
            r.allowances_left,
            r.render(false)
        );
        granted += r
            .calls
            .iter()
            .filter(|c| {
                c.signature
                    .as_deref()
                    .is_some_and(|s| s.starts_with("approve("))
            })
            .count();
    }
    // The generator must really exercise grants.
    assert!(
        granted > cases as usize,
        "only {granted} approvals in {cases} programs"
    );
}
