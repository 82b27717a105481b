//! The Nest IR: structured control flow over expression trees, with explicit
//! permission grants and revocations.
//!
//! Lowering produces a [`Module`]; passes rewrite it; codegen turns it into EVM
//! assembly. Values are 256-bit words; run-time data that does not fit a word
//! (return data of calls) lives in memory and is referred to by pointers.
//! The IR knows nothing of Nest syntax; it knows what a call, a grant and a
//! revocation are, but not how they are encoded in bytecode.
// Unit-test builds also see the dev-dependencies the crate's other targets use.
#![cfg_attr(test, allow(unused_crate_dependencies))]

pub mod abi;
mod display;
pub mod parse;
pub mod verify;
pub mod visit;

use alloy_dyn_abi::DynSolType;
use alloy_primitives::U256;

pub use parse::{parse, ParseError};
pub use verify::{verify, VerifyError};

/// A whole script.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Module {
    /// The statements of the script, in order.
    pub body: Block,
    /// Names of variables, indexed by [`Var`] (for printing and debugging).
    pub vars: Vec<String>,
    /// Every grant site of the script, indexed by [`GrantId`].
    pub grants: Vec<GrantInfo>,
    /// The ABI types of the script's return values.
    pub returns: Vec<DynSolType>,
    /// Source file names, indexed by [`Loc::file`].
    pub files: Vec<String>,
    /// Helper functions, called with [`Expr::CallFn`]. In their bodies `return`
    /// returns from the function, not from the script.
    pub functions: Vec<Function>,
}

/// A helper function, compiled as a subroutine. Its parameters and result are
/// variables (functions never recurse, so each has fixed storage).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Function {
    /// Its name, for listings.
    pub name: String,
    /// Variables that receive the arguments.
    pub params: Vec<Var>,
    /// The variable that receives the returned value, if any.
    pub result: Option<Var>,
    /// The body.
    pub body: Block,
}

/// A sequence of statements.
pub type Block = Vec<Stmt>;

/// A variable: one memory word, assigned by `let`/`set`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Var(pub u32);

/// A grant site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GrantId(pub u32);

/// A source location, for the source map and `--emit asm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Loc {
    /// Index into [`Module::files`].
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

/// What a grant gives away and how it is taken back.
#[derive(Debug, Clone, PartialEq)]
pub struct GrantInfo {
    /// What kind of permission, for manifests (`erc20-allowance`, or the function's signature).
    pub kind: String,
    /// How to revoke it.
    pub revoke: Revocation,
    /// Where it is granted.
    pub loc: Option<Loc>,
    /// Granted where the set of grants held is only known at run time (inside a
    /// branch or a loop): such modules revoke from a journal in memory.
    pub dynamic: bool,
}

/// A value known when the revocation runs: a variable or a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    /// A constant word.
    Const(U256),
    /// A variable, assigned before the grant.
    Var(Var),
}

/// How a permission is revoked.
#[derive(Debug, Clone, PartialEq)]
pub enum Revocation {
    /// ERC-20 allowance: force-approve zero.
    Erc20 { token: Operand, spender: Operand },
    /// A call of `signature` on `target` with word arguments.
    Call {
        target: Operand,
        signature: String,
        selector: [u8; 4],
        args: Vec<Operand>,
    },
}

impl Revocation {
    /// The revocation's operands, in order: the target first (the token of an ERC-20
    /// allowance), then the arguments.
    pub fn operands(&self) -> Vec<Operand> {
        match self {
            Revocation::Erc20 { token, spender } => vec![*token, *spender],
            Revocation::Call { target, args, .. } => std::iter::once(*target)
                .chain(args.iter().copied())
                .collect(),
        }
    }
}

/// Why a script reverts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Failure {
    /// `Error(string)` with a message (`require`, `revert`).
    Error(String),
    /// `Panic(uint256)`: 0x11 arithmetic overflow, 0x12 division by zero, 0x32 index out of bounds.
    Panic(u8),
}

/// Panic code for arithmetic overflow and failed narrowing.
pub const PANIC_OVERFLOW: u8 = 0x11;
/// Panic code for division or modulo by zero.
pub const PANIC_DIV_ZERO: u8 = 0x12;
/// Panic code for an array index out of bounds.
pub const PANIC_INDEX: u8 = 0x32;

/// A statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// The following statements come from this source location.
    Loc(Loc),
    /// Assigns a variable.
    Set(Var, Expr),
    /// `if cond { then } else { els }`.
    If(Expr, Block, Block),
    /// `for var in start..end { body }`, bounds known at compile time.
    Loop {
        var: Var,
        start: U256,
        end: U256,
        body: Block,
    },
    /// Evaluates an expression for its effects (its value, if any, is dropped).
    Eval(Expr),
    /// Reverts with the failure unless the condition is non-zero.
    Check(Expr, Failure),
    /// Reverts.
    Fail(Failure),
    /// Sets an ERC-20 allowance whatever the token's quirks (force-approve).
    ForceApprove {
        token: Expr,
        spender: Expr,
        amount: Expr,
    },
    /// From here on, grant `id` is held (the granting call has just been made).
    Grant(GrantId),
    /// The end of a `with` block: grant `id` must be revoked here.
    EndGrant(GrantId),
    /// Revokes grant `id` (inserted by the `insert_revokes` pass).
    Revoke(GrantId),
    /// Journal mode: appends grant `id` with the current values of its revocation's
    /// operands to the journal in memory.
    Journal(GrantId),
    /// Journal mode: saves the journal's length in a variable (at a `with` block's start).
    JournalMark(Var),
    /// Journal mode: revokes the journal's entries newest first, down to the length
    /// saved in the variable (or all of them).
    RevokeJournal(Option<Var>),
    /// Stops and returns the ABI encoding of these values, typed by
    /// [`Module::returns`]: words, or pointers to ABI-encoded data in memory.
    Return(Vec<Expr>),
    /// Stops without return data.
    Stop,
}

impl Stmt {
    /// True for statements that end the script.
    pub fn is_exit(&self) -> bool {
        matches!(self, Stmt::Return(_) | Stmt::Stop | Stmt::Fail(_))
    }
}

/// An expression: a tree that computes one word (or none, for calls without outputs).
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A constant.
    Const(U256),
    /// A variable's value.
    Var(Var),
    /// A value from the environment.
    Env(Env),
    /// A plain EVM operation on words (no checks).
    Op(Op, Vec<Expr>),
    /// A checked arithmetic operation at a bit width: reverts with a panic on
    /// overflow, underflow or division by zero.
    Checked {
        op: CheckedOp,
        bits: u16,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// Reverts with a panic when the word does not fit in `bits` unsigned bits.
    Narrow { expr: Box<Expr>, bits: u16 },
    /// Checked signed arithmetic at a bit width, on two's complement words
    /// sign-extended to 256 bits: reverts with a panic on overflow (including
    /// `min / -1`) or division by zero; the result is sign-extended.
    Signed {
        op: CheckedOp,
        bits: u16,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// Reverts with a panic when the signed word does not fit in `bits` signed bits.
    NarrowSigned { expr: Box<Expr>, bits: u16 },
    /// Checked unsigned exponentiation `base ** exp` at a bit width (square and
    /// multiply): reverts with a panic on overflow.
    Pow {
        bits: u16,
        base: Box<Expr>,
        exp: Box<Expr>,
    },
    /// Checked signed exponentiation at a bit width: a signed `base` (sign-extended
    /// word) to an unsigned `exp`; reverts with a panic when the result does not fit
    /// in `bits` signed bits.
    SignedPow {
        bits: u16,
        base: Box<Expr>,
        exp: Box<Expr>,
    },
    /// The Keccak-256 hash of the `bytes` value whose length word is at the pointer.
    Keccak(Box<Expr>),
    /// Allocates `bytes` on the heap holding the ABI encoding of the arguments as a
    /// tuple (`abi.encode`); its value is a pointer to the length word.
    Encode(Vec<Arg>),
    /// Short-circuit `&&` (`and = true`) or `||`, on booleans.
    Logic {
        and: bool,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `min`/`max` of two unsigned words.
    MinMax {
        max: bool,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// An external call; its value is a pointer to its validated return data in
    /// memory, or nothing when the function has no outputs.
    Call(Box<CallExpr>),
    /// The word at `offset` bytes from pointer `ptr`.
    Word { ptr: Box<Expr>, offset: u32 },
    /// A pointer to a dynamic value (`T[]`, `bytes`, `string`, a dynamic tuple or
    /// `T[N]`) of the ABI-encoded tuple at `ptr`, whose offset is in head slot `head`:
    /// `ptr + word(ptr, head)`.
    ArrayPtr { ptr: Box<Expr>, head: u32 },
    /// Element `index` of the array of words whose length word is at `array`; bounds-checked.
    ArrayGet { array: Box<Expr>, index: Box<Expr> },
    /// A pointer to element `index` of the ABI-encoded array at `array`, laid out as
    /// `shape` says; bounds-checked (`Panic(0x32)`).
    Elem {
        array: Box<Expr>,
        index: Box<Expr>,
        shape: ArrayShape,
    },
    /// A call of helper function `func` (an index into [`Module::functions`]); its
    /// value is the function's result, if it has one.
    CallFn { func: u32, args: Vec<Expr> },
}

/// How an ABI-encoded array is laid out in memory, for [`Expr::Elem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArrayShape {
    /// `T[N]`: `Some(N)`, the elements start at the pointer; `T[]`: `None`, the
    /// pointer is to the length word and the elements follow it.
    pub len: Option<u32>,
    /// Bytes per element when elements are static; `None` when they are dynamic:
    /// each element's head slot then holds its offset from the first head slot.
    pub stride: Option<u32>,
}

/// Values read from the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Env {
    /// The vault's address (`ADDRESS`).
    SelfAddress,
    /// `TIMESTAMP`.
    Timestamp,
    /// `NUMBER`.
    Number,
    /// `CHAINID`.
    ChainId,
    /// `SELFBALANCE`.
    SelfBalance,
}

/// Plain EVM word operations (operands in natural order: `sub(a, b)` is `a - b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Wrapping add.
    Add,
    /// Wrapping sub.
    Sub,
    /// Wrapping mul.
    Mul,
    /// `a < b` unsigned.
    Lt,
    /// `a > b` unsigned.
    Gt,
    /// `a < b` signed.
    Slt,
    /// `a > b` signed.
    Sgt,
    /// `a == b`.
    Eq,
    /// `a == 0`.
    IsZero,
    /// Bitwise and.
    And,
    /// Bitwise or.
    Or,
    /// Bitwise xor.
    Xor,
    /// Bitwise not.
    Not,
    /// `a << b` (shift amount second).
    Shl,
    /// `a >> b` logical.
    Shr,
    /// `a >> b` arithmetic (signed).
    Sar,
    /// `signextend(k, x)`: extends the sign of byte `k` (from the right) of `x`.
    SignExtend,
}

/// Checked arithmetic operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckedOp {
    /// `a + b`.
    Add,
    /// `a - b`.
    Sub,
    /// `a * b`.
    Mul,
    /// `a / b`.
    Div,
    /// `a % b`.
    Rem,
}

/// An external call.
#[derive(Debug, Clone, PartialEq)]
pub struct CallExpr {
    /// STATICCALL for `view`/`pure` functions.
    pub is_static: bool,
    /// The contract called.
    pub target: Expr,
    /// ETH sent, for payable functions.
    pub value: Option<Expr>,
    /// The canonical signature, for manifests and listings.
    pub signature: String,
    /// The selector.
    pub selector: [u8; 4],
    /// The arguments, in order.
    pub args: Vec<Arg>,
    /// The output types; the return data is validated against them. Empty when the
    /// function has none, or when its result is not read.
    pub outputs: Vec<DynSolType>,
    /// The function declares outputs, even if `outputs` is empty because the result is
    /// not read: a call that returns no data then proves nothing about its target's code.
    pub declares_outputs: bool,
}

/// A call argument (or a returned value), shaped like its ABI type.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A static word (integers, addresses, bools, `bytesN`).
    Word(Expr),
    /// A tuple or a fixed-size array `T[N]`, member by member.
    Tuple(Vec<Arg>),
    /// A dynamic array `T[]` with a length known at compile time, element by element.
    Array(Vec<Arg>),
    /// A `bytes` or `string` value known at compile time.
    Bytes(Vec<u8>),
    /// A value of type `ty` already ABI-encoded in memory (validated return data):
    /// `ptr` points to its encoding (for `T[]`, `bytes` and `string`, to the length word).
    Encoded { ptr: Expr, ty: DynSolType },
}

impl Arg {
    /// Visits the top expressions of the argument (not their operands), in evaluation order.
    pub fn exprs<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        struct Top<'f, 'a>(&'f mut dyn FnMut(&'a Expr));
        impl<'a> visit::Visitor<'a> for Top<'_, 'a> {
            fn visit_expr(&mut self, e: &'a Expr) {
                (self.0)(e);
            }
        }
        visit::Visitor::visit_arg(&mut Top(f), self);
    }
}

impl Expr {
    /// True when evaluating the expression has no effect besides its value (no
    /// call, no possible revert), so it may be evaluated at any point or not at all.
    pub fn is_pure(&self) -> bool {
        match self {
            Expr::Const(_) | Expr::Var(_) | Expr::Env(_) => true,
            Expr::Op(_, args) => args.iter().all(Expr::is_pure),
            Expr::MinMax { lhs, rhs, .. } | Expr::Logic { lhs, rhs, .. } => {
                lhs.is_pure() && rhs.is_pure()
            }
            Expr::Word { ptr, .. } | Expr::ArrayPtr { ptr, .. } | Expr::Keccak(ptr) => {
                ptr.is_pure()
            }
            Expr::Checked { .. }
            | Expr::Signed { .. }
            | Expr::NarrowSigned { .. }
            | Expr::Pow { .. }
            | Expr::SignedPow { .. }
            | Expr::Encode(_)
            | Expr::Narrow { .. }
            | Expr::Call(_)
            | Expr::ArrayGet { .. }
            | Expr::Elem { .. }
            | Expr::CallFn { .. } => false,
        }
    }

    /// Visits every expression node, parents before children, operands in order
    /// (the [`visit`] module's exhaustive walk, with a closure).
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        visit::Visitor::visit_expr(&mut visit::EachExpr(f), self);
    }
}
