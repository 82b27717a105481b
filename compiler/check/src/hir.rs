//! The checked program: every name resolved, every expression typed, every
//! compile-time value (parameters, constants, token amounts) computed.
//!
//! This is what lowering turns into IR. Spans point back into the sources.

use crate::ty::{InterfaceId, TokenId, Type, TypeNames};
use alloy_dyn_abi::DynSolType;
use alloy_primitives::{Address, U256};
use nest_diagnostics::Span;
use std::sync::Arc;

/// A checked script.
#[derive(Debug, Clone)]
pub struct Program {
    /// Tokens known to the program (declared or imported).
    pub tokens: Vec<TokenDef>,
    /// Interfaces known to the program.
    pub interfaces: Vec<InterfaceDef>,
    /// The parameters with their resolved values, in declaration order.
    pub params: Vec<ParamValue>,
    /// Every local variable, indexed by [`LocalId`].
    pub locals: Vec<Local>,
    /// The script's body.
    pub body: Vec<Stmt>,
    /// Helper functions, indexed by [`FnId`].
    pub fns: Vec<FnDef>,
    /// The types every `return` of the script returns (empty when it has none).
    pub return_types: Vec<Type>,
    /// The script's own doc comment (`//!` lines).
    pub docs: Vec<String>,
    /// Functions the script calls that the compiler cannot vouch for (neither a
    /// revoked grant, nor declared to grant nothing, nor `view`/`pure`: `W0401`), one
    /// per function and target, in the order first called.
    pub unclassified: Vec<Unclassified>,
}

/// A called function that may grant a permission the compiler does not know of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclassified {
    /// The interface it is called through.
    pub interface: String,
    /// Its canonical signature.
    pub signature: String,
    /// The called contract, when known at compile time.
    pub target: Option<Address>,
    /// The first call.
    pub span: Span,
}

impl TypeNames for Program {
    fn token_name(&self, id: TokenId) -> &str {
        &self.tokens[id.0 as usize].name
    }
    fn interface_name(&self, id: InterfaceId) -> &str {
        &self.interfaces[id.0 as usize].name
    }
}

impl Program {
    /// Prints a type with this program's token and interface names.
    pub fn type_name(&self, ty: &Type) -> String {
        crate::ty::Display(ty, self).to_string()
    }

    /// The ABI type of a Nest type, as it appears in return data.
    pub fn abi_type(&self, ty: &Type) -> Option<DynSolType> {
        crate::abi::to_abi(ty)
    }
}

/// Identifies a helper function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FnId(pub u32);

/// A checked helper function.
#[derive(Debug, Clone)]
pub struct FnDef {
    /// Its name.
    pub name: String,
    /// Its parameters, as locals.
    pub params: Vec<LocalId>,
    /// Its return type (`None` for none).
    pub ret: Option<Type>,
    /// Its body; `return` statements return from the function.
    pub body: Vec<Stmt>,
    /// Where it is declared.
    pub span: Span,
}

impl FnDef {
    /// A placeholder for a function that failed to check.
    pub fn empty(name: &str) -> FnDef {
        FnDef {
            name: name.to_string(),
            params: Vec::new(),
            ret: None,
            body: Vec::new(),
            span: Span::default(),
        }
    }
}

/// `token NAME = ADDRESS, decimals N`.
#[derive(Debug, Clone)]
pub struct TokenDef {
    /// The token's name (also its unit).
    pub name: String,
    /// Its contract.
    pub address: Address,
    /// Its decimals.
    pub decimals: u8,
    /// Where it is declared.
    pub span: Span,
}

/// An interface with its functions.
#[derive(Debug, Clone)]
pub struct InterfaceDef {
    /// The interface's name.
    pub name: String,
    /// Its functions, in declaration order. Shared: a stdlib interface's functions
    /// are resolved once per process (a few hundred of them, with their ABI types).
    pub functions: Arc<[FunctionDef]>,
    /// The custom errors it declares (never called: a dry run decodes reverts with them).
    pub errors: Vec<ErrorDef>,
    /// Where it is declared.
    pub span: Span,
}

/// A custom error of an interface: `error InsufficientAllowance(uint256 amount);`.
#[derive(Debug, Clone)]
pub struct ErrorDef {
    /// The error's name.
    pub name: String,
    /// The canonical signature, `InsufficientAllowance(uint256)`.
    pub signature: String,
    /// The 4-byte selector revert data starts with.
    pub selector: [u8; 4],
    /// Parameter types.
    pub inputs: Vec<DynSolType>,
    /// Parameter names (empty string when unnamed).
    pub input_names: Vec<String>,
    /// Where it is declared.
    pub span: Span,
}

impl ErrorDef {
    /// An error from its name and parameters; the signature and selector follow from them.
    pub fn new(
        name: &str,
        inputs: Vec<DynSolType>,
        input_names: Vec<String>,
        span: Span,
    ) -> ErrorDef {
        let types: Vec<String> = inputs
            .iter()
            .map(|t| t.sol_type_name().into_owned())
            .collect();
        let signature = format!("{name}({})", types.join(","));
        let hash = alloy_primitives::keccak256(signature.as_bytes());
        ErrorDef {
            name: name.to_string(),
            signature,
            selector: [hash[0], hash[1], hash[2], hash[3]],
            inputs,
            input_names,
            span,
        }
    }

    /// The Solidity declaration with parameter names, `error InsufficientAllowance(uint256 amount)`.
    pub fn declaration(&self) -> String {
        let params: Vec<String> = self
            .inputs
            .iter()
            .zip(&self.input_names)
            .map(|(t, n)| {
                let t = t.sol_type_name();
                if n.is_empty() {
                    t.into_owned()
                } else {
                    format!("{t} {n}")
                }
            })
            .collect();
        format!("error {}({})", self.name, params.join(", "))
    }
}

/// One function of an interface.
#[derive(Debug, Clone)]
pub struct FunctionDef {
    /// The function's name.
    pub name: String,
    /// The canonical signature, `f(uint256,address[])`.
    pub signature: String,
    /// The 4-byte selector.
    pub selector: [u8; 4],
    /// Parameter types.
    pub inputs: Vec<DynSolType>,
    /// Parameter names (empty string when unnamed).
    pub input_names: Vec<String>,
    /// Return types.
    pub outputs: Vec<DynSolType>,
    /// Return names (empty string when unnamed).
    pub output_names: Vec<String>,
    /// `view`/`pure` functions are called with STATICCALL.
    pub is_view: bool,
    /// Only `payable` functions take `{value: …}`.
    pub is_payable: bool,
    /// The permission this function grants, if annotated with `#[grants]`.
    pub grant: Option<GrantSpec>,
    /// Declared to grant nothing: `#[grants(none)]` on it or on its interface.
    pub grants_none: bool,
    /// The field names of each tuple parameter (empty for other parameters), for
    /// `#[units]` bindings of a struct's fields.
    pub input_fields: Vec<Vec<String>>,
    /// Which token each bound amount is in (`#[units(amount = asset)]`).
    pub units: Vec<UnitBinding>,
    /// Where it is declared.
    pub span: Span,
}

/// `#[units(KEY = SOURCE)]`: the amount at `place` is in the token `source` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitBinding {
    /// The amount.
    pub place: AmountPlace,
    /// Where its token comes from.
    pub source: TokenSource,
}

/// An amount of an interface function: a parameter, a field of a tuple parameter, or
/// a return value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountPlace {
    /// The parameter with this index.
    Param(usize),
    /// Field `field` of the tuple parameter `param`.
    Field { param: usize, field: usize },
    /// The return value with this index.
    Return(usize),
}

/// Which token a bound amount is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// A token named in the binding (by address: stdlib interfaces are shared
    /// between programs, token ids are not).
    Fixed(Address),
    /// The token given by an argument: parameter `param`, then its field `field`
    /// (a tuple parameter's), then its element `index` (an `address[]` or a packed
    /// Uniswap V3 `bytes` path; negative counts from the end). `each`: an array of
    /// amounts whose element `i` is in the token at element `i` (`amounts = path`).
    Arg {
        param: usize,
        field: Option<usize>,
        index: Option<i64>,
        each: bool,
    },
    /// The called contract itself (a token's own `balanceOf`, an ERC-4626 vault's shares).
    Callee,
    /// What the called contract's declaration says its view `name()` returns
    /// (`#[views(asset = DAI)] token SDAI = …`).
    CalleeView(String),
}

impl FunctionDef {
    /// Whether the compiler can vouch for what a call of this function grants: a
    /// grant it revokes, a function declared to grant nothing, or a `view`/`pure` one
    /// (called with STATICCALL).
    pub fn is_classified(&self) -> bool {
        self.grant.is_some() || self.grants_none || self.is_view
    }
}

/// `#[grants(revoke = f(args))]`: how to revoke what a call grants.
#[derive(Debug, Clone)]
pub struct GrantSpec {
    /// The index of the revoking function in the same interface.
    pub revoke_fn: usize,
    /// Its arguments: each one either a parameter of the granting call or a constant.
    pub revoke_args: Vec<RevokeArg>,
}

/// An argument of a revoking call.
#[derive(Debug, Clone)]
pub enum RevokeArg {
    /// The value of the granting call's parameter with this index.
    Param(usize),
    /// A constant word.
    Const(U256),
}

/// A `param` with the value it was given.
#[derive(Debug, Clone)]
pub struct ParamValue {
    /// The parameter's name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Its value as a word.
    pub value: U256,
    /// Its value as a person writes it (`2500 USDC`, `0x…`), for artifacts.
    pub display: String,
    /// Where it is declared.
    pub span: Span,
}

/// Identifies a local variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocalId(pub u32);

/// A local variable (`let`, loop variables).
#[derive(Debug, Clone)]
pub struct Local {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Whether it may be assigned.
    pub mutable: bool,
    /// Where it is declared.
    pub span: Span,
}

/// A checked statement.
#[derive(Debug, Clone)]
pub struct Stmt {
    /// What it does.
    pub kind: StmtKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of checked statement.
#[derive(Debug, Clone)]
pub enum StmtKind {
    /// `let x = e`.
    Let(LocalId, Expr),
    /// `x = e` (compound assignments are expanded).
    Assign(LocalId, Expr),
    /// `if c { … } else { … }`.
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `for i in start..end { … }` with compile-time bounds.
    ForRange {
        var: LocalId,
        start: U256,
        end: U256,
        body: Vec<Stmt>,
    },
    /// `for x in [a, b] { … }`: the elements are evaluated once each.
    ForArray {
        var: LocalId,
        elems: Vec<Expr>,
        body: Vec<Stmt>,
    },
    /// `require(c, "msg")`.
    Require(Expr, String),
    /// `revert("msg")`.
    Revert(String),
    /// `return e1, e2`.
    Return(Vec<Expr>),
    /// An expression evaluated for its effects.
    Expr(Expr),
    /// A call that grants a permission: `approve(t, s, a)` or an annotated function.
    Grant(Grant),
    /// `with GRANT { body }`.
    With(Grant, Vec<Stmt>),
}

/// A permission grant, with what is needed to revoke it.
#[derive(Debug, Clone)]
pub enum Grant {
    /// The `approve(token, spender, amount)` builtin (force-approve semantics).
    Erc20Approve {
        token: Expr,
        spender: Expr,
        amount: Expr,
    },
    /// A call to a function annotated `#[grants(revoke = …)]`.
    Annotated(Call),
}

/// A checked expression with its type.
#[derive(Debug, Clone)]
pub struct Expr {
    /// What it computes.
    pub kind: ExprKind,
    /// Its type.
    pub ty: Type,
    /// Where it is.
    pub span: Span,
}

/// The kinds of checked expression.
#[derive(Debug, Clone)]
pub enum ExprKind {
    /// A compile-time word (integers, amounts, addresses, bools, tokens, contracts).
    Word(U256),
    /// A compile-time string.
    Str(String),
    /// A compile-time byte string.
    Bytes(Vec<u8>),
    /// A local variable.
    Local(LocalId),
    /// `self`: the vault's address.
    SelfAddress,
    /// A block or chain property.
    Env(EnvValue),
    /// `balance(TOKEN)`: the vault's balance of a token.
    Balance(Box<Expr>),
    /// An operator (checked where the language says so).
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `! ~ -`.
    Unary { op: UnOp, expr: Box<Expr> },
    /// A conversion; narrowing conversions revert when the value does not fit.
    Cast(Box<Expr>),
    /// A call of an interface function.
    Call(Box<Call>),
    /// `[a, b]`.
    Array(Vec<Expr>),
    /// `(a, b)`.
    Tuple(Vec<Expr>),
    /// `a[i]`, bounds-checked.
    Index { base: Box<Expr>, index: Box<Expr> },
    /// `t.0` or `r.name`.
    Field { base: Box<Expr>, index: usize },
    /// `min(a, b)` / `max(a, b)`.
    MinMax {
        max: bool,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// A call of a helper function.
    FnCall { func: FnId, args: Vec<Expr> },
    /// `keccak256(data)` of a `bytes` or `string` value.
    Keccak(Box<Expr>),
    /// `abi.encode(values…)`: the ABI encoding of the values as a tuple, as `bytes`.
    AbiEncode(Vec<Expr>),
    /// An expression that failed to check.
    Error,
}

/// Values read from the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvValue {
    /// `block.timestamp`.
    Timestamp,
    /// `block.number`.
    Number,
    /// `chain.id`.
    ChainId,
    /// `eth_balance()`.
    SelfBalance,
}

/// Binary operators after checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// Checked `+`.
    Add,
    /// Checked `-`.
    Sub,
    /// Checked `*`.
    Mul,
    /// `/`, reverts on zero.
    Div,
    /// `%`, reverts on zero.
    Rem,
    /// Checked `**`.
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
    /// Short-circuit `&&`.
    And,
    /// Short-circuit `||`.
    Or,
    /// `&`
    BitAnd,
    /// `|`
    BitOr,
    /// `^`
    BitXor,
    /// `<<` (at the operand's width)
    Shl,
    /// `>>`
    Shr,
}

/// Unary operators after checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    /// `!`
    Not,
    /// `~` (at the operand's width)
    BitNot,
    /// `-` (checked)
    Neg,
}

/// A call of an interface function on a target.
#[derive(Debug, Clone)]
pub struct Call {
    /// The interface.
    pub interface: InterfaceId,
    /// The function's index in the interface.
    pub function: usize,
    /// The contract called (an address-typed expression).
    pub target: Expr,
    /// Arguments, already converted to the parameter types.
    pub args: Vec<Expr>,
    /// `{value: …}` for payable functions.
    pub value: Option<Expr>,
}
