//! Parses the IR's text form (the one [`Module`]'s `Display` prints) back into a
//! [`Module`], so pass tests can start from text.
//!
//! The form is line-oriented: a header (`file`, `returns`, `var`, `grant` lines),
//! `---`, the script's body, then one `--- fn @N name(params) -> %r` section per
//! helper function. Indentation is free; blank lines and lines starting with `//`
//! are ignored. Every variable, grant and function referred to must be declared
//! (in the header, or by its section). Errors carry a 1-based line and column.
//! Selectors of calls are recomputed from their signatures unless a `selector`
//! suffix gives them.

use crate::*;
use alloy_primitives::keccak256;
use std::fmt;

/// A syntax error in IR text, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// What is wrong, in the diagnostics' style (lower case, code in backticks).
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for ParseError {}

type Result<T> = std::result::Result<T, ParseError>;

/// Parses a module from its text form.
pub fn parse(text: &str) -> Result<Module> {
    let lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
        .collect();
    let mut p = Parser { lines, next: 0, line: 0, text: "", pos: 0, m: Module::default(), refs: Vec::new(), last_line: text.lines().count() };
    p.header()?;
    let (body, _) = p.block(None)?;
    p.m.body = body;
    while p.next_line() {
        p.function()?;
    }
    p.check_refs()?;
    Ok(p.m)
}

/// Selector of a canonical signature: the first four bytes of its Keccak-256 hash.
pub fn selector_of(signature: &str) -> [u8; 4] {
    let h = keccak256(signature.as_bytes());
    [h[0], h[1], h[2], h[3]]
}

/// What a reference names; checked against the declarations once all are read.
#[derive(Clone, Copy, PartialEq)]
enum RefKind {
    Var,
    Grant,
    Func,
}

struct Ref {
    kind: RefKind,
    index: u32,
    line: usize,
    col: usize,
}

/// How a block ended.
enum End {
    /// `}`.
    Close,
    /// `} else {`.
    Else,
    /// A `---` line or the end of the text (top level only).
    Section,
}

struct Parser<'a> {
    /// Lines that are not blank or comments, with their 1-based numbers.
    lines: Vec<(usize, &'a str)>,
    /// Index into `lines` of the next line to read.
    next: usize,
    /// The current line: its number, text, and the byte offset of the cursor.
    line: usize,
    text: &'a str,
    pos: usize,
    m: Module,
    refs: Vec<Ref>,
    /// Number of the text's last line, for errors at its end.
    last_line: usize,
}

impl<'a> Parser<'a> {
    // ----- lines -----

    /// Moves the cursor to the start of the next line; false at the end of the text.
    fn next_line(&mut self) -> bool {
        match self.lines.get(self.next) {
            Some(&(n, t)) => {
                self.next += 1;
                (self.line, self.text, self.pos) = (n, t, 0);
                true
            }
            None => false,
        }
    }

    /// The next line's text, trimmed, without moving to it.
    fn peek_line(&self) -> Option<&'a str> {
        self.lines.get(self.next).map(|(_, t)| t.trim())
    }

    // ----- header -----

    fn header(&mut self) -> Result<()> {
        loop {
            if !self.next_line() {
                return Err(ParseError { line: self.last_line.max(1), col: 1, message: "expected `---` between the header and the body".into() });
            }
            self.ws();
            let start = self.pos;
            match self.ident() {
                Some("file") => {
                    self.numbered(' ', self.m.files.len(), "file")?;
                    let name = self.string()?;
                    self.m.files.push(name);
                }
                Some("returns") => {
                    self.m.returns = self.type_list()?;
                }
                Some("var") => {
                    self.numbered('%', self.m.vars.len(), "var")?;
                    let name = self.name(&[])?;
                    self.m.vars.push(name);
                }
                Some("grant") => {
                    self.numbered('#', self.m.grants.len(), "grant")?;
                    let g = self.grant_info()?;
                    self.m.grants.push(g);
                }
                None if self.eat("---") => return self.end(),
                _ => {
                    self.pos = start;
                    return Err(self.err(format!(
                        "expected `file`, `returns`, `var`, `grant` or `---`, found {}",
                        self.found()
                    )));
                }
            }
            self.end()?;
        }
    }

    /// A declaration's index: `sigil` then the number the next declaration must have.
    fn numbered(&mut self, sigil: char, want: usize, what: &str) -> Result<()> {
        self.ws();
        let at = self.pos;
        if sigil != ' ' {
            self.expect(&sigil.to_string())?;
        }
        let n: usize = self.small("an index")?;
        if n != want {
            self.pos = at;
            let s = if sigil == ' ' { String::new() } else { sigil.to_string() };
            return Err(self.err(format!("expected `{what} {s}{want}`, found `{s}{n}` (declarations are numbered in order from 0)")));
        }
        Ok(())
    }

    /// `KIND [dynamic] [at F:L:C] revoke REVOCATION`.
    fn grant_info(&mut self) -> Result<GrantInfo> {
        let kind = self.name(&[])?;
        let dynamic = self.keyword("dynamic");
        let loc = if self.keyword("at") { Some(self.loc()?) } else { None };
        if !self.keyword("revoke") {
            return Err(self.err(format!("expected `revoke`, found {}", self.found())));
        }
        let revoke = if self.keyword("force_approve") {
            self.expect("(")?;
            let token = self.operand()?;
            self.expect(",")?;
            let spender = self.operand()?;
            self.expect(",")?;
            self.ws();
            let at = self.pos;
            if self.number()? != U256::ZERO {
                self.pos = at;
                return Err(self.err("an ERC-20 revocation approves `0`"));
            }
            self.expect(")")?;
            Revocation::Erc20 { token, spender }
        } else if self.keyword("call") {
            let target = self.operand()?;
            let signature = self.signature()?;
            self.expect("(")?;
            let args = self.list(")", Self::operand)?;
            let selector = self.selector(&signature)?;
            Revocation::Call { target, signature, selector, args }
        } else {
            return Err(self.err(format!("expected `force_approve` or `call`, found {}", self.found())));
        };
        Ok(GrantInfo { kind, revoke, loc, dynamic })
    }

    fn operand(&mut self) -> Result<Operand> {
        self.ws();
        if self.peek() == Some('%') {
            Ok(Operand::Var(self.var()?))
        } else if self.peek().is_some_and(|c| c.is_ascii_digit()) {
            Ok(Operand::Const(self.number()?))
        } else {
            Err(self.err(format!("expected a constant or a variable, found {}", self.found())))
        }
    }

    /// `F:L:C`.
    fn loc(&mut self) -> Result<Loc> {
        let file = self.small("a file index")?;
        self.expect(":")?;
        let line = self.small("a line")?;
        self.expect(":")?;
        let col = self.small("a column")?;
        Ok(Loc { file, line, col })
    }

    // ----- functions -----

    /// `--- fn @N name(%a, %b) [-> %r]` and its body.
    fn function(&mut self) -> Result<()> {
        self.expect("---")?;
        if !self.keyword("fn") {
            return Err(self.err(format!("expected `fn` after `---`, found {}", self.found())));
        }
        self.ws();
        let at = self.pos;
        self.expect("@")?;
        let n: usize = self.small("a function index")?;
        let want = self.m.functions.len();
        if n != want {
            self.pos = at;
            return Err(self.err(format!("expected `fn @{want}`, found `@{n}` (functions are numbered in order from 0)")));
        }
        let name = self.name(&['('])?;
        self.expect("(")?;
        let params = self.list(")", Self::var)?;
        let result = if self.eat("->") { Some(self.var()?) } else { None };
        self.end()?;
        let (body, _) = self.block(None)?;
        self.m.functions.push(Function { name, params, result, body });
        Ok(())
    }

    // ----- statements -----

    /// Statements up to the `}` closing the block opened at `open` (a line and
    /// column), or, at the top level (`open` is `None`), up to a `---` line or the end.
    fn block(&mut self, open: Option<(usize, usize)>) -> Result<(Block, End)> {
        let mut out = Block::new();
        loop {
            match (self.peek_line(), open) {
                (None, None) => return Ok((out, End::Section)),
                (None, Some((line, col))) => {
                    return Err(ParseError { line, col, message: "this `{` is never closed".into() });
                }
                (Some(l), None) if l.starts_with("---") => return Ok((out, End::Section)),
                (Some(l), Some(_)) if l.starts_with("---") => {
                    self.next_line();
                    return Err(self.err("expected `}` before `---`"));
                }
                _ => {}
            }
            self.next_line();
            self.ws();
            if self.eat("}") {
                if open.is_none() {
                    self.pos -= 1;
                    return Err(self.err("this `}` closes no block"));
                }
                if self.keyword("else") {
                    self.expect("{")?;
                    self.end()?;
                    return Ok((out, End::Else));
                }
                self.end()?;
                return Ok((out, End::Close));
            }
            out.push(self.stmt()?);
        }
    }

    /// The body of a block whose `{` ends the current line.
    fn nested(&mut self) -> Result<(Block, End)> {
        self.ws();
        let open = (self.line, self.col());
        self.expect("{")?;
        self.end()?;
        self.block(Some(open))
    }

    fn stmt(&mut self) -> Result<Stmt> {
        let start = self.pos;
        let word = self.ident();
        let s = match word {
            Some("loc") => Stmt::Loc(self.loc()?),
            Some("if") => {
                let cond = self.expr()?;
                let (then, end) = self.nested()?;
                let els = match end {
                    End::Else => {
                        let open = (self.line, self.col().saturating_sub(1));
                        self.block(Some(open))?.0
                    }
                    _ => Block::new(),
                };
                return Ok(Stmt::If(cond, then, els));
            }
            Some("loop") => {
                let var = self.var()?;
                if !self.keyword("in") {
                    return Err(self.err(format!("expected `in`, found {}", self.found())));
                }
                let start = self.number()?;
                self.expect("..")?;
                let end = self.number()?;
                let (body, end_kind) = self.nested()?;
                if matches!(end_kind, End::Else) {
                    return Err(self.err("a `loop` has no `else`"));
                }
                return Ok(Stmt::Loop { var, start, end, body });
            }
            Some("check") => {
                let cond = self.expr()?;
                if !self.keyword("else") {
                    return Err(self.err(format!("expected `else`, found {}", self.found())));
                }
                Stmt::Check(cond, self.failure()?)
            }
            Some("fail") => Stmt::Fail(self.failure()?),
            Some("force_approve") => {
                self.expect("(")?;
                let mut xs = self.list(")", Self::expr)?;
                if xs.len() != 3 {
                    return Err(self.err(format!("`force_approve` takes a token, a spender and an amount, has {} operands", xs.len())));
                }
                let amount = xs.pop().unwrap_or(Expr::Const(U256::ZERO));
                let spender = xs.pop().unwrap_or(Expr::Const(U256::ZERO));
                let token = xs.pop().unwrap_or(Expr::Const(U256::ZERO));
                Stmt::ForceApprove { token, spender, amount }
            }
            Some("grant") => Stmt::Grant(self.grant()?),
            Some("end_grant") => Stmt::EndGrant(self.grant()?),
            Some("revoke") => Stmt::Revoke(self.grant()?),
            Some("journal") => Stmt::Journal(self.grant()?),
            Some("revoke_journal") => {
                if self.keyword("down_to") {
                    Stmt::RevokeJournal(Some(self.var()?))
                } else {
                    Stmt::RevokeJournal(None)
                }
            }
            Some("return") => {
                self.ws();
                if self.at_end() {
                    Stmt::Return(Vec::new())
                } else {
                    let mut xs = vec![self.expr()?];
                    while self.eat(",") {
                        xs.push(self.expr()?);
                    }
                    Stmt::Return(xs)
                }
            }
            Some("stop") => Stmt::Stop,
            _ => {
                self.pos = start;
                if self.peek() == Some('%') {
                    let v = self.var()?;
                    if self.eat("=") {
                        if self.keyword("journal_len") {
                            Stmt::JournalMark(v)
                        } else {
                            Stmt::Set(v, self.expr()?)
                        }
                    } else {
                        self.pos = start;
                        Stmt::Eval(self.expr()?)
                    }
                } else {
                    Stmt::Eval(self.expr_or(|p| format!("expected a statement, found {}", p.found()))?)
                }
            }
        };
        self.end()?;
        Ok(s)
    }

    /// `#N`.
    fn grant(&mut self) -> Result<GrantId> {
        self.ws();
        let (line, col) = (self.line, self.col());
        self.expect("#")?;
        let index = self.small("a grant index")?;
        self.refs.push(Ref { kind: RefKind::Grant, index, line, col });
        Ok(GrantId(index))
    }

    /// `%N`.
    fn var(&mut self) -> Result<Var> {
        self.ws();
        let (line, col) = (self.line, self.col());
        self.expect("%")?;
        let index = self.small("a variable index")?;
        self.refs.push(Ref { kind: RefKind::Var, index, line, col });
        Ok(Var(index))
    }

    /// `error "message"` or `panic 0xNN`.
    fn failure(&mut self) -> Result<Failure> {
        if self.keyword("error") {
            Ok(Failure::Error(self.string()?))
        } else if self.keyword("panic") {
            Ok(Failure::Panic(self.small("a panic code")?))
        } else {
            Err(self.err(format!("expected `error` or `panic`, found {}", self.found())))
        }
    }

    // ----- expressions -----

    fn expr(&mut self) -> Result<Expr> {
        self.expr_or(|p| format!("expected an expression, found {}", p.found()))
    }

    /// An expression; `missing` words the error when none starts here.
    fn expr_or(&mut self, missing: impl Fn(&Self) -> String) -> Result<Expr> {
        self.ws();
        let start = self.pos;
        match self.peek() {
            Some('%') => return Ok(Expr::Var(self.var()?)),
            Some(c) if c.is_ascii_digit() => return Ok(Expr::Const(self.number()?)),
            _ => {}
        }
        let Some(word) = self.ident() else { return Err(self.err(missing(self))) };
        let env = |e| Ok(Expr::Env(e));
        match word {
            "address" => return env(Env::SelfAddress),
            "timestamp" => return env(Env::Timestamp),
            "number" => return env(Env::Number),
            "chainid" => return env(Env::ChainId),
            "selfbalance" => return env(Env::SelfBalance),
            "call" | "staticcall" => return Ok(Expr::Call(Box::new(self.call(word == "staticcall")?))),
            "elem" => return self.elem(),
            "call_fn" => {
                self.ws();
                let (line, col) = (self.line, self.col());
                self.expect("@")?;
                let func = self.small("a function index")?;
                self.refs.push(Ref { kind: RefKind::Func, index: func, line, col });
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
                Ok(Expr::Logic { and: word == "and_then", lhs, rhs })
            }
            "min" | "max" => {
                let (lhs, rhs) = two(self)?;
                Ok(Expr::MinMax { max: word == "max", lhs, rhs })
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
            _ => {
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
    fn bits(&mut self, start: usize, digits: &str) -> Result<u16> {
        digits.parse().map_err(|_| {
            self.pos = start;
            self.err("expected a bit width after the operation's name, e.g. `checked_add256` or `narrow160`")
        })
    }

    /// `elem[LEN:STRIDE](array, index)`; `LEN` empty for `T[]`, `STRIDE` `dyn` for dynamic elements.
    fn elem(&mut self) -> Result<Expr> {
        self.expect("[")?;
        self.ws();
        let len = if self.peek() == Some(':') { None } else { Some(self.small("an array length")?) };
        self.expect(":")?;
        let stride = if self.keyword("dyn") { None } else { Some(self.small("a stride in bytes or `dyn`")?) };
        self.expect("]")?;
        self.expect("(")?;
        let array = Box::new(self.expr()?);
        self.expect(",")?;
        let index = Box::new(self.expr()?);
        self.expect(")")?;
        Ok(Expr::Elem { array, index, shape: ArrayShape { len, stride } })
    }

    /// After `call`/`staticcall`: `TARGET SIG(ARGS) [value V] [-> (TYPES)] [selector 0xNNNNNNNN]`.
    fn call(&mut self, is_static: bool) -> Result<CallExpr> {
        let target = self.expr()?;
        let signature = self.signature()?;
        self.expect("(")?;
        let args = self.list(")", Self::arg)?;
        let value = if self.keyword("value") { Some(self.expr()?) } else { None };
        let outputs = if self.eat("->") { self.type_list()? } else { Vec::new() };
        let selector = self.selector(&signature)?;
        Ok(CallExpr { is_static, target, value, signature, selector, args, outputs })
    }

    /// An optional `selector 0xNNNNNNNN`; without it, the signature's selector.
    fn selector(&mut self, signature: &str) -> Result<[u8; 4]> {
        if !self.keyword("selector") {
            return Ok(selector_of(signature));
        }
        self.ws();
        let at = self.pos;
        let digits = self.rest().strip_prefix("0x").map(|r| r.chars().take_while(char::is_ascii_hexdigit).count());
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
    fn signature(&mut self) -> Result<String> {
        self.ws();
        let start = self.pos;
        if self.ident().is_none() || self.peek() != Some('(') {
            self.pos = start;
            return Err(self.err(format!("expected a function signature like `transfer(address,uint256)`, found {}", self.found())));
        }
        self.balanced()?;
        Ok(self.text[start..self.pos].to_string())
    }

    fn arg(&mut self) -> Result<Arg> {
        self.ws();
        let start = self.pos;
        if self.eat("(") {
            return Ok(Arg::Tuple(self.list(")", Self::arg)?));
        }
        if self.eat("[") {
            return Ok(Arg::Array(self.list("]", Self::arg)?));
        }
        match self.ident() {
            Some("hex") if self.peek() == Some('"') => return self.hex_bytes(),
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

    /// After `hex`: `"0a1b…"`.
    fn hex_bytes(&mut self) -> Result<Arg> {
        self.pos += 1;
        let start = self.pos;
        let digits = self.rest().chars().take_while(char::is_ascii_hexdigit).count();
        self.pos += digits;
        if self.peek() != Some('"') {
            return Err(self.err(format!("expected hex digits or `\"`, found {}", self.found())));
        }
        if digits % 2 == 1 {
            return Err(self.err("a hex string needs an even number of digits"));
        }
        let hex = &self.text[start..self.pos];
        self.pos += 1;
        let bytes = (0..digits / 2).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or_default()).collect();
        Ok(Arg::Bytes(bytes))
    }

    // ----- ABI types -----

    /// `(T1,T2,…)`: a parenthesised list of ABI types.
    fn type_list(&mut self) -> Result<Vec<DynSolType>> {
        self.ws();
        let start = self.pos;
        if self.peek() != Some('(') {
            return Err(self.err(format!("expected a type list like `(uint256,address)`, found {}", self.found())));
        }
        self.balanced()?;
        match self.sol_type(start)? {
            DynSolType::Tuple(ts) => Ok(ts),
            _ => Err(self.err_at(start, "expected a parenthesised type list")),
        }
    }

    /// One ABI type: `name`, or a `(…)` tuple, then any `[…]` suffixes.
    fn one_type(&mut self) -> Result<DynSolType> {
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

    fn sol_type(&self, start: usize) -> Result<DynSolType> {
        let text = &self.text[start..self.pos];
        DynSolType::parse(text).map_err(|e| self.err_at(start, format!("invalid ABI type `{text}`: {e}")))
    }

    /// Skips a bracketed run (`(…)` or `[…]`, nested), cursor on its opener.
    fn balanced(&mut self) -> Result<()> {
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

    // ----- tokens -----

    /// Items separated by commas up to `close` (the opener already eaten).
    fn list<T>(&mut self, close: &str, mut item: impl FnMut(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        let mut out = Vec::new();
        if self.eat(close) {
            return Ok(out);
        }
        loop {
            out.push(item(self)?);
            if self.eat(",") {
                continue;
            }
            if self.eat(close) {
                return Ok(out);
            }
            return Err(self.err(format!("expected `,` or `{close}`, found {}", self.found())));
        }
    }

    /// A name: a run of non-blank characters (stopping at any of `stop`), or a quoted string.
    fn name(&mut self, stop: &[char]) -> Result<String> {
        self.ws();
        if self.peek() == Some('"') {
            return self.string();
        }
        let len: usize = self.rest().chars().take_while(|c| !c.is_whitespace() && !stop.contains(c)).map(char::len_utf8).sum();
        if len == 0 {
            return Err(self.err(format!("expected a name, found {}", self.found())));
        }
        let name = self.text[self.pos..self.pos + len].to_string();
        self.pos += len;
        Ok(name)
    }

    /// A string literal with Rust's escapes (what `{:?}` prints).
    fn string(&mut self) -> Result<String> {
        self.ws();
        let open = self.pos;
        self.expect("\"")?;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\\' => {
                    let esc_at = self.pos + i;
                    let bad = |p: &Self| p.err_at(esc_at, "unknown escape in a string");
                    match chars.next().map(|(_, c)| c) {
                        Some('n') => out.push('\n'),
                        Some('r') => out.push('\r'),
                        Some('t') => out.push('\t'),
                        Some('0') => out.push('\0'),
                        Some(c @ ('\\' | '"' | '\'')) => out.push(c),
                        Some('u') => {
                            let rest = &self.text[esc_at + 2..];
                            let hex = rest.strip_prefix('{').and_then(|r| r.split_once('}')).map(|(h, _)| h);
                            let c = hex.and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32);
                            let (Some(c), Some(h)) = (c, hex) else { return Err(bad(self)) };
                            out.push(c);
                            for _ in 0..h.len() + 2 {
                                chars.next();
                            }
                        }
                        _ => return Err(bad(self)),
                    }
                }
                c => out.push(c),
            }
        }
        Err(self.err_at(open, "this string is never closed"))
    }

    /// A 256-bit number: decimal, or hexadecimal after `0x`.
    fn number(&mut self) -> Result<U256> {
        self.ws();
        let start = self.pos;
        let len = self.rest().chars().take_while(|c| c.is_ascii_alphanumeric()).count();
        let tok = &self.text[start..start + len];
        if len == 0 || !tok.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(self.err(format!("expected a number, found {}", self.found())));
        }
        let parsed = match tok.strip_prefix("0x") {
            Some(hex) => U256::from_str_radix(hex, 16),
            None => U256::from_str_radix(tok, 10),
        };
        let v = parsed.map_err(|e| self.err(format!("invalid number `{tok}`: {e}")))?;
        self.pos += len;
        Ok(v)
    }

    /// A number that must fit in `T`; `what` names it in errors.
    fn small<T: TryFrom<U256>>(&mut self, what: &str) -> Result<T> {
        self.ws();
        let start = self.pos;
        if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return Err(self.err(format!("expected {what}, found {}", self.found())));
        }
        let v = self.number()?;
        T::try_from(v).map_err(|_| self.err_at(start, format!("{what} `{v}` is too large")))
    }

    /// `[A-Za-z_$][A-Za-z0-9_$]*`, after blanks.
    fn ident(&mut self) -> Option<&'a str> {
        self.ws();
        let text = self.text;
        let rest = &text[self.pos..];
        let first = rest.chars().next()?;
        if !(first.is_ascii_alphabetic() || first == '_' || first == '$') {
            return None;
        }
        let len = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$').count();
        self.pos += len;
        Some(&rest[..len])
    }

    /// Eats the word `kw` if it comes next.
    fn keyword(&mut self, kw: &str) -> bool {
        self.ws();
        let start = self.pos;
        if self.ident() == Some(kw) {
            return true;
        }
        self.pos = start;
        false
    }

    /// Eats `s` if it comes next (after blanks).
    fn eat(&mut self, s: &str) -> bool {
        self.ws();
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, s: &str) -> Result<()> {
        if self.eat(s) {
            Ok(())
        } else {
            Err(self.err(format!("expected `{s}`, found {}", self.found())))
        }
    }

    /// Requires the end of the line.
    fn end(&mut self) -> Result<()> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.err(format!("expected the end of the line, found {}", self.found())))
        }
    }

    fn at_end(&mut self) -> bool {
        self.ws();
        self.pos >= self.text.len()
    }

    fn ws(&mut self) {
        self.pos += self.rest().len() - self.rest().trim_start().len();
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    /// Describes what is at the cursor, for errors.
    fn found(&self) -> String {
        let rest = self.rest();
        let len = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').count();
        match rest.chars().next() {
            None => "the end of the line".into(),
            Some(_) if len > 0 => format!("`{}`", &rest[..len]),
            Some(c) => format!("`{c}`"),
        }
    }

    // ----- errors -----

    fn col(&self) -> usize {
        self.text[..self.pos].chars().count() + 1
    }

    fn err(&self, message: impl Into<String>) -> ParseError {
        ParseError { line: self.line, col: self.col(), message: message.into() }
    }

    fn err_at(&self, pos: usize, message: impl Into<String>) -> ParseError {
        ParseError { line: self.line, col: self.text[..pos].chars().count() + 1, message: message.into() }
    }

    /// Every `%N`, `#N` and `@N` must be declared.
    fn check_refs(&self) -> Result<()> {
        for r in &self.refs {
            let (declared, what, how) = match r.kind {
                RefKind::Var => (self.m.vars.len(), format!("%{}", r.index), format!("declare it with `var %{} NAME` in the header", r.index)),
                RefKind::Grant => (self.m.grants.len(), format!("#{}", r.index), format!("declare it with `grant #{} KIND revoke …` in the header", r.index)),
                RefKind::Func => (self.m.functions.len(), format!("@{}", r.index), format!("add a `--- fn @{} NAME(…)` section", r.index)),
            };
            if r.index as usize >= declared {
                return Err(ParseError { line: r.line, col: r.col, message: format!("`{what}` is not declared: {how}") });
            }
        }
        Ok(())
    }
}

/// Plain operations by their printed names.
const OPS: [(&str, Op); 15] = [
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
];

/// Checked operations by their printed names (after `checked_`, before the width).
const CHECKED: [(&str, CheckedOp); 5] =
    [("add", CheckedOp::Add), ("sub", CheckedOp::Sub), ("mul", CheckedOp::Mul), ("div", CheckedOp::Div), ("rem", CheckedOp::Rem)];
