//! Items (`use`, `token`, `interface`, `const`, `param`, `fn`), attributes, and the
//! file: inner docs, then items and top-level statements in order.

use chumsky::prelude::*;

use super::common::*;
use super::expr::expr;
use super::stmt::stmt_and_block;
use super::types::{abi_param, type_expr};
use crate::ast::*;
use crate::token::Sp;
use crate::token::{Kw, Punct, Tok, Token};

/// A whole file. Never fails on any token sequence: every token is either parsed
/// or skipped by recovery.
pub(crate) fn source_file<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, SourceFile, Ex<E>> {
    let expr = expr();
    let (stmt, block) = stmt_and_block(expr.clone());

    let attrs = attribute(expr.clone()).repeated().collect::<Vec<_>>();
    let kind = choice((
        use_item(),
        token_item(expr.clone()),
        interface_item(expr.clone()),
        const_item(expr.clone()),
        param_item(expr.clone()),
        fn_item(block),
        stmt.map(ItemKind::Stmt),
    ))
    .map_with(|kind, e| (kind, span(e.span())));
    let item = outer_docs()
        .then(attrs)
        .then(kind)
        .map(|((docs, attrs), (kind, span))| Item {
            docs,
            attrs,
            kind,
            span,
        })
        .recover_with(via_parser(super::stmt::let_recovery().map(|stmt| Item {
            docs: Vec::new(),
            attrs: Vec::new(),
            span: stmt.span,
            kind: ItemKind::Stmt(stmt),
        })))
        .recover_with(via_parser(skip_line().map(error_item)))
        .recover_with(via_parser(skip_stray_closer(None).map(error_item)));
    let inner_docs = select_ref! { Token { kind: Tok::InnerDoc(text), .. } => text.clone() }
        .repeated()
        .collect::<Vec<_>>();
    inner_docs
        .then(item.repeated().collect::<Vec<_>>())
        .then_ignore(end())
        .map_with(|(docs, items), e| SourceFile {
            docs,
            items,
            span: span(e.span()),
        })
}

fn error_item(sp: Sp) -> Item {
    let span = span(sp);
    Item {
        docs: Vec::new(),
        attrs: Vec::new(),
        kind: ItemKind::Stmt(Stmt {
            kind: StmtKind::Error,
            span,
        }),
        span,
    }
}

/// `#[name(key = value, value)]`.
fn attribute<'a, E: PErr<'a>>(
    expr: impl Parser<'a, In<'a>, Expr, Ex<E>> + Clone + 'a,
) -> impl Parser<'a, In<'a>, Attribute, Ex<E>> + Clone {
    let arg = ident()
        .then_ignore(punct(Punct::Assign))
        .or_not()
        .then(expr)
        .map(|(key, value)| AttrArg { key, value });
    let args = arg
        .separated_by(punct(Punct::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(punct(Punct::LParen), close(Punct::RParen));
    punct(Punct::Hash)
        .ignore_then(
            ident()
                .then(args.or_not().map(Option::unwrap_or_default))
                .delimited_by(punct(Punct::LBracket), close(Punct::RBracket)),
        )
        .map_with(|(name, args), e| Attribute {
            name,
            args,
            span: span(e.span()),
        })
        .labelled("an attribute")
}

/// `{A, B as C}` or a single `A [as C]`.
fn use_names<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, Vec<UseName>, Ex<E>> + Clone {
    let name = ident()
        .then(kw(Kw::As).ignore_then(ident()).or_not())
        .map(|(name, alias)| UseName { name, alias });
    name.separated_by(punct(Punct::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(punct(Punct::LBrace), close(Punct::RBrace))
}

/// `use std::a::{B, C as D}`, `use std::erc20::IERC20`, `use "./x.ns"::{A}`.
fn use_item<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, ItemKind, Ex<E>> + Clone {
    let alias = kw(Kw::As).ignore_then(ident()).or_not();
    let segments = punct(Punct::ColonColon)
        .ignore_then(ident())
        .repeated()
        .collect::<Vec<_>>();
    let group = punct(Punct::ColonColon).ignore_then(use_names());
    let std_path = ident()
        .then(segments)
        .then(group.clone().or_not())
        .then(alias.clone())
        .validate(|(((root, mut segments), group), alias), e, emitter| {
            if root.name != "std" {
                let at = chumsky::span::SimpleSpan {
                    start: root.span.start as usize,
                    end: root.span.end as usize,
                    context: root.span.file,
                };
                emit(emitter, at, diag::bad_use_root(root.span, &root.name));
            }
            let names = match group {
                Some(names) => names,
                None => match segments.pop() {
                    Some(name) => vec![UseName { name, alias }],
                    None => Vec::new(),
                },
            };
            let end = segments.last().map_or(root.span, |s| s.span);
            (
                ModulePath::Std {
                    segments,
                    span: root.span.to(end),
                },
                names,
                e.span(),
            )
        })
        .try_map(|(module, names, sp), _| {
            if names.is_empty() {
                let diag = nest_diagnostics::Diagnostic::error(
                    "E0101",
                    "expected `::` and a name to import",
                )
                .with_primary(span(sp), "nothing is imported")
                .with_help("name what to import: `use std::erc20::IERC20`");
                Err(E::custom(sp, diag))
            } else {
                Ok((module, names))
            }
        });
    let single = ident()
        .then(alias)
        .map(|(name, alias)| vec![UseName { name, alias }]);
    let file_path = string()
        .then_ignore(punct(Punct::ColonColon))
        .then(choice((use_names(), single)))
        .map(|(path, names)| (ModulePath::File(path), names));
    kw(Kw::Use)
        .ignore_then(choice((file_path, std_path)))
        .map(|(module, names)| ItemKind::Use(UseItem { module, names }))
        .then_ignore(stmt_end())
}

/// `token NAME = ADDRESS, decimals N`.
fn token_item<'a, E: PErr<'a>>(
    expr: impl Parser<'a, In<'a>, Expr, Ex<E>> + Clone + 'a,
) -> impl Parser<'a, In<'a>, ItemKind, Ex<E>> + Clone {
    kw(Kw::Token)
        .ignore_then(ident())
        .then_ignore(punct(Punct::Assign))
        .then(expr.clone())
        .then_ignore(punct(Punct::Comma))
        .then_ignore(contextual("decimals", "`decimals`"))
        .then(expr)
        .map(|((name, address), decimals)| {
            ItemKind::Token(TokenItem {
                name,
                address,
                decimals,
            })
        })
        .then_ignore(stmt_end())
}

/// `interface NAME { function …; error …; }` or `interface NAME = abi("file.json")`.
fn interface_item<'a, E: PErr<'a>>(
    expr: impl Parser<'a, In<'a>, Expr, Ex<E>> + Clone + 'a,
) -> impl Parser<'a, In<'a>, ItemKind, Ex<E>> + Clone {
    let abi = punct(Punct::Assign)
        .ignore_then(contextual("abi", "`abi`"))
        .ignore_then(string().delimited_by(punct(Punct::LParen), close(Punct::RParen)))
        .map(InterfaceBody::Abi)
        .then_ignore(stmt_end());
    // A function that does not parse is skipped up to its `;`.
    let skip_function = any_ref()
        .filter(|t: &&Token| {
            t.kind != Tok::Punct(Punct::Semi) && t.kind != Tok::Punct(Punct::RBrace)
        })
        .rewind()
        .ignore_then(token_tree())
        .repeated()
        .at_least(1)
        .then(punct(Punct::Semi).or_not())
        .to(None);
    let member = choice((
        function_sig(expr).map(Member::Function),
        error_sig().map(Member::Error),
    ));
    let functions = member
        .map(Some)
        .recover_with(via_parser(skip_function))
        .repeated()
        .collect::<Vec<_>>()
        .delimited_by(punct(Punct::LBrace), close(Punct::RBrace))
        .map(|members| {
            let (mut sigs, mut errors) = (Vec::new(), Vec::new());
            for member in members.into_iter().flatten() {
                match member {
                    Member::Function(f) => sigs.push(f),
                    Member::Error(e) => errors.push(e),
                }
            }
            (InterfaceBody::Functions(sigs), errors)
        })
        .then_ignore(opt_semis());
    kw(Kw::Interface)
        .ignore_then(ident())
        .then(choice((abi.map(|body| (body, Vec::new())), functions)))
        .map(|(name, (body, errors))| ItemKind::Interface(InterfaceItem { name, body, errors }))
}

/// One declaration in an interface's braces.
#[derive(Clone)]
enum Member {
    Function(FunctionSig),
    Error(ErrorSig),
}

/// `error Name(T a, …);`, with its doc comments.
fn error_sig<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, ErrorSig, Ex<E>> + Clone {
    let params = abi_param()
        .separated_by(punct(Punct::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(punct(Punct::LParen), close(Punct::RParen));
    outer_docs()
        .then(
            contextual("error", "`error`")
                .ignore_then(name_or_keyword())
                .then(params)
                .then_ignore(punct(Punct::Semi))
                .map_with(|(name, params), e| (name, params, span(e.span()))),
        )
        .map(|(docs, (name, params, span))| ErrorSig {
            docs,
            name,
            params,
            span,
        })
}

/// `function name(T a, …) [external|public] [view|pure|payable] [returns (T r, …)];`
fn function_sig<'a, E: PErr<'a>>(
    expr: impl Parser<'a, In<'a>, Expr, Ex<E>> + Clone + 'a,
) -> impl Parser<'a, In<'a>, FunctionSig, Ex<E>> + Clone {
    let params = abi_param()
        .separated_by(punct(Punct::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(punct(Punct::LParen), close(Punct::RParen));
    let modifier = select_ref! {
        Token { kind: Tok::Ident(word), .. } = e if word != "returns" => (word.clone(), e.span()),
    };
    let modifiers = modifier
        .repeated()
        .collect::<Vec<_>>()
        .validate(|words, _e, emitter| {
            let mut mutability = Mutability::NonPayable;
            for (word, sp) in words {
                match word.as_str() {
                    "external" | "public" => {}
                    "view" => mutability = Mutability::View,
                    "pure" => mutability = Mutability::Pure,
                    "payable" => mutability = Mutability::Payable,
                    _ => emit(emitter, sp, diag::unsupported_modifier(span(sp), &word)),
                }
            }
            mutability
        });
    let returns = contextual("returns", "`returns`")
        .ignore_then(params.clone())
        .or_not();
    let attrs = attribute(expr).repeated().collect::<Vec<_>>();
    outer_docs()
        .then(attrs)
        .then(
            contextual("function", "`function`")
                .ignore_then(name_or_keyword())
                .then(params)
                .then(modifiers)
                .then(returns)
                .then_ignore(punct(Punct::Semi))
                .map_with(|(((name, params), mutability), returns), e| {
                    (
                        name,
                        params,
                        mutability,
                        returns.unwrap_or_default(),
                        span(e.span()),
                    )
                }),
        )
        .map(
            |((docs, attrs), (name, params, mutability, returns, span))| FunctionSig {
                docs,
                attrs,
                name,
                params,
                mutability,
                returns,
                span,
            },
        )
}

/// `const NAME[: T] = expr`.
fn const_item<'a, E: PErr<'a>>(
    expr: impl Parser<'a, In<'a>, Expr, Ex<E>> + Clone + 'a,
) -> impl Parser<'a, In<'a>, ItemKind, Ex<E>> + Clone {
    kw(Kw::Const)
        .ignore_then(ident())
        .then(punct(Punct::Colon).ignore_then(type_expr()).or_not())
        .then_ignore(punct(Punct::Assign))
        .then(expr)
        .map(|((name, ty), value)| ItemKind::Const(ConstItem { name, ty, value }))
        .then_ignore(stmt_end())
}

/// `param NAME: T [= default]`.
fn param_item<'a, E: PErr<'a>>(
    expr: impl Parser<'a, In<'a>, Expr, Ex<E>> + Clone + 'a,
) -> impl Parser<'a, In<'a>, ItemKind, Ex<E>> + Clone {
    kw(Kw::Param)
        .ignore_then(ident())
        .then_ignore(punct(Punct::Colon))
        .then(type_expr())
        .then(punct(Punct::Assign).ignore_then(expr).or_not())
        .map(|((name, ty), default)| ItemKind::Param(ParamItem { name, ty, default }))
        .then_ignore(stmt_end())
}

/// `fn name(a: T, …) [-> R] { body }`.
fn fn_item<'a, E: PErr<'a>>(
    block: Boxed<'a, 'a, In<'a>, Block, Ex<E>>,
) -> impl Parser<'a, In<'a>, ItemKind, Ex<E>> + Clone {
    let param = ident()
        .then_ignore(punct(Punct::Colon))
        .then(type_expr())
        .map(|(name, ty)| FnParam { name, ty });
    let params = param
        .separated_by(punct(Punct::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(punct(Punct::LParen), close(Punct::RParen));
    kw(Kw::Fn)
        .ignore_then(ident())
        .then(params)
        .then(punct(Punct::Arrow).ignore_then(type_expr()).or_not())
        .then(block)
        .map(|(((name, params), ret), body)| {
            ItemKind::Fn(FnItem {
                name,
                params,
                ret,
                body,
            })
        })
        .then_ignore(opt_semis())
}
