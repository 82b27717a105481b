//! Builds the artifact (`--emit artifact`) of a compilation: the payload and its manifest,
//! one function per section. The format itself is `nest_artifact`'s.

use addresses::Addresses;
use alloy_primitives::{hex, B256, U256};
use nest_artifact::{
    Artifact, CompilerInfo, ErrorInfo, FunctionEntry, GrantManifest, ParamInfo, SourceMapEntry,
    UnclassifiedInfo, UnitInfo,
};
use nest_check::hir::Program;
use nest_check::ty::Type;
use nest_evm::Assembled;
use nest_ir::{Module, Operand, Revocation};

mod addresses;
mod calls;
mod loop_tokens;

/// The artifact of a compiled script: `bytes` is the payload (trailer included), `fp` its
/// fingerprint, `source_hash` the hash of the sources.
pub(crate) fn build(
    p: &Program,
    m: &Module,
    a: &Assembled,
    bytes: &[u8],
    fp: B256,
    source_hash: B256,
) -> Artifact {
    let mut names = Addresses::default();
    let (calls, max_value) = calls::calls(m, &mut names);
    Artifact {
        bytecode: hex::encode_prefixed(bytes),
        code_size: a.code_len + a.data_range.len(),
        fingerprint: fp.to_string(),
        compiler: compiler(),
        source_hash: source_hash.to_string(),
        params: params(p),
        grants: grants(m, &mut names),
        calls,
        unclassified: unclassified(p, &mut names),
        errors: errors(p),
        max_value: max_value.map_or("unbounded".into(), |v| v.to_string()),
        return_types: return_types(m),
        return_units: return_units(p, &mut names),
        source_map: source_map(m, a),
        functions: functions(a),
        signer: None,
    }
}

/// This compiler's name and version.
fn compiler() -> CompilerInfo {
    CompilerInfo {
        name: crate::COMPILER_NAME.into(),
        version: crate::COMPILER_VERSION.into(),
    }
}

/// The resolved parameters, as written and as baked into the code.
fn params(p: &Program) -> Vec<ParamInfo> {
    p.params
        .iter()
        .map(|v| ParamInfo {
            name: v.name.clone(),
            ty: p.type_name(&v.ty),
            value: v.display.clone(),
            raw: v.value.to_string(),
        })
        .collect()
}

/// `file:line:col` of a location in the module's files.
fn location(m: &Module, file: u32, line: u32, col: u32) -> String {
    let file = m.files.get(file as usize).map_or("", String::as_str);
    format!("{file}:{line}:{col}")
}

/// Every grant of the module with its target, spender and revocation, spelled. A grant in
/// a loop over an array literal of tokens names that copy's token, and a target that may
/// be one of a few contracts lists them.
fn grants(m: &Module, names: &mut Addresses) -> Vec<GrantManifest> {
    // A loop's token is a variable in the IR; name the token(s) it may be.
    let operands = loop_tokens::grant_operands(m);
    m.grants
        .iter()
        .zip(&operands)
        .map(|(g, known)| {
            let revoke = loop_tokens::resolve(&g.revoke, known);
            let may_be = loop_tokens::target_candidates(&g.revoke, known)
                .into_iter()
                .map(|c| names.name(c))
                .collect();
            let (target, spender) = grant_parties(&revoke, names);
            GrantManifest {
                kind: g.kind.clone(),
                target,
                spender,
                may_be,
                revoke: revoke.to_string(),
                location: g.loc.map(|l| location(m, l.file, l.line, l.col)),
            }
        })
        .collect()
}

/// The holder of a grant and its spender (for a call revocation, its first argument).
fn grant_parties(revoke: &Revocation, names: &mut Addresses) -> (String, String) {
    match revoke {
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
    }
}

fn const_operand(o: &Operand) -> Option<U256> {
    match o {
        Operand::Const(c) => Some(*c),
        Operand::Var(_) => None,
    }
}

/// The called functions the compiler cannot vouch for, sorted, without duplicates.
fn unclassified(p: &Program, names: &mut Addresses) -> Vec<UnclassifiedInfo> {
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
    unclassified
}

/// The custom errors the script's interfaces declare, sorted by signature, one per
/// signature.
fn errors(p: &Program) -> Vec<ErrorInfo> {
    let mut errors: Vec<ErrorInfo> = p
        .interfaces
        .iter()
        .flat_map(|i| &i.errors)
        .map(|e| ErrorInfo {
            signature: e.signature.clone(),
            selector: hex::encode_prefixed(e.selector),
            declaration: e.declaration(),
        })
        .collect();
    errors.sort();
    // One entry per signature: the same error declared twice (by two interfaces) decodes
    // the same way; the declaration that sorts first names the parameters.
    errors.dedup_by(|b, a| a.signature == b.signature);
    errors
}

/// The ABI types of the return values.
fn return_types(m: &Module) -> Vec<String> {
    m.returns
        .iter()
        .map(|t| t.sol_type_name().into_owned())
        .collect()
}

/// The token each return value is an amount of, if it is one.
fn return_units(p: &Program, names: &mut Addresses) -> Vec<Option<UnitInfo>> {
    p.return_types
        .iter()
        .map(|t| unit_of(p, t, names))
        .collect()
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

/// Code offsets to `file:line:col`, or `shared` for code of several call sites.
fn source_map(m: &Module, a: &Assembled) -> Vec<SourceMapEntry> {
    a.source_map
        .iter()
        .map(|(pc, l)| SourceMapEntry {
            pc: *pc,
            // Line 0 marks code shared by several call sites (subroutines).
            location: if l.line == 0 {
                "shared".into()
            } else {
                location(m, l.file, l.line, l.col)
            },
        })
        .collect()
}

/// The helper functions' entry points.
fn functions(a: &Assembled) -> Vec<FunctionEntry> {
    a.entries
        .iter()
        .map(|(name, pc)| FunctionEntry {
            name: name.clone(),
            pc: *pc,
        })
        .collect()
}
