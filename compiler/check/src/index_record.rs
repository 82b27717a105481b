//! Recording name occurrences into the [`crate::index::Index`].

use crate::index::{FunctionInfo, InterfaceInfo, SymbolKind, SymbolRef};
use crate::scope::{Checker, ConstState, Symbol};
use crate::ty::Type;
use nest_diagnostics::Span;

impl Checker<'_> {
    /// Records a use (or definition) of a module-level symbol.
    pub(crate) fn record_symbol(&mut self, span: Span, name: &str, sym: &Symbol, is_def: bool) {
        if !self.input.index {
            return;
        }
        let (kind, def, detail, interface) = match sym {
            Symbol::Token(t) => {
                let tok = &self.tokens[t.0 as usize];
                (
                    SymbolKind::Token,
                    tok.span,
                    format!(
                        "token {} = {}, decimals {}",
                        tok.name,
                        tok.address.to_checksum(None),
                        tok.decimals
                    ),
                    None,
                )
            }
            Symbol::Interface(i) => {
                let def = &self.interfaces[i.0 as usize];
                (
                    SymbolKind::Interface,
                    def.span,
                    format!("interface {} ({} functions)", def.name, def.functions.len()),
                    None,
                )
            }
            Symbol::Const(c) => self.const_detail(*c),
            Symbol::Param(p) => self.param_detail(*p),
            Symbol::Fn(f) => self.fn_detail(*f),
            Symbol::Import { .. } => return,
        };
        let docs = self.docs.get(&def).cloned().unwrap_or_default();
        self.index.refs.push(SymbolRef {
            span,
            name: name.to_string(),
            kind,
            def: Some(def),
            detail,
            docs,
            interface,
            is_def,
        });
    }

    /// What an editor shows of constant `c`: its kind, definition, detail line and
    /// interface (for a contract instance).
    fn const_detail(&self, c: usize) -> (SymbolKind, Span, String, Option<String>) {
        let slot = &self.consts[c];
        let span = slot.item.name.span;
        let (detail, iface) = match &slot.state {
            ConstState::Done(Some(v)) => {
                let iface = match &v.ty {
                    Type::Contract(i) => Some(self.interfaces[i.0 as usize].name.clone()),
                    _ => None,
                };
                let value = match v.kind {
                    crate::hir::ExprKind::Word(w) => self.display_value(w, &v.ty),
                    _ => String::new(),
                };
                (
                    format!(
                        "const {}: {} = {value}",
                        slot.item.name.name,
                        self.type_name(&v.ty)
                    ),
                    iface,
                )
            }
            _ => (format!("const {}", slot.item.name.name), None),
        };
        (SymbolKind::Const, span, detail, iface)
    }

    /// What an editor shows of parameter `p`.
    fn param_detail(&self, p: usize) -> (SymbolKind, Span, String, Option<String>) {
        let slot = &self.params[p];
        let span = slot.item.name.span;
        let detail = match &slot.value {
            Some(v) => match v.kind {
                crate::hir::ExprKind::Word(w) => {
                    format!(
                        "param {}: {} = {}",
                        slot.item.name.name,
                        self.type_name(&v.ty),
                        self.display_value(w, &v.ty)
                    )
                }
                _ => format!("param {}", slot.item.name.name),
            },
            None => format!("param {} (no value)", slot.item.name.name),
        };
        (SymbolKind::Param, span, detail, None)
    }

    /// What an editor shows of helper function `f`.
    fn fn_detail(&self, f: usize) -> (SymbolKind, Span, String, Option<String>) {
        let slot = &self.fns[f];
        let params: Vec<String> = slot
            .item
            .params
            .iter()
            .zip(&slot.params)
            .map(|(p, t)| format!("{}: {}", p.name.name, self.type_name(t)))
            .collect();
        let ret = slot
            .ret
            .as_ref()
            .map(|t| format!(" -> {}", self.type_name(t)))
            .unwrap_or_default();
        (
            SymbolKind::Function,
            slot.item.name.span,
            format!("fn {}({}){ret}", slot.item.name.name, params.join(", ")),
            None,
        )
    }

    /// Records a use of a local variable.
    pub(crate) fn record_local(&mut self, span: Span, l: crate::hir::LocalId) {
        if !self.input.index {
            return;
        }
        let local = self.locals[l.0 as usize].clone();
        let interface = match &local.ty {
            Type::Contract(i) => Some(self.interfaces[i.0 as usize].name.clone()),
            _ => None,
        };
        let detail = format!(
            "let {}{}: {}",
            if local.mutable { "mut " } else { "" },
            local.name,
            self.type_name(&local.ty)
        );
        self.index.refs.push(SymbolRef {
            span,
            name: local.name,
            kind: SymbolKind::Local,
            def: Some(local.span),
            detail,
            docs: Vec::new(),
            interface,
            is_def: false,
        });
    }

    /// Records a call of an interface function.
    pub(crate) fn record_function(&mut self, span: Span, iface: crate::ty::InterfaceId, f: usize) {
        if !self.input.index {
            return;
        }
        let i = &self.interfaces[iface.0 as usize];
        let func = &i.functions[f];
        let detail = format!("{}.{}", i.name, declaration(func));
        let docs = self.docs.get(&func.span).cloned().unwrap_or_default();
        self.index.refs.push(SymbolRef {
            span,
            name: func.name.clone(),
            kind: SymbolKind::Function,
            def: Some(func.span),
            detail,
            docs,
            interface: None,
            is_def: false,
        });
    }

    /// Records a builtin.
    pub(crate) fn record_builtin(&mut self, span: Span, name: &str, detail: &str) {
        if !self.input.index {
            return;
        }
        self.index.refs.push(SymbolRef {
            span,
            name: name.to_string(),
            kind: SymbolKind::Builtin,
            def: None,
            detail: detail.to_string(),
            docs: Vec::new(),
            interface: None,
            is_def: false,
        });
    }

    /// Fills in definitions, interfaces and `use` references once items are resolved.
    pub(crate) fn index_items(&mut self) {
        if !self.input.index {
            return;
        }
        for i in 0..self.interfaces.len() {
            let def = &self.interfaces[i];
            let docs = &self.docs;
            let functions = def
                .functions
                .iter()
                .map(|f| FunctionInfo {
                    name: f.name.clone(),
                    declaration: declaration(f),
                    params: f
                        .inputs
                        .iter()
                        .zip(&f.input_names)
                        .map(|(t, n)| {
                            if n.is_empty() {
                                t.sol_type_name().into_owned()
                            } else {
                                format!("{} {n}", t.sol_type_name())
                            }
                        })
                        .collect(),
                    docs: docs.get(&f.span).cloned().unwrap_or_default(),
                    span: f.span,
                })
                .collect();
            self.index.interfaces.push(InterfaceInfo {
                name: def.name.clone(),
                functions,
                span: def.span,
            });
        }
        for m in 0..self.modules.len() {
            let mut defs: Vec<(String, Symbol, Span)> = self.modules[m]
                .scope
                .iter()
                .filter(|(_, (s, _))| !matches!(s, Symbol::Import { .. }))
                .map(|(n, (s, sp))| (n.clone(), s.clone(), *sp))
                .collect();
            defs.sort_by_key(|(_, _, sp)| (sp.file, sp.start));
            for (name, sym, span) in defs {
                self.record_symbol(span, &name, &sym, true);
            }
        }
        for (target, ident) in std::mem::take(&mut self.pending_use_refs) {
            if let Some(sym) = self.lookup_item_quiet(target, &ident.name) {
                self.record_symbol(ident.span, &ident.name, &sym, false);
            }
        }
    }

    /// Like `lookup_item`, without reporting anything.
    pub(crate) fn lookup_item_quiet(&self, m: usize, name: &str) -> Option<Symbol> {
        let mut module = m;
        let mut name = name.to_string();
        for _ in 0..32 {
            match self.modules[module]
                .scope
                .get(&name)
                .map(|(s, _)| s.clone())
            {
                Some(Symbol::Import { module: t, name: n }) => {
                    module = t;
                    name = n;
                }
                other => return other,
            }
        }
        None
    }
}

/// `name(type a, …) [view] [returns (…)]`.
fn declaration(f: &crate::hir::FunctionDef) -> String {
    let params: Vec<String> = f
        .inputs
        .iter()
        .zip(&f.input_names)
        .map(|(t, n)| {
            if n.is_empty() {
                t.sol_type_name().into_owned()
            } else {
                format!("{} {n}", t.sol_type_name())
            }
        })
        .collect();
    let mut s = format!("{}({})", f.name, params.join(", "));
    if f.is_view {
        s.push_str(" view");
    }
    if f.is_payable {
        s.push_str(" payable");
    }
    if !f.outputs.is_empty() {
        let outs: Vec<String> = f
            .outputs
            .iter()
            .zip(&f.output_names)
            .map(|(t, n)| {
                if n.is_empty() {
                    t.sol_type_name().into_owned()
                } else {
                    format!("{} {n}", t.sol_type_name())
                }
            })
            .collect();
        s.push_str(&format!(" returns ({})", outs.join(", ")));
    }
    s
}
