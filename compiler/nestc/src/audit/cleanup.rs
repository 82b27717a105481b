//! `--write-cleanup FILE`: a Nest script that revokes every live permission the audit found,
//! each with `revoke(…)` around its family's canonical revocation.

use alloy_primitives::{Address, B256, U256};
use nest_devnet::fork::audit::{granting, selector, Arg, Audit, LivePermission};

/// The script's text, and the permissions it cannot revoke (one sentence each).
pub(super) fn script(audit: &Audit, vault: Address) -> (String, Vec<String>) {
    let mut interfaces: Vec<(&'static str, String)> = Vec::new();
    let mut body = String::new();
    let mut skipped = Vec::new();
    for p in &audit.permissions {
        let Some((call, args)) = p.grant.revocation(vault) else {
            skipped.push(format!(
                "{} on {} to {}: Nest cannot call its revocation (an ERC-721 per-token approval \
                 is cleared by `approve(address(0), id)` or a transfer, from outside Nest)",
                p.grant.family.what,
                p.grant.contract.to_checksum(None),
                p.grant.grantee().to_checksum(None)
            ));
            continue;
        };
        let index = match interfaces.iter().position(|(s, _)| *s == call.signature) {
            Some(i) => i,
            None => {
                interfaces.push((call.signature, interface(call.signature)));
                interfaces.len() - 1
            }
        };
        let types = param_types(call.signature);
        let written: Vec<String> = args
            .iter()
            .zip(&types)
            .map(|(w, ty)| literal(*w, ty))
            .collect();
        body.push_str(&format!("// {}\n", describe(p)));
        body.push_str(&format!(
            "revoke(Revoke{}({}).{}({}))\n",
            index + 1,
            p.grant.contract.to_checksum(None),
            call.name(),
            written.join(", ")
        ));
    }
    let mut text =
        format!(
        "//! Revokes the {} permission{} `nestc audit` found live for the vault {} at block {} \
         (chain {}).\n//! Compile it with `nestc compile`, dry-run it with `nestc run --fork-url`, \
         and run it through the vault.\n\n",
        audit.permissions.len() - skipped.len(),
        if audit.permissions.len() - skipped.len() == 1 { "" } else { "s" },
        vault.to_checksum(None),
        audit.head,
        audit.chain_id
    );
    for (i, (_, decl)) in interfaces.iter().enumerate() {
        text.push_str(&format!(
            "#[grants(none)]\ninterface Revoke{} {{\n{decl}}}\n\n",
            i + 1
        ));
    }
    text.push_str(&body);
    for s in &skipped {
        text.push_str(&format!("// Not revoked here: {s}\n"));
    }
    // In the one canonical layout (`nestc fmt`), as a reviewer will read it.
    let text = nest_fmt::format(&text).unwrap_or(text);
    (text, skipped)
}

/// One line on what a permission is.
fn describe(p: &LivePermission) -> String {
    let what = p
        .symbol
        .clone()
        .unwrap_or_else(|| p.subject.to_checksum(None));
    let level = match p.level {
        Some(l) if p.grant.is_amount() => format!(", amount {l}"),
        Some(_) => String::new(),
        None => ", not readable back".to_string(),
    };
    format!(
        "{}: {} of {} to {}{}",
        p.grant.family.id,
        p.grant.family.what,
        what,
        p.grant.grantee().to_checksum(None),
        level
    )
}

/// The interface's body for a revoking function: the function with parameters `a0`, `a1`…,
/// annotated with its own revocation when it is also a known granting function (which the
/// checker requires).
fn interface(signature: &str) -> String {
    let name = signature.split('(').next().unwrap_or(signature);
    let types = param_types(signature);
    let params: Vec<String> = types
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{t} a{i}"))
        .collect();
    let mut decl = String::new();
    if let Some(g) = granting(selector(signature)) {
        let rtypes = param_types(g.revoke.signature);
        let args: Vec<String> = g
            .revoke
            .args
            .iter()
            .zip(&rtypes)
            .map(|(a, ty)| match a {
                Arg::Param(i) => format!("a{i}"),
                Arg::Zero if ty == "bool" => "false".to_string(),
                _ => "0".to_string(),
            })
            .collect();
        decl.push_str(&format!(
            "    #[grants(revoke = {}({}))]\n",
            g.revoke.name(),
            args.join(", ")
        ));
    }
    decl.push_str(&format!("    function {name}({});\n", params.join(", ")));
    decl
}

/// A word as a Nest literal of ABI type `ty`.
fn literal(w: B256, ty: &str) -> String {
    match ty {
        "address" => Address::from_word(w).to_checksum(None),
        "bool" => (!w.is_zero()).to_string(),
        _ => U256::from_be_bytes(w.0).to_string(),
    }
}

/// The parameter types of a canonical signature (no tuples among the revocations).
fn param_types(signature: &str) -> Vec<String> {
    let inner = signature
        .split_once('(')
        .map(|(_, r)| r.trim_end_matches(')'))
        .unwrap_or("");
    if inner.is_empty() {
        return Vec::new();
    }
    inner.split(',').map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interfaces_annotate_functions_that_also_grant() {
        assert_eq!(
            interface("approve(address,uint256)"),
            "    #[grants(revoke = approve(a0, 0))]\n    function approve(address a0, uint256 a1);\n"
        );
        assert_eq!(
            interface("setApprovalForAll(address,bool)"),
            "    #[grants(revoke = setApprovalForAll(a0, false))]\n    function setApprovalForAll(address a0, bool a1);\n"
        );
        // ERC-777's revocation is another function, which grants nothing.
        assert_eq!(
            interface("revokeOperator(address)"),
            "    function revokeOperator(address a0);\n"
        );
        assert_eq!(literal(B256::ZERO, "bool"), "false");
        assert_eq!(literal(B256::from(U256::from(7)), "uint48"), "7");
    }
}
