//! The checker's state: loaded modules, their scopes, and local variables.

use crate::hir::{self, InterfaceDef, Local, LocalId, ParamValue, Program, TokenDef};
use crate::ty::{InterfaceId, TokenId, Type};
use crate::{modules, stdlib, CheckInput};
use alloy_primitives::Address;
use nest_diagnostics::{Diagnostic, SourceMap, Span};
use nest_syntax::ast;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What a name at module level refers to.
#[derive(Debug, Clone)]
pub(crate) enum Symbol {
    Token(TokenId),
    Interface(InterfaceId),
    Const(usize),
    Param(usize),
    /// A helper function.
    Fn(usize),
    /// `use`d from another module; resolved on first use.
    Import {
        module: usize,
        name: String,
    },
}

/// One loaded file.
pub(crate) struct Module {
    pub name: String,
    /// Shared: stdlib trees come from a per-process cache (`crate::parse_cache`).
    pub ast: Arc<ast::SourceFile>,
    /// The stdlib module (`erc20`) when this is a built-in module's own text: its
    /// file id is fixed, and what it resolves to can come from a per-process cache
    /// (`crate::resolve_cache`).
    pub stdlib: Option<crate::parse_cache::StdModule>,
    pub scope: HashMap<String, (Symbol, Span)>,
}

/// A `const` and how far its evaluation has got.
pub(crate) struct ConstSlot {
    pub module: usize,
    pub item: ast::ConstItem,
    pub state: ConstState,
}

pub(crate) enum ConstState {
    Pending,
    InProgress,
    Done(Option<hir::Expr>),
}

/// A `fn` declaration and its checked form.
pub(crate) struct FnSlot {
    pub module: usize,
    pub item: ast::FnItem,
    /// Parameter types and the return type, once resolved.
    pub params: Vec<Type>,
    pub ret: Option<Type>,
    /// The checked function.
    pub def: Option<hir::FnDef>,
    /// Functions this one calls (for recursion detection).
    pub calls: Vec<usize>,
}

/// A `param` declaration.
pub(crate) struct ParamSlot {
    pub item: ast::ParamItem,
    /// Its value, once resolved (`None` until then, or when it has none).
    pub value: Option<hir::Expr>,
    pub state: ParamState,
}

/// How far a parameter's resolution has got: values are resolved on first use,
/// so a parameter (or constant) may use a parameter declared after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamState {
    Pending,
    /// Being resolved; `cycle_reported` once a reference back to it was reported
    /// (`a + a` is one cycle).
    InProgress {
        cycle_reported: bool,
    },
    /// Resolved; `value` is set unless the value was wrong (already reported).
    Done,
    /// No default and no `--param`: a placeholder when checking without values.
    Unset,
}

/// Checks one script with everything it imports.
pub(crate) struct Checker<'a> {
    pub input: &'a CheckInput<'a>,
    pub sources: SourceMap,
    pub diags: Vec<Diagnostic>,
    pub modules: Vec<Module>,
    pub tokens: Vec<TokenDef>,
    pub interfaces: Vec<InterfaceDef>,
    /// Each interface's module and the index of its item there.
    pub interface_asts: Vec<(usize, usize)>,
    pub consts: Vec<ConstSlot>,
    pub params: Vec<ParamSlot>,
    pub fns: Vec<FnSlot>,
    /// The function whose body is being checked.
    pub current_fn: Option<usize>,
    pub locals: Vec<Local>,
    pub local_scopes: Vec<HashMap<String, LocalId>>,
    /// The module whose names are being looked up.
    pub current: usize,
    pub return_types: Option<(Vec<Type>, Span)>,
    /// Depth of loops/branches around the statement being checked.
    pub nesting: u32,
    /// Depth of expressions and blocks being checked (bounded by `MAX_DEPTH`).
    pub depth: u32,
    /// Whether the nesting limit was already reported.
    pub depth_reported: bool,
    /// What editors need to know about names.
    pub index: crate::index::Index,
    /// `use` names to record in the index once items are resolved.
    pub pending_use_refs: Vec<(usize, ast::Ident)>,
    /// Doc comments of items, by the span of their name.
    pub docs: HashMap<Span, Vec<String>>,
    /// Whether a parameter without a value was used (checking without values):
    /// a constant computed from one has no value, and that is not an error.
    pub unset_param_used: bool,
    /// Immutable locals bound to the vault's own address (`let s = ISafe(self)`).
    pub self_locals: HashSet<LocalId>,
    /// Loop variables over token lists (`for t in [USDC, DAI]`): tokens, though typed
    /// `address`, for `approve`.
    pub token_locals: HashSet<LocalId>,
    /// Calls of functions the compiler cannot vouch for, in the order met.
    pub unclassified: Vec<UnclassifiedCall>,
    /// Tokens and amounts known at compile time, for `#[units]` (`crate::unit_state`).
    pub units: crate::unit_state::UnitState,
}

/// A call of an unclassified function (see `crate::grants`).
pub(crate) struct UnclassifiedCall {
    pub interface: InterfaceId,
    pub function: usize,
    /// The called address, when known at compile time.
    pub target: Option<Address>,
    pub span: Span,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(input: &'a CheckInput<'a>) -> Self {
        Checker {
            input,
            sources: SourceMap::new(),
            diags: Vec::new(),
            modules: Vec::new(),
            tokens: Vec::new(),
            interfaces: Vec::new(),
            interface_asts: Vec::new(),
            consts: Vec::new(),
            params: Vec::new(),
            fns: Vec::new(),
            current_fn: None,
            locals: Vec::new(),
            local_scopes: Vec::new(),
            current: 0,
            return_types: None,
            nesting: 0,
            depth: 0,
            depth_reported: false,
            index: Default::default(),
            pending_use_refs: Vec::new(),
            docs: HashMap::new(),
            unset_param_used: false,
            self_locals: HashSet::new(),
            token_locals: HashSet::new(),
            unclassified: Vec::new(),
            units: Default::default(),
        }
    }

    pub(crate) fn finish(self) -> (SourceMap, Vec<Diagnostic>, crate::index::Index) {
        (self.sources, self.diags, self.index)
    }

    pub(crate) fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Loads all modules, declares and resolves items, checks the body. Moves the
    /// definitions into the program: call it once, then only [`Checker::finish`].
    pub(crate) fn run(&mut self) -> Option<Program> {
        let entry = self.load_module(self.input.name.to_string(), self.input.text.to_string());
        self.load_imports(entry, &mut vec![entry]);
        for m in 0..self.modules.len() {
            self.declare_items(m);
        }
        self.resolve_items();
        self.check_fns();
        self.current = entry;
        let body = self.check_body(entry);
        let unclassified = self.report_unclassified();
        let params = self.param_values();
        // The checker is finished with its definitions: move them (the stdlib's
        // interfaces alone are a few hundred functions) rather than copy them.
        Some(Program {
            tokens: std::mem::take(&mut self.tokens),
            interfaces: std::mem::take(&mut self.interfaces),
            params,
            locals: std::mem::take(&mut self.locals),
            body,
            fns: self
                .fns
                .iter_mut()
                .map(|f| {
                    f.def
                        .take()
                        .unwrap_or_else(|| hir::FnDef::empty(&f.item.name.name))
                })
                .collect(),
            return_types: self
                .return_types
                .clone()
                .map(|(t, _)| t)
                .unwrap_or_default(),
            docs: self.modules[entry].ast.docs.clone(),
            unclassified,
        })
    }

    fn load_module(&mut self, name: String, text: String) -> usize {
        let stdlib = crate::parse_cache::stdlib_module(&name, &text);
        let (ast, diags) = match stdlib {
            Some(module) => {
                self.sources.add_fixed(module.file, name.clone(), text);
                crate::parse_cache::parse_std(module)
            }
            None => {
                let file = self.sources.add(name.clone(), text);
                crate::parse_cache::parse(file, &self.sources.get(file).text)
            }
        };
        self.diags.extend(diags);
        self.modules.push(Module {
            name,
            ast,
            stdlib,
            scope: HashMap::new(),
        });
        self.modules.len() - 1
    }

    /// Loads the modules `m` imports, depth first; `stack` detects cycles.
    fn load_imports(&mut self, m: usize, stack: &mut Vec<usize>) {
        let uses: Vec<ast::UseItem> = self.modules[m]
            .ast
            .items
            .iter()
            .filter_map(|i| match &i.kind {
                ast::ItemKind::Use(u) => Some(u.clone()),
                _ => None,
            })
            .collect();
        for u in uses {
            let Some((name, span)) = self.module_name(m, &u.module) else {
                continue;
            };
            if let Some(existing) = self.modules.iter().position(|x| x.name == name) {
                if let Some(pos) = stack.iter().position(|&s| s == existing) {
                    let cycle: Vec<String> = stack[pos..]
                        .iter()
                        .map(|&s| self.modules[s].name.clone())
                        .chain([name.clone()])
                        .collect();
                    self.error(
                        Diagnostic::error("E0603", format!("import cycle through `{name}`"))
                            .with_primary(span, "this import closes the cycle")
                            .with_note(format!("the cycle: {}", cycle.join(" → ")))
                            .with_help("move the shared items into a module that both can import"),
                    );
                }
                continue;
            }
            let text = if let Some(std) = name.strip_prefix("std::") {
                let found = if std.is_empty() {
                    None
                } else {
                    stdlib::module(std)
                };
                match found {
                    Some(t) => t.to_string(),
                    None if std.is_empty() => {
                        self.error(crate::std_imports::root(&u, span));
                        continue;
                    }
                    None => {
                        let names: Vec<&str> =
                            u.names.iter().map(|n| n.name.name.as_str()).collect();
                        self.error(crate::std_imports::unknown_module(&name, &names, span));
                        continue;
                    }
                }
            } else {
                let importer = self.modules[m].name.clone();
                let ast::ModulePath::File(lit) = &u.module else {
                    continue;
                };
                if let Some((label, help)) = modules::refused(&lit.value, "ns", "./common.ns") {
                    self.error(
                        Diagnostic::error("E0602", format!("cannot import `{}`", lit.value))
                            .with_primary(span, label)
                            .with_note("imports are Nest files relative to the importing file; this one is not read")
                            .with_help(help),
                    );
                    continue;
                }
                match self.input.resolver.load(&importer, &lit.value) {
                    Ok((_, text)) => text,
                    Err(why) => {
                        self.error(
                            Diagnostic::error("E0602", format!("cannot read `{}`", lit.value))
                                .with_primary(span, why)
                                .with_help("paths are relative to the importing file"),
                        );
                        continue;
                    }
                }
            };
            let child = self.load_module(name, text);
            stack.push(child);
            self.load_imports(child, stack);
            stack.pop();
        }
    }

    /// The canonical name of a module path as seen from module `m`.
    fn module_name(&self, m: usize, path: &ast::ModulePath) -> Option<(String, Span)> {
        match path {
            ast::ModulePath::Std { segments, span } => {
                let segs: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
                Some((format!("std::{}", segs.join("::")), *span))
            }
            ast::ModulePath::File(lit) => {
                Some((modules::join(&self.modules[m].name, &lit.value), lit.span))
            }
        }
    }

    /// Enters names of module `m`'s items (and its imports) into its scope.
    fn declare_items(&mut self, m: usize) {
        let ast = Arc::clone(&self.modules[m].ast);
        let is_entry = m == 0;
        for (index, item) in ast.items.iter().enumerate() {
            if let Some(n) = item_name(&item.kind) {
                self.docs.insert(n.span, item.docs.clone());
            }
            let (name, sym) = match &item.kind {
                ast::ItemKind::Token(t) => {
                    let id = TokenId(self.tokens.len() as u32);
                    self.tokens.push(TokenDef {
                        name: t.name.name.clone(),
                        address: Default::default(),
                        decimals: 0,
                        span: t.name.span,
                    });
                    (t.name.clone(), Symbol::Token(id))
                }
                ast::ItemKind::Interface(i) => {
                    let id = InterfaceId(self.interfaces.len() as u32);
                    self.interfaces.push(InterfaceDef {
                        name: i.name.name.clone(),
                        functions: Arc::new([]),
                        errors: Vec::new(),
                        span: i.name.span,
                    });
                    self.interface_asts.push((m, index));
                    (i.name.clone(), Symbol::Interface(id))
                }
                ast::ItemKind::Const(c) => {
                    self.consts.push(ConstSlot {
                        module: m,
                        item: c.clone(),
                        state: ConstState::Pending,
                    });
                    (c.name.clone(), Symbol::Const(self.consts.len() - 1))
                }
                ast::ItemKind::Param(p) => {
                    if !is_entry {
                        self.error(
                            Diagnostic::error(
                                "E0604",
                                format!("`param {}` in an imported module", p.name.name),
                            )
                            .with_primary(
                                p.name.span,
                                "parameters belong to the script being compiled",
                            )
                            .with_help("declare the parameter in the main script and pass it on"),
                        );
                        continue;
                    }
                    self.params.push(ParamSlot {
                        item: p.clone(),
                        value: None,
                        state: ParamState::Pending,
                    });
                    (p.name.clone(), Symbol::Param(self.params.len() - 1))
                }
                ast::ItemKind::Fn(f) => {
                    self.fns.push(FnSlot {
                        module: m,
                        item: f.clone(),
                        params: Vec::new(),
                        ret: None,
                        def: None,
                        calls: Vec::new(),
                    });
                    (f.name.clone(), Symbol::Fn(self.fns.len() - 1))
                }
                ast::ItemKind::Use(u) => {
                    let Some((mod_name, _)) = self.module_name(m, &u.module) else {
                        continue;
                    };
                    let Some(target) = self.modules.iter().position(|x| x.name == mod_name) else {
                        continue;
                    };
                    for n in &u.names {
                        self.pending_use_refs.push((target, n.name.clone()));
                        let local = n.alias.clone().unwrap_or_else(|| n.name.clone());
                        self.define(
                            m,
                            local,
                            Symbol::Import {
                                module: target,
                                name: n.name.name.clone(),
                            },
                            n.name.span,
                        );
                    }
                    continue;
                }
                ast::ItemKind::Stmt(_) => continue,
            };
            self.define(m, name.clone(), sym, name.span);
        }
    }

    fn define(&mut self, m: usize, name: ast::Ident, sym: Symbol, span: Span) {
        if let Some((_, first)) = self.modules[m].scope.get(&name.name) {
            let first = *first;
            self.error(
                Diagnostic::error("E0202", format!("`{}` is defined twice", name.name))
                    .with_primary(name.span, "defined again here")
                    .with_secondary(first, "first defined here")
                    .with_help("rename one of them, or import it with `as`"),
            );
            return;
        }
        self.modules[m].scope.insert(name.name, (sym, span));
    }

    /// Resolves a module-level name in module `m`, following imports.
    pub(crate) fn lookup_item(&mut self, m: usize, name: &str, span: Span) -> Option<Symbol> {
        let mut module = m;
        let mut name = name.to_string();
        for _ in 0..32 {
            let sym = self.modules[module]
                .scope
                .get(&name)
                .map(|(s, _)| s.clone());
            match sym {
                Some(Symbol::Import {
                    module: target,
                    name: n,
                }) => {
                    if !self.modules[target].scope.contains_key(&n) {
                        let mut available: Vec<String> =
                            self.modules[target].scope.keys().cloned().collect();
                        available.sort();
                        let help =
                            match crate::suggest::closest(&n, available.iter().map(String::as_str))
                            {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => {
                                    format!("it defines {}", crate::suggest::list(&available, 8))
                                }
                            };
                        self.error(
                            Diagnostic::error(
                                "E0203",
                                format!("module `{}` has no item `{n}`", self.modules[target].name),
                            )
                            .with_primary(span, "imported here")
                            .with_help(help),
                        );
                        // Define a harmless placeholder: report once.
                        self.modules[module].scope.remove(&name);
                        return None;
                    }
                    module = target;
                    name = n;
                }
                other => return other,
            }
        }
        None
    }

    /// Declares a local in the innermost scope.
    pub(crate) fn declare_local(&mut self, name: &ast::Ident, ty: Type, mutable: bool) -> LocalId {
        let id = LocalId(self.locals.len() as u32);
        if self.input.index {
            self.record_local_definition(name, &ty, mutable);
        }
        self.locals.push(Local {
            name: name.name.clone(),
            ty,
            mutable,
            span: name.span,
        });
        if let Some(scope) = self.local_scopes.last_mut() {
            if let Some(&prev) = scope.get(&name.name) {
                let first = self.locals[prev.0 as usize].span;
                self.diags.push(
                    Diagnostic::error(
                        "E0202",
                        format!("`{}` is defined twice in this block", name.name),
                    )
                    .with_primary(name.span, "defined again here")
                    .with_secondary(first, "first defined here")
                    .with_help("use another name, or `let mut` and assignment"),
                );
            }
            scope.insert(name.name.clone(), id);
        }
        id
    }

    /// Records a local's definition in the index.
    fn record_local_definition(&mut self, name: &ast::Ident, ty: &Type, mutable: bool) {
        let tn = self.type_name(ty);
        let interface = match ty {
            Type::Contract(i) => Some(self.interfaces[i.0 as usize].name.clone()),
            _ => None,
        };
        self.index.refs.push(crate::index::SymbolRef {
            span: name.span,
            name: name.name.clone(),
            kind: crate::index::SymbolKind::Local,
            def: Some(name.span),
            detail: format!(
                "let {}{}: {tn}",
                if mutable { "mut " } else { "" },
                name.name
            ),
            docs: Vec::new(),
            interface,
            is_def: true,
        });
    }

    /// Finds a local by name, innermost first.
    pub(crate) fn lookup_local(&self, name: &str) -> Option<LocalId> {
        self.local_scopes
            .iter()
            .rev()
            .find_map(|s| s.get(name).copied())
    }

    pub(crate) fn param_values(&self) -> Vec<ParamValue> {
        self.params
            .iter()
            .filter_map(|p| {
                let v = p.value.as_ref()?;
                let hir::ExprKind::Word(w) = v.kind else {
                    return None;
                };
                Some(ParamValue {
                    name: p.item.name.name.clone(),
                    ty: v.ty.clone(),
                    value: w,
                    display: self.display_value(w, &v.ty),
                    span: p.item.name.span,
                })
            })
            .collect()
    }

    /// A value as a person writes it.
    pub(crate) fn display_value(&self, w: alloy_primitives::U256, ty: &Type) -> String {
        match ty {
            Type::Amount(t) => {
                let tok = &self.tokens[t.0 as usize];
                let s = crate::literals::format_units(w, tok.decimals);
                let s = if s.contains('.') {
                    s.trim_end_matches('0').trim_end_matches('.').to_string()
                } else {
                    s
                };
                format!("{s} {}", tok.name)
            }
            Type::Address | Type::Token(_) | Type::Contract(_) => {
                alloy_primitives::Address::from_word(w.into()).to_checksum(None)
            }
            Type::Bool => (if w.is_zero() { "false" } else { "true" }).to_string(),
            Type::Int(_) => alloy_primitives::I256::from_raw(w).to_string(),
            _ => w.to_string(),
        }
    }
}

/// The name an item defines, if any.
fn item_name(kind: &ast::ItemKind) -> Option<&ast::Ident> {
    match kind {
        ast::ItemKind::Token(t) => Some(&t.name),
        ast::ItemKind::Interface(i) => Some(&i.name),
        ast::ItemKind::Const(c) => Some(&c.name),
        ast::ItemKind::Param(p) => Some(&p.name),
        ast::ItemKind::Fn(f) => Some(&f.name),
        _ => None,
    }
}
