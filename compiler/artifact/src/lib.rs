//! The artifact a compile produces (`nestc compile --emit artifact`, `--json`): the
//! payload and its manifest, as plain data that serializes to JSON and reads back to
//! the same bytes; and the compiler's own revert messages ([`reasons`]), which the code
//! generator emits and the dry run's report explains.
//!
//! Only data: the driver builds an [`Artifact`] from a compilation; `nestc` and the
//! WebAssembly build read one back from a file.

use serde::{Deserialize, Serialize};

pub mod reasons;

/// Everything a platform needs to know about a compiled script.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Artifact {
    /// The payload, `0x` hex: code, data, `0x00`, trailer.
    pub bytecode: String,
    /// Bytes of code and data before the `0x00` separator and the trailer.
    pub code_size: usize,
    /// The provenance fingerprint, `0x` + 32 bytes.
    pub fingerprint: String,
    /// The compiler that made it.
    pub compiler: CompilerInfo,
    /// keccak256 of the sources.
    pub source_hash: String,
    /// Resolved parameter values.
    pub params: Vec<ParamInfo>,
    /// Every permission the script grants (and revokes).
    pub grants: Vec<GrantManifest>,
    /// Every external call it may make.
    pub calls: Vec<CallInfo>,
    /// The functions it calls that the compiler cannot vouch for (warning `W0401`):
    /// neither a grant it revokes, nor declared `#[grants(none)]`, nor `view`/`pure`.
    /// Empty when every call is classified; `--strict` refuses to compile otherwise.
    pub unclassified: Vec<UnclassifiedInfo>,
    /// The custom errors its interfaces declare (its own and the standard library's it
    /// loads), for decoding revert data; sorted by signature, without duplicates.
    pub errors: Vec<ErrorInfo>,
    /// The most ETH (wei, decimal) it may send, or `"unbounded"` if not known.
    pub max_value: String,
    /// ABI types of the return values.
    pub return_types: Vec<String>,
    /// The token each return value is an amount of (`null` for a value that is not an
    /// amount), index for index with `return_types`: a dry run prints the amount with
    /// its token and decimals (`332.326706738800961 WETH`). An array of amounts has the
    /// unit of its elements.
    pub return_units: Vec<Option<UnitInfo>>,
    /// Code offsets to `file:line:col`.
    pub source_map: Vec<SourceMapEntry>,
    /// The helper functions (`fn`), each with the code offset it is entered at: a dry run
    /// says which call of a function a failure inside it came from.
    pub functions: Vec<FunctionEntry>,
    /// The address that signed the payload (`nestc compile --sign-key-file`), EIP-55;
    /// absent for an unsigned payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
}

/// The token an amount is counted in.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct UnitInfo {
    /// The token's name in the script (`WETH`).
    pub token: String,
    /// Its contract, EIP-55.
    pub address: String,
    /// Its decimals: the amount is in base units, `10**decimals` to one token.
    pub decimals: u8,
}

/// A helper function's entry point.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FunctionEntry {
    /// Its name.
    pub name: String,
    /// The code offset of its first instruction (a JUMPDEST).
    pub pc: usize,
}

/// Compiler name and version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CompilerInfo {
    /// `nestc`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// A resolved parameter.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ParamInfo {
    /// Its name.
    pub name: String,
    /// Its type (`USDC`, `uint256`, `address`).
    #[serde(rename = "type")]
    pub ty: String,
    /// As a person writes it (`2500 USDC`).
    pub value: String,
    /// The word baked into the code (decimal base units).
    pub raw: String,
}

/// A permission the script grants.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GrantManifest {
    /// `erc20-allowance` or the granting function's signature.
    pub kind: String,
    /// The token or contract that holds the permission (or `"dynamic"`). Inside a loop
    /// over an array literal of tokens, it is the token of that copy of the loop's body.
    pub target: String,
    /// When the target is `"dynamic"` but is one of a few known contracts (a variable
    /// given one token or another on different paths), those contracts, EIP-55; absent
    /// otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub may_be: Vec<String>,
    /// The spender or operator (or `"dynamic"`).
    pub spender: String,
    /// How it is revoked.
    pub revoke: String,
    /// Where it is granted.
    pub location: Option<String>,
}

/// An external call the script may make.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct CallInfo {
    /// The callee (or `"dynamic"`).
    pub target: String,
    /// The function's signature.
    pub signature: String,
    /// `staticcall` or `call`.
    pub kind: String,
}

/// A called function the compiler cannot vouch for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnclassifiedInfo {
    /// The callee (or `"dynamic"`).
    pub target: String,
    /// The function's signature.
    pub signature: String,
    /// The interface it is called through.
    pub interface: String,
}

/// A custom error an interface of the script declares.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ErrorInfo {
    /// The canonical signature, `InsufficientAllowance(uint256)`.
    pub signature: String,
    /// The 4-byte selector revert data starts with, `0x` hex.
    pub selector: String,
    /// The declaration with parameter names, `error InsufficientAllowance(uint256 amount)`:
    /// what a dry run's `RunContext::signatures` takes to name the arguments.
    pub declaration: String,
}

/// One entry of the source map.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceMapEntry {
    /// Code offset.
    pub pc: usize,
    /// `file:line:col`.
    pub location: String,
}

#[cfg(test)]
mod tests;
