//! The IR's text form (`nestc compile --emit ir`).
//!
//! ```text
//! returns (uint256)
//! grant #0 erc20-allowance revoke force_approve(0xa0b8…, 0x7a25…, 0)
//! ---
//! loc 0:9:1
//! force_approve(0xa0b8…, 0x7a25…, 1000000000)
//! grant #0
//! %0 = call 0x7a25… swapExactTokensForTokens(…)(…) -> (uint256[])
//! ```
//!
//! The form is complete: [`crate::parse`] reads it back into an equal module. For
//! that, a grant's source location is printed (`at F:L:C`), a call's selector is
//! printed (`selector 0x…`) when it is not the one its signature hashes to, and a
//! name that is empty or holds blanks (or a `(` in a function's name) is quoted.

use crate::*;
use std::fmt::{self, Write};

fn hex_or_dec(v: &U256) -> String {
    if *v > U256::from(0xffff_ffffu64) {
        format!("{v:#x}")
    } else {
        v.to_string()
    }
}

/// A name as is, or quoted when it would not read back as one token.
fn name<'a>(s: &'a str, stop: &[char]) -> std::borrow::Cow<'a, str> {
    let plain = !s.is_empty()
        && !s.starts_with('"')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || stop.contains(&c));
    if plain {
        s.into()
    } else {
        format!("{s:?}").into()
    }
}

/// ` selector 0x…` when the selector is not the signature's own.
fn selector_suffix(signature: &str, selector: &[u8; 4]) -> String {
    if crate::parse::selector_of(signature) == *selector {
        String::new()
    } else {
        format!(
            " selector 0x{}",
            selector
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        )
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Const(v) => f.write_str(&hex_or_dec(v)),
            Operand::Var(v) => write!(f, "%{}", v.0),
        }
    }
}

impl fmt::Display for Revocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Revocation::Erc20 { token, spender } => {
                write!(f, "force_approve({token}, {spender}, 0)")
            }
            Revocation::Call {
                target,
                signature,
                selector,
                args,
            } => {
                write!(f, "call {target} {signature}(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                write!(f, "){}", selector_suffix(signature, selector))
            }
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Error(m) => write!(f, "error {m:?}"),
            Failure::Panic(c) => write!(f, "panic {c:#04x}"),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Const(v) => f.write_str(&hex_or_dec(v)),
            Expr::Var(v) => write!(f, "%{}", v.0),
            Expr::Env(e) => f.write_str(match e {
                Env::SelfAddress => "address",
                Env::Timestamp => "timestamp",
                Env::Number => "number",
                Env::ChainId => "chainid",
                Env::SelfBalance => "selfbalance",
            }),
            Expr::Op(op, args) => {
                write!(f, "{}(", format!("{op:?}").to_lowercase())?;
                list(f, args)?;
                f.write_str(")")
            }
            Expr::Checked { op, bits, lhs, rhs } => {
                write!(
                    f,
                    "checked_{}{bits}({lhs}, {rhs})",
                    format!("{op:?}").to_lowercase()
                )
            }
            Expr::Narrow { expr, bits } => write!(f, "narrow{bits}({expr})"),
            Expr::Signed { op, bits, lhs, rhs } => {
                write!(
                    f,
                    "signed_{}{bits}({lhs}, {rhs})",
                    format!("{op:?}").to_lowercase()
                )
            }
            Expr::NarrowSigned { expr, bits } => write!(f, "narrow_signed{bits}({expr})"),
            Expr::Pow { bits, base, exp } => write!(f, "checked_pow{bits}({base}, {exp})"),
            Expr::SignedPow { bits, base, exp } => write!(f, "signed_pow{bits}({base}, {exp})"),
            Expr::Keccak(ptr) => write!(f, "keccak({ptr})"),
            Expr::Encode(args) => {
                f.write_str("abi_encode(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
            Expr::Logic { and, lhs, rhs } => write!(
                f,
                "{}({lhs}, {rhs})",
                if *and { "and_then" } else { "or_else" }
            ),
            Expr::MinMax { max, lhs, rhs } => {
                write!(f, "{}({lhs}, {rhs})", if *max { "max" } else { "min" })
            }
            Expr::Call(c) => {
                write!(
                    f,
                    "{} {} {}(",
                    if c.is_static { "staticcall" } else { "call" },
                    c.target,
                    c.signature
                )?;
                for (i, a) in c.args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")?;
                if let Some(v) = &c.value {
                    write!(f, " value {v}")?;
                }
                if !c.outputs.is_empty() {
                    let outs: Vec<String> = c
                        .outputs
                        .iter()
                        .map(|t| t.sol_type_name().into_owned())
                        .collect();
                    write!(f, " -> ({})", outs.join(","))?;
                } else if c.declares_outputs {
                    f.write_str(" -> _")?;
                }
                f.write_str(&selector_suffix(&c.signature, &c.selector))
            }
            Expr::Word { ptr, offset } => write!(f, "word({ptr}, {offset})"),
            Expr::ArrayPtr { ptr, head } => write!(f, "array_ptr({ptr}, {head})"),
            Expr::ArrayGet { array, index } => write!(f, "array_get({array}, {index})"),
            Expr::Elem {
                array,
                index,
                shape,
            } => {
                let len = shape.len.map_or(String::new(), |n| n.to_string());
                let stride = shape.stride.map_or("dyn".to_string(), |s| s.to_string());
                write!(f, "elem[{len}:{stride}]({array}, {index})")
            }
            Expr::CallFn { func, args } => {
                write!(f, "call_fn @{func}(")?;
                list(f, args)?;
                f.write_str(")")
            }
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let members = |f: &mut fmt::Formatter<'_>, xs: &[Arg], open: &str, close: &str| {
            f.write_str(open)?;
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{x}")?;
            }
            f.write_str(close)
        };
        match self {
            Arg::Word(e) => write!(f, "{e}"),
            Arg::Tuple(xs) => members(f, xs, "(", ")"),
            Arg::Array(xs) => members(f, xs, "[", "]"),
            Arg::Bytes(b) => {
                f.write_str("hex\"")?;
                b.iter().try_for_each(|x| write!(f, "{x:02x}"))?;
                f.write_str("\"")
            }
            Arg::Encoded { ptr, ty } => write!(f, "encoded {}({ptr})", ty.sol_type_name()),
        }
    }
}

fn list(f: &mut fmt::Formatter<'_>, xs: &[Expr]) -> fmt::Result {
    for (i, x) in xs.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{x}")?;
    }
    Ok(())
}

fn block(out: &mut String, b: &Block, depth: usize) {
    for s in b {
        stmt(out, s, depth);
    }
}

fn stmt(out: &mut String, s: &Stmt, depth: usize) {
    let pad = "    ".repeat(depth);
    let _ = match s {
        Stmt::Loc(l) => writeln!(out, "{pad}loc {}:{}:{}", l.file, l.line, l.col),
        Stmt::Set(v, e) => writeln!(out, "{pad}%{} = {e}", v.0),
        Stmt::If(c, t, e) => {
            let _ = writeln!(out, "{pad}if {c} {{");
            block(out, t, depth + 1);
            if !e.is_empty() {
                let _ = writeln!(out, "{pad}}} else {{");
                block(out, e, depth + 1);
            }
            writeln!(out, "{pad}}}")
        }
        Stmt::Loop {
            var,
            start,
            end,
            body,
        } => {
            let _ = writeln!(out, "{pad}loop %{} in {start}..{end} {{", var.0);
            block(out, body, depth + 1);
            writeln!(out, "{pad}}}")
        }
        Stmt::Eval(e) => writeln!(out, "{pad}{e}"),
        Stmt::Check(c, why) => writeln!(out, "{pad}check {c} else {why}"),
        Stmt::Fail(why) => writeln!(out, "{pad}fail {why}"),
        Stmt::ForceApprove {
            token,
            spender,
            amount,
        } => writeln!(out, "{pad}force_approve({token}, {spender}, {amount})"),
        Stmt::Grant(g) => writeln!(out, "{pad}grant #{}", g.0),
        Stmt::EndGrant(g) => writeln!(out, "{pad}end_grant #{}", g.0),
        Stmt::Revoke(g) => writeln!(out, "{pad}revoke #{}", g.0),
        Stmt::Journal(g) => writeln!(out, "{pad}journal #{}", g.0),
        Stmt::JournalMark(v) => writeln!(out, "{pad}%{} = journal_len", v.0),
        Stmt::RevokeJournal(None) => writeln!(out, "{pad}revoke_journal"),
        Stmt::RevokeJournal(Some(v)) => writeln!(out, "{pad}revoke_journal down_to %{}", v.0),
        Stmt::Return(vs) => {
            let _ = write!(out, "{pad}return");
            for (i, v) in vs.iter().enumerate() {
                let _ = write!(out, "{}{v}", if i == 0 { " " } else { ", " });
            }
            writeln!(out)
        }
        Stmt::Stop => writeln!(out, "{pad}stop"),
    };
}

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        for (i, file) in self.files.iter().enumerate() {
            let _ = writeln!(out, "file {i} {file:?}");
        }
        let rets: Vec<String> = self
            .returns
            .iter()
            .map(|t| t.sol_type_name().into_owned())
            .collect();
        let _ = writeln!(out, "returns ({})", rets.join(","));
        for (i, v) in self.vars.iter().enumerate() {
            let _ = writeln!(out, "var %{i} {}", name(v, &[]));
        }
        for (i, g) in self.grants.iter().enumerate() {
            let dynamic = if g.dynamic { " dynamic" } else { "" };
            let at = g.loc.map_or(String::new(), |l| {
                format!(" at {}:{}:{}", l.file, l.line, l.col)
            });
            let _ = writeln!(
                out,
                "grant #{i} {}{dynamic}{at} revoke {}",
                name(&g.kind, &[]),
                g.revoke
            );
        }
        out.push_str("---\n");
        block(&mut out, &self.body, 0);
        for (i, func) in self.functions.iter().enumerate() {
            let params: Vec<String> = func.params.iter().map(|v| format!("%{}", v.0)).collect();
            let result = func
                .result
                .map_or(String::new(), |v| format!(" -> %{}", v.0));
            let _ = writeln!(
                out,
                "--- fn @{i} {}({}){result}",
                name(&func.name, &['(']),
                params.join(", ")
            );
            block(&mut out, &func.body, 0);
        }
        f.write_str(&out)
    }
}
