//! Items, attributes and the whole file, as `crate::parser::item` parses them.

use nest_diagnostics::{FileId, Span};

use super::cursor::Cursor;
use super::expr::expr;
use super::stmt::{block, stmt};
use super::types::{abi_param, type_expr};
use crate::ast::*;
use crate::lexer::Sp;
use crate::token::{Kw, Punct, Tok, Token};

/// The whole file, or `None` to leave it to the chumsky parser. The file's span is
/// the caller's to set (it covers the whole text).
///
/// The tokens are spent: the text of those that become part of the tree is moved
/// into it, so when this gives up the file must be lexed again.
pub(crate) fn source_file(file: FileId, tokens: &mut [(Token, Sp)]) -> Option<SourceFile> {
    let mut p = Cursor::new(file, tokens);
    let mut docs = Vec::new();
    while let Some(Tok::InnerDoc(_)) = p.peek() {
        docs.push(p.take_text().0);
    }
    let mut items = Vec::new();
    while !p.at_end() {
        items.push(item(&mut p)?);
    }
    Some(SourceFile {
        docs,
        items,
        span: Span::new(file, 0, 0),
    })
}

/// `///` docs, `#[…]` attributes, then an item or a top-level statement.
fn item(p: &mut Cursor<'_>) -> Option<Item> {
    let docs = p.outer_docs();
    let attrs = attributes(p)?;
    let start = p.pos();
    let kind = match p.peek()? {
        Tok::Kw(Kw::Use) => use_item(p)?,
        Tok::Kw(Kw::Token) => token_item(p)?,
        Tok::Kw(Kw::Interface) => interface_item(p)?,
        Tok::Kw(Kw::Const) => const_item(p)?,
        Tok::Kw(Kw::Param) => param_item(p)?,
        Tok::Kw(Kw::Fn) => fn_item(p)?,
        _ => ItemKind::Stmt(stmt(p)?),
    };
    Some(Item {
        docs,
        attrs,
        kind,
        span: p.span_from(start),
    })
}

/// `#[name(key = value, value)]`, repeated.
fn attributes(p: &mut Cursor<'_>) -> Option<Vec<Attribute>> {
    let mut attrs = Vec::new();
    while p.at_punct(Punct::Hash) {
        let start = p.pos();
        p.bump();
        p.expect_punct(Punct::LBracket)?;
        let name = p.ident()?;
        let mut args = Vec::new();
        if p.eat_punct(Punct::LParen) {
            while !p.at_punct(Punct::RParen) {
                let key = match (p.peek(), p.peek_at(1)) {
                    (Some(Tok::Ident(_)), Some(Tok::Punct(Punct::Assign))) => {
                        let key = p.ident()?;
                        p.bump();
                        Some(key)
                    }
                    _ => None,
                };
                args.push(AttrArg {
                    key,
                    value: expr(p)?,
                });
                if !p.eat_punct(Punct::Comma) {
                    break;
                }
            }
            p.expect_punct(Punct::RParen)?;
        }
        p.expect_punct(Punct::RBracket)?;
        attrs.push(Attribute {
            name,
            args,
            span: p.span_from(start),
        });
    }
    Some(attrs)
}

/// `{A, B as C}` after `::`.
fn use_names(p: &mut Cursor<'_>) -> Option<Vec<UseName>> {
    p.expect_punct(Punct::LBrace)?;
    let mut names = Vec::new();
    while !p.at_punct(Punct::RBrace) {
        names.push(use_name(p)?);
        if !p.eat_punct(Punct::Comma) {
            break;
        }
    }
    p.expect_punct(Punct::RBrace)?;
    Some(names)
}

/// `A [as C]`.
fn use_name(p: &mut Cursor<'_>) -> Option<UseName> {
    let name = p.ident()?;
    let alias = alias(p)?;
    Some(UseName { name, alias })
}

/// `[as C]`.
fn alias(p: &mut Cursor<'_>) -> Option<Option<Ident>> {
    if p.eat_kw(Kw::As) {
        Some(Some(p.ident()?))
    } else {
        Some(None)
    }
}

/// `use std::a::{B, C as D}`, `use std::erc20::IERC20`, `use "./x.ns"::{A}`.
fn use_item(p: &mut Cursor<'_>) -> Option<ItemKind> {
    p.bump();
    let (module, names) = if let Some(Tok::Str(_)) = p.peek() {
        let path = p.string()?;
        p.expect_punct(Punct::ColonColon)?;
        let names = if p.at_punct(Punct::LBrace) {
            use_names(p)?
        } else {
            vec![use_name(p)?]
        };
        (ModulePath::File(path), names)
    } else {
        let root = p.ident()?;
        if root.name != "std" {
            return None;
        }
        let mut segments = Vec::new();
        while p.at_punct(Punct::ColonColon) && matches!(p.peek_at(1), Some(Tok::Ident(_))) {
            p.bump();
            segments.push(p.ident()?);
        }
        let group = if p.eat_punct(Punct::ColonColon) {
            Some(use_names(p)?)
        } else {
            None
        };
        let alias = alias(p)?;
        let names = match group {
            Some(names) => names,
            None => vec![UseName {
                name: segments.pop()?,
                alias,
            }],
        };
        if names.is_empty() {
            return None;
        }
        let end = segments.last().map_or(root.span, |s| s.span);
        let span = root.span.to(end);
        (ModulePath::Std { segments, span }, names)
    };
    p.stmt_end()?;
    Some(ItemKind::Use(UseItem { module, names }))
}

/// `token NAME = ADDRESS, decimals N`.
fn token_item(p: &mut Cursor<'_>) -> Option<ItemKind> {
    p.bump();
    let name = p.ident()?;
    p.expect_punct(Punct::Assign)?;
    let address = expr(p)?;
    p.expect_punct(Punct::Comma)?;
    p.expect_word("decimals")?;
    let decimals = expr(p)?;
    p.stmt_end()?;
    Some(ItemKind::Token(TokenItem {
        name,
        address,
        decimals,
    }))
}

/// `interface NAME { function …; error …; }` or `interface NAME = abi("file.json")`.
fn interface_item(p: &mut Cursor<'_>) -> Option<ItemKind> {
    p.bump();
    let name = p.ident()?;
    if p.eat_punct(Punct::Assign) {
        p.expect_word("abi")?;
        p.expect_punct(Punct::LParen)?;
        let path = p.string()?;
        p.expect_punct(Punct::RParen)?;
        p.stmt_end()?;
        return Some(ItemKind::Interface(InterfaceItem {
            name,
            body: InterfaceBody::Abi(path),
            errors: Vec::new(),
        }));
    }
    p.expect_punct(Punct::LBrace)?;
    let (mut sigs, mut errors) = (Vec::new(), Vec::new());
    while !p.at_punct(Punct::RBrace) {
        let docs = p.outer_docs();
        let attrs = attributes(p)?;
        if p.at_word("function") {
            sigs.push(function_sig(p, docs, attrs)?);
        } else if attrs.is_empty() && p.at_word("error") {
            errors.push(error_sig(p, docs)?);
        } else {
            return None;
        }
    }
    p.bump();
    p.opt_semis();
    Some(ItemKind::Interface(InterfaceItem {
        name,
        body: InterfaceBody::Functions(sigs),
        errors,
    }))
}

/// `(T a, U b,)` in a Solidity signature.
fn abi_params(p: &mut Cursor<'_>) -> Option<Vec<AbiParam>> {
    p.expect_punct(Punct::LParen)?;
    let mut params = Vec::new();
    while !p.at_punct(Punct::RParen) {
        params.push(abi_param(p)?);
        if !p.eat_punct(Punct::Comma) {
            break;
        }
    }
    p.expect_punct(Punct::RParen)?;
    Some(params)
}

/// `error Name(T a, …);` at the `error` word.
fn error_sig(p: &mut Cursor<'_>, docs: Vec<String>) -> Option<ErrorSig> {
    let start = p.pos();
    p.bump();
    let name = p.name_or_keyword()?;
    let params = abi_params(p)?;
    p.expect_punct(Punct::Semi)?;
    Some(ErrorSig {
        docs,
        name,
        params,
        span: p.span_from(start),
    })
}

/// `function name(T a, …) [external|public] [view|pure|payable] [returns (T r, …)];`
/// at the `function` word.
fn function_sig(
    p: &mut Cursor<'_>,
    docs: Vec<String>,
    attrs: Vec<Attribute>,
) -> Option<FunctionSig> {
    let start = p.pos();
    p.bump();
    let name = p.name_or_keyword()?;
    let params = abi_params(p)?;
    let mut mutability = Mutability::NonPayable;
    while let Some(Tok::Ident(word)) = p.peek() {
        match word.as_str() {
            "returns" => break,
            "external" | "public" => {}
            "view" => mutability = Mutability::View,
            "pure" => mutability = Mutability::Pure,
            "payable" => mutability = Mutability::Payable,
            _ => return None,
        }
        p.bump();
    }
    let returns = if p.at_word("returns") {
        p.bump();
        abi_params(p)?
    } else {
        Vec::new()
    };
    p.expect_punct(Punct::Semi)?;
    Some(FunctionSig {
        docs,
        attrs,
        name,
        params,
        mutability,
        returns,
        span: p.span_from(start),
    })
}

/// `const NAME[: T] = expr`.
fn const_item(p: &mut Cursor<'_>) -> Option<ItemKind> {
    p.bump();
    let name = p.ident()?;
    let ty = if p.eat_punct(Punct::Colon) {
        Some(type_expr(p)?)
    } else {
        None
    };
    p.expect_punct(Punct::Assign)?;
    let value = expr(p)?;
    p.stmt_end()?;
    Some(ItemKind::Const(ConstItem { name, ty, value }))
}

/// `param NAME: T [= default]`.
fn param_item(p: &mut Cursor<'_>) -> Option<ItemKind> {
    p.bump();
    let name = p.ident()?;
    p.expect_punct(Punct::Colon)?;
    let ty = type_expr(p)?;
    let default = if p.eat_punct(Punct::Assign) {
        Some(expr(p)?)
    } else {
        None
    };
    p.stmt_end()?;
    Some(ItemKind::Param(ParamItem { name, ty, default }))
}

/// `fn name(a: T, …) [-> R] { body }`.
fn fn_item(p: &mut Cursor<'_>) -> Option<ItemKind> {
    p.bump();
    let name = p.ident()?;
    p.expect_punct(Punct::LParen)?;
    let mut params = Vec::new();
    while !p.at_punct(Punct::RParen) {
        let name = p.ident()?;
        p.expect_punct(Punct::Colon)?;
        params.push(FnParam {
            name,
            ty: type_expr(p)?,
        });
        if !p.eat_punct(Punct::Comma) {
            break;
        }
    }
    p.expect_punct(Punct::RParen)?;
    let ret = if p.eat_punct(Punct::Arrow) {
        Some(type_expr(p)?)
    } else {
        None
    };
    let body = block(p)?;
    p.opt_semis();
    Some(ItemKind::Fn(FnItem {
        name,
        params,
        ret,
        body,
    }))
}
