//! `#[grants]` annotations and the classification of interface functions.
//!
//! Every function of a declared interface ends up in one of these classes:
//! - a **known grant** (its selector is in `nest_permissions`' table): it must carry
//!   exactly the family's canonical `#[grants(revoke = …)]` (`E0401`, `E0407`); a
//!   function whose selector collides with a known grant's under another signature is
//!   refused (`E0406`);
//! - **annotated** `#[grants(revoke = f(…))]`: the revocation must be a state-changing
//!   function other than the grant itself called again (`E0408`), resolved to one
//!   function of the interface (`E0402`);
//! - **declared to grant nothing**, `#[grants(none)]` on the function or on its
//!   interface;
//! - **`view`/`pure`**: called with STATICCALL, it cannot grant;
//! - otherwise **unclassified**: calling it is warning `W0401` (an error with
//!   `--strict`), and the artifact lists it.

use crate::hir::{self, ExprKind, FunctionDef, GrantSpec, RevokeArg};
use crate::known_grants::Granting;
use crate::known_grants::{self, arg_fits, canonical_annotation, is_canonical};
use crate::literals::{parse_number, NumberValue};
use crate::scope::Checker;
use crate::scope::UnclassifiedCall;
use crate::ty::InterfaceId;
use alloy_primitives::{Address, U256};
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;

/// What a `#[grants(…)]` annotation says.
enum Annotation {
    /// `#[grants(none)]`.
    None,
    /// `#[grants(revoke = f(…))]`, with where the revoking call is written.
    Revoke(GrantSpec, Span),
}

const GRANTS_HELP: &str = "write `#[grants(revoke = f(arg, …))]`, naming the granting function's parameters or constants, or `#[grants(none)]` for a function that grants nothing";

impl Checker<'_> {
    /// Whether an interface item says `#[grants(none)]`: all its functions without an
    /// annotation of their own grant nothing. Any other `#[grants]` there is `E0402`.
    pub(crate) fn interface_grants_none(&mut self, attrs: &[ast::Attribute]) -> bool {
        let Some(attr) = attrs.iter().find(|a| a.name.name == "grants") else {
            return false;
        };
        if is_none_annotation(attr) {
            return true;
        }
        self.error(
            Diagnostic::error("E0402", "malformed `#[grants]` annotation")
                .with_primary(attr.span, "an interface takes only `#[grants(none)]`")
                .with_help("annotate each granting function with `#[grants(revoke = …)]`, and the interface with `#[grants(none)]` to declare that its other functions grant nothing"),
        );
        false
    }

    /// Sets each function's `grant` and `grants_none` from its annotation, the
    /// interface's (`iface_none`) and the table of known grants, reporting what is
    /// wrong. `sigs` are the declarations; `functions` those whose types resolved, in
    /// the same order.
    pub(crate) fn classify_functions(
        &mut self,
        sigs: &[ast::FunctionSig],
        functions: &mut [FunctionDef],
        iface_none: bool,
    ) {
        let mut fi = 0;
        for sig in sigs {
            if fi >= functions.len() || functions[fi].name != sig.name.name {
                continue;
            }
            let annotation = match sig.attrs.iter().find(|a| a.name.name == "grants") {
                Some(attr) => match self.annotation(attr, sig, functions) {
                    Some(a) => Some(a),
                    // Malformed: reported; the function stays unclassified.
                    None => {
                        fi += 1;
                        continue;
                    }
                },
                None => None,
            };
            let f = functions[fi].clone();
            let f = &f;
            if let Some(Annotation::Revoke(spec, at)) = &annotation {
                if !self.revocation_revokes(f, spec, *at, functions) {
                    fi += 1;
                    continue;
                }
            }
            match known_grants::known_grant(f.selector) {
                Some(g) if g.signature != f.signature => {
                    let canonical = g.signature;
                    self.error(
                        Diagnostic::error(
                            "E0406",
                            format!(
                                "`{}` has the selector of `{canonical}`, a known permission grant",
                                f.signature
                            ),
                        )
                        .with_primary(sig.name.span, format!("selector 0x{}", hex4(f.selector)))
                        .with_note(format!("a contract dispatches on the 4-byte selector only: calling this function calls `{canonical}`, which grants {}", known_grants::what(g)))
                        .with_help(format!("declare the function as `{canonical}` with its `#[grants]` annotation, or remove it")),
                    );
                }
                // ERC-721 per-token approvals are refused where they are called.
                Some(_) if known_grants::is_erc721_approve(f, functions) => {}
                Some(g) => self.classify_known_grant(g, sig, fi, annotation, functions),
                None => match annotation {
                    None => functions[fi].grants_none = iface_none,
                    Some(Annotation::None) => functions[fi].grants_none = true,
                    Some(Annotation::Revoke(spec, _)) => functions[fi].grant = Some(spec),
                },
            }
            fi += 1;
        }
    }

    /// Function `fi` (declared as `sig`) is a known grant `g`: its annotation must be
    /// its family's canonical revocation (`E0401` without one, `E0407` for another or
    /// for `#[grants(none)]`).
    fn classify_known_grant(
        &mut self,
        g: &Granting,
        sig: &ast::FunctionSig,
        fi: usize,
        annotation: Option<Annotation>,
        functions: &mut [FunctionDef],
    ) {
        let f = functions[fi].clone();
        let f = &f;
        match annotation {
            None => {
                let help = canonical_annotation(g, f);
                self.error(
                    Diagnostic::error(
                        "E0401",
                        format!("`{}` grants {} but does not say how to revoke it", f.signature, known_grants::what(g)),
                    )
                    .with_primary(sig.name.span, "a known permission-granting function")
                    .with_note("the compiler revokes every permission a script grants before it ends; it must know how")
                    .with_help(format!("annotate it: `{help}`")),
                );
            }
            Some(Annotation::None) => {
                let help = canonical_annotation(g, f);
                let attr = sig.attrs.iter().find(|a| a.name.name == "grants");
                self.error(
                    Diagnostic::error(
                        "E0407",
                        format!("`{}` grants {}: it cannot be declared to grant nothing", f.signature, known_grants::what(g)),
                    )
                    .with_primary(attr.map_or(sig.name.span, |a| a.span), "`#[grants(none)]` on a known grant")
                    .with_note("known grants are recognised by their selector, and revoked the way their family is revoked")
                    .with_help(format!("annotate it: `{help}`")),
                );
            }
            Some(Annotation::Revoke(spec, at)) => {
                if is_canonical(g, &spec, functions) {
                    functions[fi].grant = Some(spec);
                } else {
                    let help = canonical_annotation(g, f);
                    self.error(
                        Diagnostic::error(
                            "E0407",
                            format!("`{}` grants {}, which is revoked another way", f.signature, known_grants::what(g)),
                        )
                        .with_primary(at, "not the canonical revocation")
                        .with_note(format!("`{}` is a known grant, recognised by its selector: the compiler accepts only the revocation of its family ({})", g.signature, g.family().id))
                        .with_help(format!("write `{help}`")),
                    );
                }
            }
        }
    }

    /// `E0408` unless `spec` names a function that can revoke what `f` grants: not a
    /// `view`/`pure` one, and not `f` itself called with the grant's own arguments.
    fn revocation_revokes(
        &mut self,
        f: &FunctionDef,
        spec: &GrantSpec,
        at: Span,
        functions: &[FunctionDef],
    ) -> bool {
        let Some(revoke) = functions.get(spec.revoke_fn) else {
            return false;
        };
        let why = if revoke.is_view {
            Some((
                format!(
                    "`{}` is `view` or `pure`: calling it changes nothing",
                    revoke.signature
                ),
                "the revocation must be a function that changes the permission back",
            ))
        } else if revoke.selector == f.selector
            && !spec
                .revoke_args
                .iter()
                .any(|a| matches!(a, RevokeArg::Const(_)))
        {
            Some((
                format!(
                    "this calls `{}` again with the grant's own arguments",
                    f.signature
                ),
                "revoking by granting again leaves the permission in force",
            ))
        } else {
            None
        };
        let Some((label, note)) = why else {
            return true;
        };
        self.error(
            Diagnostic::error("E0408", format!("the revocation of `{}` does not revoke it", f.signature))
                .with_primary(at, label)
                .with_note(note)
                .with_help("name the state-changing function that takes the permission back, with the constant that undoes it where it takes one (as in `approve(spender, 0)`, `setApprovalForAll(operator, false)`)"),
        );
        false
    }

    /// Reads a `#[grants(…)]` on a function; `None` when malformed (reported, `E0402`).
    fn annotation(
        &mut self,
        attr: &ast::Attribute,
        sig: &ast::FunctionSig,
        functions: &[FunctionDef],
    ) -> Option<Annotation> {
        if is_none_annotation(attr) {
            return Some(Annotation::None);
        }
        let Some(arg) = attr
            .args
            .iter()
            .find(|a| a.key.as_ref().is_some_and(|k| k.name == "revoke"))
        else {
            return self.malformed_grants(attr.span, "missing `revoke = …`");
        };
        let ast::ExprKind::Call { callee, args, .. } = &arg.value.kind else {
            return self.malformed_grants(arg.value.span, "expected a call");
        };
        let ast::ExprKind::Ident(fname) = &callee.kind else {
            return self.malformed_grants(callee.span, "expected a function of this interface");
        };
        let revoke_args = self.revoke_args(args, sig)?;
        let revoke_fn = self.revoke_fn(fname, &revoke_args, arg.value.span, sig, functions)?;
        Some(Annotation::Revoke(
            GrantSpec {
                revoke_fn,
                revoke_args,
            },
            arg.value.span,
        ))
    }

    /// `E0402`: a malformed `#[grants]` annotation (always `None`, for `return`).
    fn malformed_grants<T>(&mut self, span: Span, msg: &str) -> Option<T> {
        self.error(
            Diagnostic::error("E0402", "malformed `#[grants]` annotation")
                .with_primary(span, msg.to_string())
                .with_help(GRANTS_HELP),
        );
        None
    }

    /// The arguments of a `revoke = f(…)` annotation: parameters of the granting
    /// function (`sig`) or constants.
    fn revoke_args(
        &mut self,
        args: &[ast::Expr],
        sig: &ast::FunctionSig,
    ) -> Option<Vec<RevokeArg>> {
        let mut revoke_args = Vec::new();
        for a in args {
            let v = match &a.kind {
                ast::ExprKind::Ident(id) => match sig
                    .params
                    .iter()
                    .position(|p| p.name.as_ref().is_some_and(|n| n.name == id.name))
                {
                    Some(i) => RevokeArg::Param(i),
                    None => {
                        return self
                            .malformed_grants(a.span, "not a parameter of the granting function")
                    }
                },
                ast::ExprKind::Bool(b) => RevokeArg::Const(U256::from(*b as u8)),
                ast::ExprKind::Number { raw, unit: None } => match parse_number(raw) {
                    Ok(NumberValue::Int(v)) => RevokeArg::Const(v),
                    _ => return self.malformed_grants(a.span, "expected an integer"),
                },
                _ => {
                    return self.malformed_grants(a.span, "expected a parameter name or a constant")
                }
            };
            revoke_args.push(v);
        }
        Some(revoke_args)
    }

    /// The revoking function `fname(revoke_args)` names among the interface's
    /// `functions`: by name and arity, then, among overloads, by the arguments' types.
    fn revoke_fn(
        &mut self,
        fname: &ast::Ident,
        revoke_args: &[RevokeArg],
        at: Span,
        sig: &ast::FunctionSig,
        functions: &[FunctionDef],
    ) -> Option<usize> {
        let candidates: Vec<usize> = functions
            .iter()
            .enumerate()
            .filter(|(_, f)| f.name == fname.name && f.inputs.len() == revoke_args.len())
            .map(|(i, _)| i)
            .collect();
        if candidates.is_empty() {
            return self.malformed_grants(
                fname.span,
                "no function of this interface with that name and arity",
            );
        }
        // Overloads of one arity: the one whose parameter types fit the arguments.
        let granting = functions.iter().find(|f| f.span == sig.name.span)?;
        let fitting: Vec<usize> = if candidates.len() == 1 {
            candidates
        } else {
            candidates
                .into_iter()
                .filter(|&c| {
                    revoke_args
                        .iter()
                        .zip(&functions[c].inputs)
                        .all(|(a, t)| arg_fits(a, granting, t))
                })
                .collect()
        };
        match fitting.as_slice() {
            [revoke_fn] => Some(*revoke_fn),
            [] => self.malformed_grants(at, "no overload of this function takes these arguments"),
            several => {
                let sigs: Vec<String> = several
                    .iter()
                    .map(|&i| format!("`{}`", functions[i].signature))
                    .collect();
                self.malformed_grants(
                    at,
                    &format!("ambiguous: these arguments fit {}", sigs.join(" and ")),
                )
            }
        }
    }
}

impl Checker<'_> {
    /// Whether `e` is statically the vault's own address: `self`, `IFoo(self)`,
    /// `address(self)`, or an immutable local bound to one of them.
    pub(crate) fn is_self(&self, e: &hir::Expr) -> bool {
        match &e.kind {
            ExprKind::SelfAddress => true,
            ExprKind::Local(id) => self.self_locals.contains(id),
            ExprKind::Cast(inner) => self.is_self(inner),
            _ => false,
        }
    }

    /// Whether `e` is a token: a declared token, or a loop variable over tokens
    /// (`for t in [USDC, DAI]`, typed `address`).
    pub(crate) fn is_token(&self, e: &hir::Expr) -> bool {
        match &e.kind {
            _ if matches!(e.ty, crate::ty::Type::Token(_)) => true,
            ExprKind::Local(id) => self.token_locals.contains(id),
            ExprKind::Word(w) => self.tokens.iter().any(|t| {
                Address::from_word((*w).into()) == t.address && t.address != Address::ZERO
            }),
            _ => false,
        }
    }

    /// Checks a call of function `fi` of `iface` on `target` for what the permission
    /// model refuses (a state-changing call to the vault itself, `E0411`; an ERC-721 per-token
    /// approval, `E0410`) and records it when the function is unclassified. False when
    /// the call is refused.
    pub(crate) fn check_called_function(
        &mut self,
        iface: InterfaceId,
        fi: usize,
        target: &hir::Expr,
        span: Span,
    ) -> bool {
        let idef = &self.interfaces[iface.0 as usize];
        let f = &idef.functions[fi];
        // A `view` is called with STATICCALL: it may read the vault, not change it.
        if !f.is_view && self.is_self(target) {
            let signature = f.signature.clone();
            self.error(
                Diagnostic::error("E0411", format!("`{signature}` is called on the vault itself"))
                    .with_primary(target.span, "this is `self`, the vault")
                    .with_note("the script runs as the vault: calling the vault would let it reconfigure the vault (enable a Safe module, add an owner, change the threshold), which outlives the script and which the compiler cannot revoke")
                    .with_help("call other contracts only; change the vault's own configuration through its owners, not from a script"),
            );
            return false;
        }
        if known_grants::is_erc721_approve(f, &idef.functions) {
            let iname = idef.name.clone();
            let declared = f.span;
            self.error(
                Diagnostic::error("E0410", format!("`{iname}.approve` is an ERC-721 per-token approval, which scripts cannot grant"))
                    .with_primary(span, "per-token approval")
                    .with_secondary(declared, "an ERC-721 `approve(address to, uint256 tokenId)`")
                    .with_note("an ERC-721 approval is cleared by a transfer and revoked per token, not by `approve(to, 0)`: the compiler cannot revoke it safely")
                    .with_help("grant an operator approval for the block that needs it: `with NFT.setApprovalForAll(operator, true) { … }`"),
            );
            return false;
        }
        if !f.is_classified() {
            let target = match target.kind {
                ExprKind::Word(w) => Some(Address::from_word(w.into())),
                _ => None,
            };
            self.unclassified.push(UnclassifiedCall {
                interface: iface,
                function: fi,
                target,
                span,
            });
        }
        true
    }

    /// Reports the unclassified functions the script calls (one `W0401`, unless the
    /// script has errors) and lists them for the program, one per function and target.
    pub(crate) fn report_unclassified(&mut self) -> Vec<hir::Unclassified> {
        let calls = std::mem::take(&mut self.unclassified);
        let mut out: Vec<hir::Unclassified> = Vec::new();
        let mut first: Vec<(InterfaceId, usize, Span)> = Vec::new();
        for c in &calls {
            let idef = &self.interfaces[c.interface.0 as usize];
            let signature = idef.functions[c.function].signature.clone();
            if !first
                .iter()
                .any(|(i, f, _)| *i == c.interface && *f == c.function)
            {
                first.push((c.interface, c.function, c.span));
            }
            if !out.iter().any(|u| {
                u.signature == signature && u.interface == idef.name && u.target == c.target
            }) {
                out.push(hir::Unclassified {
                    interface: idef.name.clone(),
                    signature,
                    target: c.target,
                    span: c.span,
                });
            }
        }
        // A script with errors does not compile: the warning would only add noise.
        let Some(&(_, _, at)) = first.first() else {
            return out;
        };
        if nest_diagnostics::has_errors(&self.diags) {
            return out;
        }
        let names: Vec<String> = first
            .iter()
            .map(|(i, f, _)| {
                let idef = &self.interfaces[i.0 as usize];
                format!("{}.{}", idef.name, idef.functions[*f].signature)
            })
            .collect();
        let (count, grants_nothing, grants_one) = if names.len() == 1 {
            (
                "a function".to_string(),
                "it grants nothing",
                "it grants a permission",
            )
        } else {
            (
                format!("{} functions", names.len()),
                "they grant nothing",
                "one grants a permission",
            )
        };
        let mut d = Diagnostic::warning(
            "W0401",
            format!(
                "the compiler cannot vouch for {count} this script calls: {}",
                crate::suggest::list(&names, 10)
            ),
        )
        .with_primary(at, "may grant a permission the compiler does not know of");
        for (_, _, span) in first.iter().skip(1) {
            d = d.with_secondary(*span, "unclassified too");
        }
        self.error(
            d.with_note("a function that is not `view`/`pure`, not a known grant and not annotated might grant a permission that would outlive the script; `--strict` refuses such calls")
                .with_help(format!("if {grants_nothing}, annotate the function or its interface `#[grants(none)]`; if {grants_one}, annotate it `#[grants(revoke = …)]` with the call that takes it back")),
        );
        out
    }
}

/// `#[grants(none)]`.
fn is_none_annotation(attr: &ast::Attribute) -> bool {
    matches!(attr.args.as_slice(), [ast::AttrArg { key: None, value }]
        if matches!(&value.kind, ast::ExprKind::Ident(i) if i.name == "none"))
}

/// A selector in hex.
pub(crate) fn hex4(s: [u8; 4]) -> String {
    s.iter().map(|b| format!("{b:02x}")).collect()
}
