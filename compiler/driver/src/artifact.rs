//! The artifact (`--emit artifact`): the payload and its manifest.

use alloy_primitives::{Address, B256, U256};
use nest_check::hir::Program;
use nest_check::ty::Type;
use nest_diagnostics::SourceMap;
use nest_ir::{Expr, Module, Operand, Revocation, Stmt};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

mod loop_tokens;

/// Everything a platform needs to know about a compiled script.
#[derive(Debug, Clone, Serialize, PartialEq)]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
}

/// The token an amount is counted in.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnitInfo {
    /// The token's name in the script (`WETH`).
    pub token: String,
    /// Its contract, EIP-55.
    pub address: String,
    /// Its decimals: the amount is in base units, `10**decimals` to one token.
    pub decimals: u8,
}

/// A helper function's entry point.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FunctionEntry {
    /// Its name.
    pub name: String,
    /// The code offset of its first instruction (a JUMPDEST).
    pub pc: usize,
}

/// Compiler name and version.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CompilerInfo {
    /// `nestc`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// A resolved parameter.
#[derive(Debug, Clone, Serialize, PartialEq)]
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
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GrantManifest {
    /// `erc20-allowance` or the granting function's signature.
    pub kind: String,
    /// The token or contract that holds the permission (or `"dynamic"`). Inside a loop
    /// over an array literal of tokens, it is the token of that copy of the loop's body.
    pub target: String,
    /// When the target is `"dynamic"` but is one of a few known contracts (a variable
    /// given one token or another on different paths), those contracts, EIP-55; absent
    /// otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub may_be: Vec<String>,
    /// The spender or operator (or `"dynamic"`).
    pub spender: String,
    /// How it is revoked.
    pub revoke: String,
    /// Where it is granted.
    pub location: Option<String>,
}

/// An external call the script may make.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct CallInfo {
    /// The callee (or `"dynamic"`).
    pub target: String,
    /// The function's signature.
    pub signature: String,
    /// `staticcall` or `call`.
    pub kind: String,
}

/// A called function the compiler cannot vouch for.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnclassifiedInfo {
    /// The callee (or `"dynamic"`).
    pub target: String,
    /// The function's signature.
    pub signature: String,
    /// The interface it is called through.
    pub interface: String,
}

/// A custom error an interface of the script declares.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
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
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceMapEntry {
    /// Code offset.
    pub pc: usize,
    /// `file:line:col`.
    pub location: String,
}

/// Checksummed spellings of addresses, each computed once (a script names the same
/// few contracts again and again, and a checksum is a keccak256).
#[derive(Default)]
struct Addresses(Vec<(U256, String)>);

impl Addresses {
    fn name(&mut self, v: U256) -> String {
        if let Some((_, name)) = self.0.iter().find(|(w, _)| *w == v) {
            return name.clone();
        }
        let name = checksum(Address::from_word(B256::from(v)));
        self.0.push((v, name.clone()));
        name
    }

    /// A constant address checksummed, anything else `dynamic`.
    fn spell(&mut self, v: Option<U256>) -> String {
        match v {
            Some(v) => self.name(v),
            None => "dynamic".to_string(),
        }
    }
}

/// The EIP-55 spelling of an address, remembered for the process (scripts name the
/// same stdlib contracts compile after compile; at most [`CHECKSUMS_KEPT`] are kept).
fn checksum(a: Address) -> String {
    static CHECKSUMS: OnceLock<Mutex<HashMap<Address, String>>> = OnceLock::new();
    let memo = CHECKSUMS.get_or_init(Default::default);
    // A poisoned lock only means another thread panicked mid-insert; the map still
    // holds finished results.
    if let Some(hit) = memo.lock().unwrap_or_else(PoisonError::into_inner).get(&a) {
        return hit.clone();
    }
    let spelled = a.to_checksum(None);
    let mut map = memo.lock().unwrap_or_else(PoisonError::into_inner);
    if map.len() < CHECKSUMS_KEPT {
        map.insert(a, spelled.clone());
    }
    spelled
}

/// The most checksums [`checksum`] remembers.
const CHECKSUMS_KEPT: usize = 4096;

/// An external call found in the IR, before its target is spelled: sorting and
/// deduplicating these is cheaper than sorting the manifest's strings.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct CallSite<'a> {
    /// The callee's address, when constant.
    target: Option<U256>,
    signature: &'a str,
    is_static: bool,
}

const APPROVE: &str = "approve(address,uint256)";

fn const_operand(o: &Operand) -> Option<U256> {
    match o {
        Operand::Const(c) => Some(*c),
        Operand::Var(_) => None,
    }
}

fn const_expr(e: &Expr) -> Option<U256> {
    match e {
        Expr::Const(v) => Some(*v),
        _ => None,
    }
}

pub(crate) fn build(
    p: &Program,
    m: &Module,
    a: &nest_evm::Assembled,
    sources: &SourceMap,
    bytes: &[u8],
    fp: B256,
    source_hash: B256,
) -> Artifact {
    let file_name = |i: u32| m.files.get(i as usize).map_or("", String::as_str);
    let mut names = Addresses::default();
    // A loop's token is a variable in the IR; name the token(s) it may be.
    let operands = loop_tokens::grant_operands(m);
    let grants = m
        .grants
        .iter()
        .zip(&operands)
        .map(|(g, known)| {
            let revoke = loop_tokens::resolve(&g.revoke, known);
            let may_be = loop_tokens::target_candidates(&g.revoke, known)
                .into_iter()
                .map(|c| names.name(c))
                .collect();
            let (target, spender) = match &revoke {
                Revocation::Erc20 { token, spender } => (
                    names.spell(const_operand(token)),
                    names.spell(const_operand(spender)),
                ),
                Revocation::Call { target, args, .. } => (
                    names.spell(const_operand(target)),
                    args.first()
                        .map(|a| names.spell(const_operand(a)))
                        .unwrap_or_default(),
                ),
            };
            GrantManifest {
                kind: g.kind.clone(),
                target,
                spender,
                may_be,
                revoke: revoke.to_string(),
                location: g
                    .loc
                    .map(|l| format!("{}:{}:{}", file_name(l.file), l.line, l.col)),
            }
        })
        .collect();
    let mut sites = Vec::new();
    let mut max_value = Some(U256::ZERO);
    collect_calls(&m.body, &mut sites, &mut max_value, false);
    for f in &m.functions {
        // A function may be called many times: value it sends is not bounded here.
        collect_calls(&f.body, &mut sites, &mut max_value, true);
    }
    for g in &m.grants {
        sites.push(match &g.revoke {
            Revocation::Erc20 { token, .. } => CallSite {
                target: const_operand(token),
                signature: APPROVE,
                is_static: false,
            },
            Revocation::Call {
                target, signature, ..
            } => CallSite {
                target: const_operand(target),
                signature,
                is_static: false,
            },
        });
    }
    sites.sort_unstable();
    sites.dedup();
    let mut calls: Vec<CallInfo> = sites
        .into_iter()
        .map(|s| CallInfo {
            target: names.spell(s.target),
            signature: s.signature.to_string(),
            kind: if s.is_static { "staticcall" } else { "call" }.into(),
        })
        .collect();
    // Two constants can spell the same address (only the low 20 bytes count).
    calls.sort();
    calls.dedup();
    let mut errors: Vec<ErrorInfo> = p
        .interfaces
        .iter()
        .flat_map(|i| &i.errors)
        .map(|e| ErrorInfo {
            signature: e.signature.clone(),
            selector: alloy_primitives::hex::encode_prefixed(e.selector),
            declaration: e.declaration(),
        })
        .collect();
    errors.sort();
    // One entry per signature: the same error declared twice (by two interfaces) decodes
    // the same way; the declaration that sorts first names the parameters.
    errors.dedup_by(|b, a| a.signature == b.signature);
    let mut unclassified: Vec<UnclassifiedInfo> = p
        .unclassified
        .iter()
        .map(|u| UnclassifiedInfo {
            target: names.spell(u.target.map(|a| U256::from_be_slice(a.as_slice()))),
            signature: u.signature.clone(),
            interface: u.interface.clone(),
        })
        .collect();
    unclassified.sort();
    unclassified.dedup();
    let _ = sources;
    Artifact {
        bytecode: format!("0x{}", alloy_primitives::hex::encode(bytes)),
        code_size: a.code_len + (a.data_range.end - a.data_range.start),
        fingerprint: fp.to_string(),
        compiler: CompilerInfo {
            name: crate::COMPILER_NAME.into(),
            version: crate::COMPILER_VERSION.into(),
        },
        source_hash: source_hash.to_string(),
        params: p
            .params
            .iter()
            .map(|v| ParamInfo {
                name: v.name.clone(),
                ty: p.type_name(&v.ty),
                value: v.display.clone(),
                raw: v.value.to_string(),
            })
            .collect(),
        grants,
        calls,
        unclassified,
        errors,
        max_value: max_value.map_or("unbounded".into(), |v| v.to_string()),
        return_types: m
            .returns
            .iter()
            .map(|t| t.sol_type_name().into_owned())
            .collect(),
        return_units: p
            .return_types
            .iter()
            .map(|t| unit_of(p, t, &mut names))
            .collect(),
        source_map: a
            .source_map
            .iter()
            .map(|(pc, l)| SourceMapEntry {
                pc: *pc,
                // Line 0 marks code shared by several call sites (subroutines).
                location: if l.line == 0 {
                    "shared".into()
                } else {
                    format!("{}:{}:{}", file_name(l.file), l.line, l.col)
                },
            })
            .collect(),
        functions: a
            .entries
            .iter()
            .map(|(name, pc)| FunctionEntry {
                name: name.clone(),
                pc: *pc,
            })
            .collect(),
        signer: None,
    }
}

/// The token a returned value is an amount of: an amount, or an array of amounts.
fn unit_of(p: &Program, ty: &Type, names: &mut Addresses) -> Option<UnitInfo> {
    match ty {
        Type::Amount(t) => {
            let def = &p.tokens[t.0 as usize];
            Some(UnitInfo {
                token: def.name.clone(),
                address: names.name(U256::from_be_slice(def.address.as_slice())),
                decimals: def.decimals,
            })
        }
        Type::Array(elem, _) => unit_of(p, elem, names),
        _ => None,
    }
}

fn collect_calls<'a>(
    b: &'a [Stmt],
    out: &mut Vec<CallSite<'a>>,
    max_value: &mut Option<U256>,
    repeated: bool,
) {
    let mut exprs: Vec<&Expr> = Vec::new();
    let mut approves: Vec<&Expr> = Vec::new();
    gather(b, &mut exprs, &mut approves, repeated, max_value);
    for token in approves {
        out.push(CallSite {
            target: const_expr(token),
            signature: APPROVE,
            is_static: false,
        });
    }
    for e in exprs {
        e.walk(&mut |x| {
            if let Expr::Call(c) = x {
                out.push(CallSite {
                    target: const_expr(&c.target),
                    signature: &c.signature,
                    is_static: c.is_static,
                });
                match &c.value {
                    None => {}
                    Some(Expr::Const(v)) => *max_value = max_value.and_then(|m| m.checked_add(*v)),
                    Some(_) => *max_value = None,
                }
            }
        });
    }
}

/// Collects the expressions of a block; calls with value inside loops make the
/// total unbounded (the loop may repeat them).
fn gather<'a>(
    b: &'a [Stmt],
    exprs: &mut Vec<&'a Expr>,
    approves: &mut Vec<&'a Expr>,
    in_loop: bool,
    max_value: &mut Option<U256>,
) {
    for s in b {
        match s {
            Stmt::Set(_, e) | Stmt::Eval(e) | Stmt::Check(e, _) => {
                if in_loop && has_value_call(e) {
                    *max_value = None;
                }
                exprs.push(e)
            }
            Stmt::If(c, t, e) => {
                exprs.push(c);
                gather(t, exprs, approves, in_loop, max_value);
                gather(e, exprs, approves, in_loop, max_value);
            }
            Stmt::Loop { body, .. } => gather(body, exprs, approves, true, max_value),
            Stmt::ForceApprove {
                token,
                spender,
                amount,
            } => {
                exprs.extend([token, spender, amount]);
                approves.push(token);
            }
            Stmt::Return(vs) => exprs.extend(vs.iter()),
            _ => {}
        }
    }
}

fn has_value_call(e: &Expr) -> bool {
    let mut found = false;
    nest_codegen_walk(e, &mut |x| {
        if let Expr::Call(c) = x {
            found |= c.value.is_some();
        }
    });
    found
}

fn nest_codegen_walk(e: &Expr, f: &mut impl FnMut(&Expr)) {
    e.walk(&mut |x| f(x));
}
