//! The types of checked Nest programs.

use std::fmt;

/// Index of a token definition in [`crate::hir::Program::tokens`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenId(pub u32);

/// Index of an interface in [`crate::hir::Program::interfaces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InterfaceId(pub u32);

/// A Nest type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    /// `uintN`, N in 8..=256 by 8.
    Uint(u16),
    /// `intN`.
    Int(u16),
    /// `bool`.
    Bool,
    /// `address`.
    Address,
    /// `bytesN`, N in 1..=32.
    FixedBytes(u8),
    /// `bytes`.
    Bytes,
    /// `string`.
    String,
    /// `T[]` (None) or `T[N]`.
    Array(Box<Type>, Option<usize>),
    /// `(T, U)`; field names are kept for `r.amounts`.
    Tuple(Vec<Type>, Vec<Option<String>>),
    /// An amount of a token, in base units: `USDC`.
    Amount(TokenId),
    /// The token itself used as a value (its contract address).
    Token(TokenId),
    /// A contract instance: an interface at an address.
    Contract(InterfaceId),
    /// No value (calls without returns).
    Unit,
    /// The type of an expression that already failed to check.
    Error,
}

impl Type {
    /// `uint256`.
    pub const U256: Type = Type::Uint(256);

    /// True when values of this type fit in one EVM word on the stack.
    pub fn is_word(&self) -> bool {
        matches!(
            self,
            Type::Uint(_)
                | Type::Int(_)
                | Type::Bool
                | Type::Address
                | Type::FixedBytes(_)
                | Type::Amount(_)
                | Type::Token(_)
                | Type::Contract(_)
        )
    }

    /// True for integers and amounts (arithmetic operands).
    pub fn is_numeric(&self) -> bool {
        matches!(self, Type::Uint(_) | Type::Int(_) | Type::Amount(_))
    }

    /// True for types that are addresses at run time.
    pub fn is_addressish(&self) -> bool {
        matches!(self, Type::Address | Type::Token(_) | Type::Contract(_))
    }

    /// Bit width of integer-like values (amounts are uint256).
    pub fn int_bits(&self) -> Option<(u16, bool)> {
        match self {
            Type::Uint(b) => Some((*b, false)),
            Type::Int(b) => Some((*b, true)),
            Type::Amount(_) => Some((256, false)),
            _ => None,
        }
    }
}

/// Names for printing types: token and interface names come from the program.
pub trait TypeNames {
    /// The name of a token.
    fn token_name(&self, id: TokenId) -> &str;
    /// The name of an interface.
    fn interface_name(&self, id: InterfaceId) -> &str;
}

/// A type with the names needed to print it.
pub struct Display<'a, N: TypeNames>(pub &'a Type, pub &'a N);

impl<N: TypeNames> fmt::Display for Display<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.1;
        match self.0 {
            Type::Uint(b) => write!(f, "uint{b}"),
            Type::Int(b) => write!(f, "int{b}"),
            Type::Bool => f.write_str("bool"),
            Type::Address => f.write_str("address"),
            Type::FixedBytes(n) => write!(f, "bytes{n}"),
            Type::Bytes => f.write_str("bytes"),
            Type::String => f.write_str("string"),
            Type::Array(t, None) => write!(f, "{}[]", Display(t, names)),
            Type::Array(t, Some(n)) => write!(f, "{}[{n}]", Display(t, names)),
            Type::Tuple(ts, _) => {
                f.write_str("(")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", Display(t, names))?;
                }
                f.write_str(")")
            }
            Type::Amount(t) => f.write_str(names.token_name(*t)),
            Type::Token(t) => write!(f, "token {}", names.token_name(*t)),
            Type::Contract(i) => f.write_str(names.interface_name(*i)),
            Type::Unit => f.write_str("()"),
            Type::Error => f.write_str("{error}"),
        }
    }
}
