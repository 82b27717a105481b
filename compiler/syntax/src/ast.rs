//! The syntax tree of a Nest source file.
//!
//! Every node carries a [`Span`]. The tree is what the text says, nothing more:
//! names are not resolved, literals are kept as written (the checker scales amounts
//! and validates checksums), and recovery from errors leaves [`ExprKind::Error`] /
//! [`StmtKind::Error`] nodes so later stages can still look at the rest.

use nest_diagnostics::Span;

/// A parsed `.ns` file: inner doc comments, then items and statements in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceFile {
    /// `//!` lines at the top of the file, without the `//!` marker.
    pub docs: Vec<String>,
    /// Items and top-level statements, in source order.
    pub items: Vec<Item>,
    /// The whole file.
    pub span: Span,
}

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it is.
    pub span: Span,
}

/// A string literal's value (escapes resolved) and span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrLit {
    /// The decoded text.
    pub value: String,
    /// The literal including quotes.
    pub span: Span,
}

/// `#[name(args)]` before an item or an interface function.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// `grants` in `#[grants(...)]`.
    pub name: Ident,
    /// `key = value` or bare `value` arguments.
    pub args: Vec<AttrArg>,
    /// The whole attribute, `#` to `]`.
    pub span: Span,
}

/// One argument of an attribute: `revoke = setApprovalForAll(operator, false)`.
#[derive(Debug, Clone, PartialEq)]
pub struct AttrArg {
    /// The key, when written `key = value`.
    pub key: Option<Ident>,
    /// The value, parsed as an expression.
    pub value: Expr,
}

/// An item or a top-level statement, with its outer doc comments and attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `///` lines before the item, without the marker.
    pub docs: Vec<String>,
    /// `#[...]` attributes before the item.
    pub attrs: Vec<Attribute>,
    /// What the item is.
    pub kind: ItemKind,
    /// The whole item (without docs and attributes).
    pub span: Span,
}

/// The kinds of item. Top-level statements are items too: the script's body is the
/// sequence of [`ItemKind::Stmt`] in source order.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// `use std::ethereum::{USDC, WETH}` / `use "./common.ns"::{ROUTER}`.
    Use(UseItem),
    /// `token USDC = 0xA0b8…, decimals 6`.
    Token(TokenItem),
    /// `interface I { function …; }` or `interface I = abi("file.json")`.
    Interface(InterfaceItem),
    /// `const NAME: T = expr`.
    Const(ConstItem),
    /// `param name: T = default`.
    Param(ParamItem),
    /// `fn name(a: T) -> R { … }`.
    Fn(FnItem),
    /// A statement of the script's body.
    Stmt(Stmt),
}

/// `use MODULE::NAME` or `use MODULE::{A, B as C}`.
#[derive(Debug, Clone, PartialEq)]
pub struct UseItem {
    /// The module the names come from.
    pub module: ModulePath,
    /// The imported names.
    pub names: Vec<UseName>,
}

/// Where a `use` looks.
#[derive(Debug, Clone, PartialEq)]
pub enum ModulePath {
    /// `std::a::b`: the segments after `std` (`[a, b]`); the span covers `std::a::b`.
    Std { segments: Vec<Ident>, span: Span },
    /// `"./file.ns"`: a file relative to the importing file.
    File(StrLit),
}

/// One imported name, with an optional `as` alias.
#[derive(Debug, Clone, PartialEq)]
pub struct UseName {
    /// The name in the module.
    pub name: Ident,
    /// The local name, if renamed.
    pub alias: Option<Ident>,
}

/// `token NAME = ADDRESS, decimals N`.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenItem {
    /// The token's name, also its amount unit.
    pub name: Ident,
    /// The contract address (an address literal in practice).
    pub address: Expr,
    /// The number of decimals (an integer literal in practice).
    pub decimals: Expr,
}

/// `interface NAME { functions }` or `interface NAME = abi("path")`.
#[derive(Debug, Clone, PartialEq)]
pub struct InterfaceItem {
    /// The interface's name.
    pub name: Ident,
    /// Its functions, or the ABI file to read them from.
    pub body: InterfaceBody,
    /// Custom errors declared in the body (`error Name(T a);`), in source order; empty
    /// for `abi(...)`, whose errors the checker reads from the file.
    pub errors: Vec<ErrorSig>,
}

/// The body of an interface.
#[derive(Debug, Clone, PartialEq)]
pub enum InterfaceBody {
    /// Solidity-style function declarations.
    Functions(Vec<FunctionSig>),
    /// `abi("path.json")`, relative to the declaring file.
    Abi(StrLit),
}

/// `function name(T a, …) [external] [view|pure|payable] [returns (T r, …)];`
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionSig {
    /// `///` docs before the function.
    pub docs: Vec<String>,
    /// Attributes, e.g. `#[grants(revoke = approve(spender, 0))]`.
    pub attrs: Vec<Attribute>,
    /// The function's name.
    pub name: Ident,
    /// Parameters.
    pub params: Vec<AbiParam>,
    /// `view`, `pure`, `payable` or none.
    pub mutability: Mutability,
    /// Return values (empty when there is no `returns`).
    pub returns: Vec<AbiParam>,
    /// From `function` to `;`.
    pub span: Span,
}

/// `error Name(T a, …);`: a custom error the contract reverts with (never called).
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorSig {
    /// `///` docs before the error.
    pub docs: Vec<String>,
    /// The error's name.
    pub name: Ident,
    /// Parameters (names optional).
    pub params: Vec<AbiParam>,
    /// From `error` to `;`.
    pub span: Span,
}

/// State mutability of an interface function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mutability {
    /// May change state; cannot receive ETH.
    #[default]
    NonPayable,
    /// May change state and receive ETH.
    Payable,
    /// Reads state only: called with STATICCALL.
    View,
    /// Reads nothing: called with STATICCALL.
    Pure,
}

/// A parameter or return value in a Solidity signature: `uint256 amountIn`.
/// Data locations (`memory`, `calldata`) are accepted and dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct AbiParam {
    /// The type.
    pub ty: TypeExpr,
    /// The name, when given.
    pub name: Option<Ident>,
    /// The whole parameter.
    pub span: Span,
}

/// `const NAME[: T] = expr`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstItem {
    /// The constant's name.
    pub name: Ident,
    /// Its declared type, if any.
    pub ty: Option<TypeExpr>,
    /// Its value (a compile-time expression).
    pub value: Expr,
}

/// `param NAME: T [= default]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamItem {
    /// The parameter's name (`--param NAME=…`).
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
    /// The default, if any.
    pub default: Option<Expr>,
}

/// `fn name(a: T, …) [-> R] { body }`.
#[derive(Debug, Clone, PartialEq)]
pub struct FnItem {
    /// The function's name.
    pub name: Ident,
    /// Parameters with their types.
    pub params: Vec<FnParam>,
    /// The return type (a tuple type for several values), if any.
    pub ret: Option<TypeExpr>,
    /// The body.
    pub body: Block,
}

/// `name: T` in a `fn` signature.
#[derive(Debug, Clone, PartialEq)]
pub struct FnParam {
    /// The parameter's name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
}

/// A type as written.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeExpr {
    /// What the type is.
    pub kind: TypeExprKind,
    /// Where it is written.
    pub span: Span,
}

/// The shapes of written types.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExprKind {
    /// `uint256`, `address`, `USDC`, `IERC20`, …: resolved by the checker.
    Named(Ident),
    /// `T[]` (len `None`) or `T[N]`.
    Array {
        elem: Box<TypeExpr>,
        len: Option<Box<Expr>>,
    },
    /// `(T a, U b)` in signatures, `(T, U)` elsewhere.
    Tuple(Vec<AbiParam>),
    /// A type that failed to parse.
    Error,
}

/// `{ stmts }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The statements.
    pub stmts: Vec<Stmt>,
    /// From `{` to `}`.
    pub span: Span,
}

/// A statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    /// What it is.
    pub kind: StmtKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of statement. `require`, `revert` and `approve` parse as calls
/// ([`StmtKind::Expr`] of [`ExprKind::Call`]); the checker gives them meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `let [mut] name[: T] = value`.
    Let {
        mutable: bool,
        name: Ident,
        ty: Option<TypeExpr>,
        value: Expr,
    },
    /// `target op= value`.
    Assign {
        target: Expr,
        op: AssignOp,
        value: Expr,
    },
    /// `if cond { then } [else { … } | else if …]`; an `else if` is an `else` block
    /// holding one `If` statement.
    If {
        cond: Expr,
        then: Block,
        els: Option<Block>,
    },
    /// `for var in iter { body }`.
    For {
        var: Ident,
        iter: ForIter,
        body: Block,
    },
    /// `with grant_call { body }`: the grant lasts for the block.
    With { grant: Expr, body: Block },
    /// `return e1, e2` (empty for a bare `return`).
    Return(Vec<Expr>),
    /// An expression evaluated for its effects.
    Expr(Expr),
    /// A statement that failed to parse.
    Error,
}

/// `=`, `+=`, `-=`, `*=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    /// `=`
    Set,
    /// `+=`
    Add,
    /// `-=`
    Sub,
    /// `*=`
    Mul,
}

/// What a `for` loop iterates over.
#[derive(Debug, Clone, PartialEq)]
pub enum ForIter {
    /// `start..end`, half-open.
    Range { start: Expr, end: Expr },
    /// An array expression.
    Array(Expr),
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A number as written, underscores removed: `1000`, `0.25`, `0xff`, or a
    /// `0x` + 40/64 hex-digit address or bytes32 (case kept, for the EIP-55 check);
    /// with an optional unit (`USDC`, `ether`, `gwei`, `wei`).
    Number { raw: String, unit: Option<Ident> },
    /// `true` / `false`.
    Bool(bool),
    /// `"text"`.
    Str(String),
    /// `hex"deadbeef"`.
    HexStr(Vec<u8>),
    /// A name.
    Ident(Ident),
    /// `self`: the vault.
    SelfVault,
    /// `[a, b]`.
    Array(Vec<Expr>),
    /// `(a, b)` (two or more elements; `(a)` is just `a`).
    Tuple(Vec<Expr>),
    /// `op e`.
    Unary { op: UnaryOp, expr: Box<Expr> },
    /// `lhs op rhs`.
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `e as T`.
    Cast { expr: Box<Expr>, ty: TypeExpr },
    /// `callee{options}(args)`; `options` are `{value: e}` pairs.
    Call {
        callee: Box<Expr>,
        options: Vec<(Ident, Expr)>,
        args: Vec<Expr>,
    },
    /// `base.field` (also `block.timestamp`, `C.f` before a call).
    Field { base: Box<Expr>, field: Ident },
    /// `base.0`.
    TupleField {
        base: Box<Expr>,
        index: u32,
        index_span: Span,
    },
    /// `base[index]`.
    Index { base: Box<Expr>, index: Box<Expr> },
    /// An expression that failed to parse.
    Error,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!`
    Not,
    /// `~`
    BitNot,
    /// `-`
    Neg,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
    /// `**`
    Pow,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `&&`
    And,
    /// `||`
    Or,
    /// `&`
    BitAnd,
    /// `|`
    BitOr,
    /// `^`
    BitXor,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
}

impl BinaryOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Rem => "%",
            Pow => "**",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            And => "&&",
            Or => "||",
            BitAnd => "&",
            BitOr => "|",
            BitXor => "^",
            Shl => "<<",
            Shr => ">>",
        }
    }
}
