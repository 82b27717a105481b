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

mod expr;
mod tokens;

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
    let mut p = Parser {
        lines,
        next: 0,
        line: 0,
        text: "",
        pos: 0,
        m: Module::default(),
        refs: Vec::new(),
        last_line: text.lines().count(),
    };
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
    /// `} else {`, with the line and column of its `{`.
    Else(usize, usize),
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
                return Err(ParseError {
                    line: self.last_line.max(1),
                    col: 1,
                    message: "expected `---` between the header and the body".into(),
                });
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
            let s = if sigil == ' ' {
                String::new()
            } else {
                sigil.to_string()
            };
            return Err(self.err(format!("expected `{what} {s}{want}`, found `{s}{n}` (declarations are numbered in order from 0)")));
        }
        Ok(())
    }

    /// `KIND [dynamic] [at F:L:C] revoke REVOCATION`.
    fn grant_info(&mut self) -> Result<GrantInfo> {
        let kind = self.name(&[])?;
        let dynamic = self.keyword("dynamic");
        let loc = if self.keyword("at") {
            Some(self.loc()?)
        } else {
            None
        };
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
            Revocation::Call {
                target,
                signature,
                selector,
                args,
            }
        } else {
            return Err(self.err(format!(
                "expected `force_approve` or `call`, found {}",
                self.found()
            )));
        };
        Ok(GrantInfo {
            kind,
            revoke,
            loc,
            dynamic,
        })
    }

    fn operand(&mut self) -> Result<Operand> {
        self.ws();
        if self.peek() == Some('%') {
            Ok(Operand::Var(self.var()?))
        } else if self.peek().is_some_and(|c| c.is_ascii_digit()) {
            Ok(Operand::Const(self.number()?))
        } else {
            Err(self.err(format!(
                "expected a constant or a variable, found {}",
                self.found()
            )))
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
            return Err(self.err(format!(
                "expected `fn @{want}`, found `@{n}` (functions are numbered in order from 0)"
            )));
        }
        let name = self.name(&['('])?;
        self.expect("(")?;
        let params = self.list(")", Self::var)?;
        let result = if self.eat("->") {
            Some(self.var()?)
        } else {
            None
        };
        self.end()?;
        let (body, _) = self.block(None)?;
        self.m.functions.push(Function {
            name,
            params,
            result,
            body,
        });
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
                    return Err(ParseError {
                        line,
                        col,
                        message: "this `{` is never closed".into(),
                    });
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
                    self.ws();
                    let brace = (self.line, self.col());
                    self.expect("{")?;
                    self.end()?;
                    return Ok((out, End::Else(brace.0, brace.1)));
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
                    End::Else(line, col) => self.block(Some((line, col)))?.0,
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
                if let End::Else(line, col) = end_kind {
                    return Err(ParseError {
                        line,
                        col,
                        message: "a `loop` has no `else`".into(),
                    });
                }
                return Ok(Stmt::Loop {
                    var,
                    start,
                    end,
                    body,
                });
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
                    return Err(self.err(format!(
                        "`force_approve` takes a token, a spender and an amount, has {} operands",
                        xs.len()
                    )));
                }
                let amount = xs.pop().unwrap_or(Expr::Const(U256::ZERO));
                let spender = xs.pop().unwrap_or(Expr::Const(U256::ZERO));
                let token = xs.pop().unwrap_or(Expr::Const(U256::ZERO));
                Stmt::ForceApprove {
                    token,
                    spender,
                    amount,
                }
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
                    Stmt::Eval(
                        self.expr_or(|p| format!("expected a statement, found {}", p.found()))?,
                    )
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
        self.refs.push(Ref {
            kind: RefKind::Grant,
            index,
            line,
            col,
        });
        Ok(GrantId(index))
    }

    /// `%N`.
    fn var(&mut self) -> Result<Var> {
        self.ws();
        let (line, col) = (self.line, self.col());
        self.expect("%")?;
        let index = self.small("a variable index")?;
        self.refs.push(Ref {
            kind: RefKind::Var,
            index,
            line,
            col,
        });
        Ok(Var(index))
    }

    /// `error "message"` or `panic 0xNN`.
    fn failure(&mut self) -> Result<Failure> {
        if self.keyword("error") {
            Ok(Failure::Error(self.string()?))
        } else if self.keyword("panic") {
            Ok(Failure::Panic(self.small("a panic code")?))
        } else {
            Err(self.err(format!(
                "expected `error` or `panic`, found {}",
                self.found()
            )))
        }
    }

    /// Every `%N`, `#N` and `@N` must be declared.
    fn check_refs(&self) -> Result<()> {
        for r in &self.refs {
            let (declared, what, how) = match r.kind {
                RefKind::Var => (
                    self.m.vars.len(),
                    format!("%{}", r.index),
                    format!("declare it with `var %{} NAME` in the header", r.index),
                ),
                RefKind::Grant => (
                    self.m.grants.len(),
                    format!("#{}", r.index),
                    format!(
                        "declare it with `grant #{} KIND revoke …` in the header",
                        r.index
                    ),
                ),
                RefKind::Func => (
                    self.m.functions.len(),
                    format!("@{}", r.index),
                    format!("add a `--- fn @{} NAME(…)` section", r.index),
                ),
            };
            if r.index as usize >= declared {
                return Err(ParseError {
                    line: r.line,
                    col: r.col,
                    message: format!("`{what}` is not declared: {how}"),
                });
            }
        }
        Ok(())
    }
}
