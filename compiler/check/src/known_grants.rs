//! Known permission-granting functions, from the shared family table
//! (`nest_permissions`), matched by 4-byte selector — never by name, so a function
//! whose name was chosen for its selector to collide with a known grant's is that
//! grant. Calling one through an interface that does not say how to revoke it
//! (`#[grants(revoke = …)]`) is an error; interfaces read from JSON ABI files get the
//! family's canonical revocation.

use crate::hir::{FunctionDef, GrantSpec, RevokeArg};
use alloy_dyn_abi::DynSolType;
use alloy_primitives::U256;
pub use nest_permissions::{Arg, Granting};

/// The known granting function with this selector, whatever the function is named.
pub fn known_grant(selector: [u8; 4]) -> Option<&'static Granting> {
    nest_permissions::granting(selector)
}

/// What a known grant grants, in words ("an ERC-20 allowance").
pub fn what(g: &Granting) -> &'static str {
    g.family().what
}

/// The canonical revocation of `g` as a grant spec over `functions` (the granting
/// function's interface): the revoking function is found by selector. `None` when the
/// interface lacks it.
pub fn default_revocation(g: &Granting, functions: &[FunctionDef]) -> Option<GrantSpec> {
    let selector = g.revoke.selector();
    let revoke_fn = functions.iter().position(|f| f.selector == selector)?;
    // A revocation naming the owner (the vault) has no `#[grants]` spelling.
    let revoke_args = g
        .revoke
        .args
        .iter()
        .map(|a| match a {
            Arg::Param(p) => Some(RevokeArg::Param(*p)),
            Arg::Zero => Some(RevokeArg::Const(U256::ZERO)),
            Arg::Owner => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some(GrantSpec {
        revoke_fn,
        revoke_args,
    })
}

/// Whether `spec` (on a function of `functions`) is exactly `g`'s canonical revocation:
/// the same revoking function (by selector) and the same arguments, any constant zero
/// (`0`, `false`) standing for [`Arg::Zero`].
pub fn is_canonical(g: &Granting, spec: &GrantSpec, functions: &[FunctionDef]) -> bool {
    let Some(f) = functions.get(spec.revoke_fn) else {
        return false;
    };
    f.selector == g.revoke.selector()
        && spec.revoke_args.len() == g.revoke.args.len()
        && spec
            .revoke_args
            .iter()
            .zip(g.revoke.args)
            .all(|(have, want)| match (have, want) {
                (RevokeArg::Param(i), Arg::Param(j)) => i == j,
                (RevokeArg::Const(v), Arg::Zero) => v.is_zero(),
                _ => false,
            })
}

/// The canonical annotation of `g`, written with the granting function's parameter
/// names (`#[grants(revoke = approve(spender, 0))]`), for help lines.
pub fn canonical_annotation(g: &Granting, f: &FunctionDef) -> String {
    let revoke_params = revoke_param_types(g);
    let args: Vec<String> = g
        .revoke
        .args
        .iter()
        .enumerate()
        .map(|(k, a)| match a {
            Arg::Param(i) => match f.input_names.get(*i).filter(|n| !n.is_empty()) {
                Some(n) => n.clone(),
                None => format!("<parameter {}>", i + 1),
            },
            Arg::Owner => "self".into(),
            Arg::Zero => {
                if revoke_params.get(k).map(String::as_str) == Some("bool") {
                    "false".into()
                } else {
                    "0".into()
                }
            }
        })
        .collect();
    format!(
        "#[grants(revoke = {}({}))]",
        g.revoke.name(),
        args.join(", ")
    )
}

/// The parameter types of `g`'s revoking function, from its canonical signature.
fn revoke_param_types(g: &Granting) -> Vec<String> {
    let sig = g.revoke.signature;
    let inner = sig
        .split_once('(')
        .map(|(_, r)| r.strip_suffix(')').unwrap_or(r))
        .unwrap_or("");
    if inner.is_empty() {
        return Vec::new();
    }
    inner.split(',').map(str::to_string).collect()
}

/// Whether an interface with these functions is an ERC-721 collection: it declares
/// `ownerOf(uint256)`, `getApproved(uint256)` or
/// `safeTransferFrom(address,address,uint256)`.
pub fn is_erc721(functions: &[FunctionDef]) -> bool {
    const MARKERS: &[&str] = &[
        "ownerOf(uint256)",
        "getApproved(uint256)",
        "safeTransferFrom(address,address,uint256)",
    ];
    functions.iter().any(|f| {
        MARKERS
            .iter()
            .any(|m| nest_permissions::selector(m) == f.selector)
    })
}

/// Whether `f` is an ERC-721 per-token `approve(address to, uint256 tokenId)`: the
/// ERC-20 `approve` selector on an ERC-721 interface, or with a second parameter named
/// `tokenId`/`id`.
pub fn is_erc721_approve(f: &FunctionDef, functions: &[FunctionDef]) -> bool {
    f.selector == nest_permissions::selector("approve(address,uint256)")
        && (is_erc721(functions)
            || f.input_names
                .get(1)
                .is_some_and(|n| n == "tokenId" || n == "id" || n == "_tokenId"))
}

/// Whether a revocation argument fits a parameter type: a parameter of the granting
/// function of the same ABI type, or a constant for a value type.
pub fn arg_fits(arg: &RevokeArg, granting: &FunctionDef, param: &DynSolType) -> bool {
    match arg {
        RevokeArg::Param(i) => granting.inputs.get(*i) == Some(param),
        RevokeArg::Const(v) => match param {
            DynSolType::Bool => *v <= U256::from(1u8),
            DynSolType::Uint(bits) => *bits >= 256 || *v < (U256::from(1u8) << *bits),
            DynSolType::Int(_) | DynSolType::FixedBytes(_) => true,
            DynSolType::Address => v.bit_len() <= 160,
            _ => false,
        },
    }
}
