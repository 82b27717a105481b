//! Expressions, call arguments and ABI types of the IR's text form.

use super::{selector_of, Parser, Ref, RefKind, Result};
use crate::*;

impl Parser<'_> {
    pub(super) fn expr(&mut self) -> Result<Expr> {
        self.expr_or(|p| format!("expected an expression, found {}", p.found()))
    }

    /// An expression; `missing` words the error when none starts here.
    pub(super) fn expr_or(&mut self, missing: impl Fn(&Self) -> String) -> Result<Expr> {
        self.ws();
        let start = self.pos;
        match self.peek() {
            Some('%') => return Ok(Expr::Var(self.var()?)),
            Some(c) if c.is_ascii_digit() => return Ok(Expr::Const(self.number()?)),
            _ => {}
        }
        let Some(word) = self.ident() else {
            return Err(self.err(missing(self)));
        };
        let env = |e| Ok(Expr::Env(e));
        match word {
            "address" => return env(Env::SelfAddress),
            "timestamp" => return env(Env::Timestamp),
            "number" => return env(Env::Number),
            "chainid" => return env(Env::ChainId),
            "selfbalance" => return env(Env::SelfBalance),
            "call" | "staticcall" => {
                return Ok(Expr::Call(Box::new(self.call(word == "staticcall")?)))
            }
            "elem" => return self.elem(),
            "call_fn" => {
                self.ws();
                let (line, col) = (self.line, self.col());
                self.expect("@")?;
                let func = self.small("a function index")?;
                self.refs.push(Ref {
                    kind: RefKind::Func,
                    index: func,
                    line,
                    col,
                });
                self.expect("(")?;
                let args = self.list(")", Self::expr)?;
                return Ok(Expr::CallFn { func, args });
            }
            _ => {}
        }
        if let Some(op) = OPS.iter().find(|(n, _)| *n == word).map(|(_, op)| *op) {
            self.expect("(")?;
            return Ok(Expr::Op(op, self.list(")", Self::expr)?));
        }
        let two = |p: &mut Self| -> Result<(Box<Expr>, Box<Expr>)> {
            p.expect("(")?;
            let a = p.expr()?;
            p.expect(",")?;
            let b = p.expr()?;
            p.expect(")")?;
            Ok((Box::new(a), Box::new(b)))
        };
        let offset = |p: &mut Self| -> Result<(Box<Expr>, u32)> {
            p.expect("(")?;
            let a = p.expr()?;
            p.expect(",")?;
            let n = p.small("a byte offset")?;
            p.expect(")")?;
            Ok((Box::new(a), n))
        };
        match word {
            "and_then" | "or_else" => {
                let (lhs, rhs) = two(self)?;
                Ok(Expr::Logic {
                    and: word == "and_then",
                    lhs,
                    rhs,
                })
            }
            "min" | "max" => {
                let (lhs, rhs) = two(self)?;
                Ok(Expr::MinMax {
                    max: word == "max",
                    lhs,
                    rhs,
                })
            }
            "array_get" => {
                let (array, index) = two(self)?;
                Ok(Expr::ArrayGet { array, index })
            }
            "word" => {
                let (ptr, offset) = offset(self)?;
                Ok(Expr::Word { ptr, offset })
            }
            "array_ptr" => {
                let (ptr, head) = offset(self)?;
                Ok(Expr::ArrayPtr { ptr, head })
            }
            "keccak" => {
                self.expect("(")?;
                let ptr = Box::new(self.expr()?);
                self.expect(")")?;
                Ok(Expr::Keccak(ptr))
            }
            "abi_encode" => {
                self.expect("(")?;
                Ok(Expr::Encode(self.list(")", Self::arg)?))
            }
            _ => {
                if let Some(rest) = word.strip_prefix("signed_") {
                    let name = rest.trim_end_matches(|c: char| c.is_ascii_digit());
                    if let Some(op) = CHECKED.iter().find(|(n, _)| *n == name).map(|(_, op)| *op) {
                        let bits = self.bits(start, &rest[name.len()..])?;
                        let (lhs, rhs) = two(self)?;
                        return Ok(Expr::Signed { op, bits, lhs, rhs });
                    }
                }
                if let Some(digits) = word.strip_prefix("signed_pow") {
                    let bits = self.bits(start, digits)?;
                    let (base, exp) = two(self)?;
                    return Ok(Expr::SignedPow { bits, base, exp });
                }
                if let Some(digits) = word.strip_prefix("checked_pow") {
                    let bits = self.bits(start, digits)?;
                    let (base, exp) = two(self)?;
                    return Ok(Expr::Pow { bits, base, exp });
                }
                if let Some(digits) = word.strip_prefix("narrow_signed") {
                    let bits = self.bits(start, digits)?;
                    self.expect("(")?;
                    let expr = Box::new(self.expr()?);
                    self.expect(")")?;
                    return Ok(Expr::NarrowSigned { expr, bits });
                }
                if let Some(rest) = word.strip_prefix("checked_") {
                    let name = rest.trim_end_matches(|c: char| c.is_ascii_digit());
                    if let Some(op) = CHECKED.iter().find(|(n, _)| *n == name).map(|(_, op)| *op) {
                        let bits = self.bits(start, &rest[name.len()..])?;
                        let (lhs, rhs) = two(self)?;
                        return Ok(Expr::Checked { op, bits, lhs, rhs });
                    }
                }
                if let Some(digits) = word.strip_prefix("narrow") {
                    let bits = self.bits(start, digits)?;
                    self.expect("(")?;
                    let expr = Box::new(self.expr()?);
                    self.expect(")")?;
                    return Ok(Expr::Narrow { expr, bits });
                }
                self.pos = start;
                Err(self.err(format!("unknown expression `{word}`")))
            }
        }
    }

    /// The width suffix of `checked_addN` or `narrowN`.
    pub(super) fn bits(&mut self, start: usize, digits: &str) -> Result<u16> {
        digits.parse().map_err(|_| {
            self.pos = start;
            self.err("expected a bit width after the operation's name, e.g. `checked_add256` or `narrow160`")
        })
    }

    /// `elem[LEN:STRIDE](array, index)`; `LEN` empty for `T[]`, `STRIDE` `dyn` for dynamic elements.
    pub(super) fn elem(&mut self) -> Result<Expr> {
        self.expect("[")?;
        self.ws();
        let len = if self.peek() == Some(':') {
            None
        } else {
            Some(self.small("an array length")?)
        };
        self.expect(":")?;
        let stride = if self.keyword("dyn") {
            None
        } else {
            Some(self.small("a stride in bytes or `dyn`")?)
        };
        self.expect("]")?;
        self.expect("(")?;
        let array = Box::new(self.expr()?);
        self.expect(",")?;
        let index = Box::new(self.expr()?);
        self.expect(")")?;
        Ok(Expr::Elem {
            array,
            index,
            shape: ArrayShape { len, stride },
        })
    }

    /// After `call`/`staticcall`: `TARGET SIG(ARGS) [value V] [-> (TYPES) | -> _]
    /// [selector 0xNNNNNNNN]`; `-> _` is a function with outputs whose result is not read.
    pub(super) fn call(&mut self, is_static: bool) -> Result<CallExpr> {
        let target = self.expr()?;
        let signature = self.signature()?;
        self.expect("(")?;
        let args = self.list(")", Self::arg)?;
        let value = if self.keyword("value") {
            Some(self.expr()?)
        } else {
            None
        };
        let (outputs, declares_outputs) = if !self.eat("->") {
            (Vec::new(), false)
        } else if self.eat("_") {
            (Vec::new(), true)
        } else {
            let outputs = self.type_list()?;
            let declared = !outputs.is_empty();
            (outputs, declared)
        };
        let selector = self.selector(&signature)?;
        Ok(CallExpr {
            is_static,
            target,
            value,
            signature,
            selector,
            args,
            outputs,
            declares_outputs,
        })
    }

    /// An optional `selector 0xNNNNNNNN`; without it, the signature's selector.
    pub(super) fn selector(&mut self, signature: &str) -> Result<[u8; 4]> {
        if !self.keyword("selector") {
            return Ok(selector_of(signature));
        }
        self.ws();
        let at = self.pos;
        let digits = self
            .rest()
            .strip_prefix("0x")
            .map(|r| r.chars().take_while(char::is_ascii_hexdigit).count());
        if digits != Some(8) {
            return Err(self.err("expected a selector of 8 hex digits, e.g. `selector 0xa9059cbb`"));
        }
        let hex = &self.text[at + 2..at + 10];
        self.pos = at + 10;
        let mut out = [0u8; 4];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or_default();
        }
        Ok(out)
    }

    /// A canonical signature, `name(types)`, taken verbatim.
    pub(super) fn signature(&mut self) -> Result<String> {
        self.ws();
        let start = self.pos;
        if self.ident().is_none() || self.peek() != Some('(') {
            self.pos = start;
            return Err(self.err(format!(
                "expected a function signature like `transfer(address,uint256)`, found {}",
                self.found()
            )));
        }
        self.balanced()?;
        Ok(self.text[start..self.pos].to_string())
    }

    pub(super) fn arg(&mut self) -> Result<Arg> {
        self.ws();
        let start = self.pos;
        if self.eat("(") {
            return Ok(Arg::Tuple(self.list(")", Self::arg)?));
        }
        if self.eat("[") {
            return Ok(Arg::Array(self.list("]", Self::arg)?));
        }
        match self.ident() {
            Some("hex") if self.peek() == Some('"') => return self.hex_bytes(start),
            Some("encoded") => {
                let ty = self.one_type()?;
                self.expect("(")?;
                let ptr = self.expr()?;
                self.expect(")")?;
                return Ok(Arg::Encoded { ptr, ty });
            }
            _ => self.pos = start,
        }
        Ok(Arg::Word(self.expr()?))
    }

    /// After `hex` (which starts at `at`): `"0a1b…"`.
    pub(super) fn hex_bytes(&mut self, at: usize) -> Result<Arg> {
        self.pos += 1;
        let start = self.pos;
        let digits = self
            .rest()
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .count();
        self.pos += digits;
        if self.peek() != Some('"') {
            return Err(self.err(format!(
                "expected hex digits or `\"`, found {}",
                self.found()
            )));
        }
        if digits % 2 == 1 {
            return Err(self.err_at(at, "a hex string needs an even number of digits"));
        }
        let hex = &self.text[start..self.pos];
        self.pos += 1;
        let bytes = (0..digits / 2)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or_default())
            .collect();
        Ok(Arg::Bytes(bytes))
    }

    // ----- ABI types -----

    /// `(T1,T2,…)`: a parenthesised list of ABI types.
    pub(super) fn type_list(&mut self) -> Result<Vec<DynSolType>> {
        self.ws();
        let start = self.pos;
        if self.peek() != Some('(') {
            return Err(self.err(format!(
                "expected a type list like `(uint256,address)`, found {}",
                self.found()
            )));
        }
        self.balanced()?;
        match self.sol_type(start)? {
            DynSolType::Tuple(ts) => Ok(ts),
            _ => Err(self.err_at(start, "expected a parenthesised type list")),
        }
    }

    /// One ABI type: `name`, or a `(…)` tuple, then any `[…]` suffixes.
    pub(super) fn one_type(&mut self) -> Result<DynSolType> {
        self.ws();
        let start = self.pos;
        if self.peek() == Some('(') {
            self.balanced()?;
        } else if self.ident().is_none() {
            return Err(self.err(format!("expected an ABI type, found {}", self.found())));
        }
        while self.peek() == Some('[') {
            self.balanced()?;
        }
        self.sol_type(start)
    }

    pub(super) fn sol_type(&self, start: usize) -> Result<DynSolType> {
        let text = &self.text[start..self.pos];
        DynSolType::parse(text)
            .map_err(|e| self.err_at(start, format!("invalid ABI type `{text}`: {e}")))
    }

    /// Skips a bracketed run (`(…)` or `[…]`, nested), cursor on its opener.
    pub(super) fn balanced(&mut self) -> Result<()> {
        let open_at = self.pos;
        let mut depth = 0usize;
        for (i, c) in self.rest().char_indices() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += i + 1;
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(self.err_at(open_at, "this bracket is never closed"))
    }
}

/// Plain operations by their printed names.
const OPS: [(&str, Op); 17] = [
    ("add", Op::Add),
    ("sub", Op::Sub),
    ("mul", Op::Mul),
    ("lt", Op::Lt),
    ("gt", Op::Gt),
    ("slt", Op::Slt),
    ("sgt", Op::Sgt),
    ("eq", Op::Eq),
    ("iszero", Op::IsZero),
    ("and", Op::And),
    ("or", Op::Or),
    ("xor", Op::Xor),
    ("not", Op::Not),
    ("shl", Op::Shl),
    ("shr", Op::Shr),
    ("sar", Op::Sar),
    ("signextend", Op::SignExtend),
];

/// Checked operations by their printed names (after `checked_`, before the width).
const CHECKED: [(&str, CheckedOp); 5] = [
    ("add", CheckedOp::Add),
    ("sub", CheckedOp::Sub),
    ("mul", CheckedOp::Mul),
    ("div", CheckedOp::Div),
    ("rem", CheckedOp::Rem),
];
