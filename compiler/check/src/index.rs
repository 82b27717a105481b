//! The semantic index, for editors: every name written in the sources, what it
//! refers to, where that is defined, and what to show on hover.
//!
//! The checker records into it as it resolves names; the language server answers
//! hover, go-to-definition and completion from it without re-checking.

use nest_diagnostics::Span;

/// What kind of thing a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// A token (and its amount unit).
    Token,
    /// An interface.
    Interface,
    /// A function of an interface.
    Function,
    /// A `const`.
    Const,
    /// A `param`.
    Param,
    /// A local variable.
    Local,
    /// A builtin (`balance`, `block.timestamp`, …).
    Builtin,
}

/// One occurrence of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolRef {
    /// Where the name is written.
    pub span: Span,
    /// The name.
    pub name: String,
    /// What it is.
    pub kind: SymbolKind,
    /// Where it is defined (`None` for builtins).
    pub def: Option<Span>,
    /// One line for hover: its type, value or signature.
    pub detail: String,
    /// Its doc comment lines.
    pub docs: Vec<String>,
    /// The interface of a contract instance (for completion after `.`).
    pub interface: Option<String>,
    /// True at the definition itself.
    pub is_def: bool,
}

/// A function of an interface, for completion and signature help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionInfo {
    /// The function's name.
    pub name: String,
    /// As declared: `swapExactTokensForTokens(uint256 amountIn, …) returns (uint256[] amounts)`.
    pub declaration: String,
    /// Parameter names and types, for signature help.
    pub params: Vec<String>,
    /// Doc comment lines.
    pub docs: Vec<String>,
    /// Where it is declared.
    pub span: Span,
}

/// An interface and its functions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceInfo {
    /// The interface's name.
    pub name: String,
    /// Its functions.
    pub functions: Vec<FunctionInfo>,
    /// Where it is declared.
    pub span: Span,
}

/// Everything the checker learned about names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    /// Every name occurrence, in the order the checker met them.
    pub refs: Vec<SymbolRef>,
    /// Every interface known to the program.
    pub interfaces: Vec<InterfaceInfo>,
}

impl Index {
    /// The occurrence covering byte `offset` of the file of `file`, innermost first.
    pub fn at(&self, file: nest_diagnostics::FileId, offset: u32) -> Option<&SymbolRef> {
        self.refs
            .iter()
            .filter(|r| r.span.file == file && r.span.start <= offset && offset <= r.span.end)
            .min_by_key(|r| r.span.end - r.span.start)
    }

    /// The interface with this name.
    pub fn interface(&self, name: &str) -> Option<&InterfaceInfo> {
        self.interfaces.iter().find(|i| i.name == name)
    }
}
