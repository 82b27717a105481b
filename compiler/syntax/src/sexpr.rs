//! A compact, stable text form of the syntax tree (S-expressions, spans left out),
//! for snapshot tests and `--emit ast`-style dumps.

use std::fmt::Write;

use crate::ast::*;

/// The tree as S-expressions: one item or statement per line, blocks indented.
pub fn to_sexpr(file: &SourceFile) -> String {
    let mut out = String::new();
    for doc in &file.docs {
        let _ = writeln!(out, "(doc! {doc:?})");
    }
    for item in &file.items {
        print_item(&mut out, item, 0);
    }
    out
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn print_item(out: &mut String, item: &Item, depth: usize) {
    for doc in &item.docs {
        indent(out, depth);
        let _ = writeln!(out, "(doc {doc:?})");
    }
    for attr in &item.attrs {
        indent(out, depth);
        let _ = writeln!(out, "{}", attribute(attr));
    }
    match &item.kind {
        ItemKind::Stmt(stmt) => print_stmt(out, stmt, depth),
        ItemKind::Fn(f) => {
            indent(out, depth);
            let params: Vec<String> = f
                .params
                .iter()
                .map(|p| format!("({} {})", p.name.name, ty(&p.ty)))
                .collect();
            let ret = f
                .ret
                .as_ref()
                .map(|t| format!(" -> {}", ty(t)))
                .unwrap_or_default();
            let _ = writeln!(out, "(fn {} ({}){ret}", f.name.name, params.join(" "));
            print_block_body(out, &f.body, depth + 1);
            indent(out, depth);
            out.push_str(")\n");
        }
        ItemKind::Interface(InterfaceItem {
            name,
            body: InterfaceBody::Functions(sigs),
            errors,
        }) => {
            indent(out, depth);
            let _ = writeln!(out, "(interface {}", name.name);
            for sig in sigs {
                for doc in &sig.docs {
                    indent(out, depth + 1);
                    let _ = writeln!(out, "(doc {doc:?})");
                }
                for attr in &sig.attrs {
                    indent(out, depth + 1);
                    let _ = writeln!(out, "{}", attribute(attr));
                }
                indent(out, depth + 1);
                let _ = writeln!(out, "{}", function_sig(sig));
            }
            for error in errors {
                for doc in &error.docs {
                    indent(out, depth + 1);
                    let _ = writeln!(out, "(doc {doc:?})");
                }
                indent(out, depth + 1);
                let _ = writeln!(out, "{}", error_sig(error));
            }
            indent(out, depth);
            out.push_str(")\n");
        }
        other => {
            indent(out, depth);
            let _ = writeln!(out, "{}", simple_item(other));
        }
    }
}

fn simple_item(kind: &ItemKind) -> String {
    match kind {
        ItemKind::Use(u) => {
            let module = match &u.module {
                ModulePath::Std { segments, .. } => {
                    let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
                    format!("std::{}", names.join("::"))
                }
                ModulePath::File(path) => format!("{:?}", path.value),
            };
            let names: Vec<String> = u
                .names
                .iter()
                .map(|n| match &n.alias {
                    Some(alias) => format!("({} as {})", n.name.name, alias.name),
                    None => n.name.name.clone(),
                })
                .collect();
            format!("(use {module} {})", names.join(" "))
        }
        ItemKind::Token(t) => format!(
            "(token {} {} (decimals {}))",
            t.name.name,
            expr(&t.address),
            expr(&t.decimals)
        ),
        ItemKind::Interface(InterfaceItem {
            name,
            body: InterfaceBody::Abi(path),
            ..
        }) => {
            format!("(interface {} (abi {:?}))", name.name, path.value)
        }
        ItemKind::Const(c) => {
            let t =
                c.ty.as_ref()
                    .map(|t| format!(" : {}", ty(t)))
                    .unwrap_or_default();
            format!("(const {}{t} {})", c.name.name, expr(&c.value))
        }
        ItemKind::Param(p) => {
            let default = p
                .default
                .as_ref()
                .map(|d| format!(" {}", expr(d)))
                .unwrap_or_default();
            format!("(param {} : {}{default})", p.name.name, ty(&p.ty))
        }
        _ => String::new(),
    }
}

fn attribute(attr: &Attribute) -> String {
    let args: Vec<String> = attr
        .args
        .iter()
        .map(|a| match &a.key {
            Some(key) => format!("({} = {})", key.name, expr(&a.value)),
            None => expr(&a.value),
        })
        .collect();
    format!("#[{} {}]", attr.name.name, args.join(" "))
}

fn function_sig(sig: &FunctionSig) -> String {
    let mutability = match sig.mutability {
        Mutability::NonPayable => "",
        Mutability::Payable => " payable",
        Mutability::View => " view",
        Mutability::Pure => " pure",
    };
    let returns = if sig.returns.is_empty() {
        String::new()
    } else {
        format!(" (returns {})", abi_params(&sig.returns))
    };
    format!(
        "(function {} ({}){mutability}{returns})",
        sig.name.name,
        abi_params(&sig.params)
    )
}

fn error_sig(error: &ErrorSig) -> String {
    format!(
        "(error {} ({}))",
        error.name.name,
        abi_params(&error.params)
    )
}

fn abi_params(params: &[AbiParam]) -> String {
    let parts: Vec<String> = params
        .iter()
        .map(|p| match &p.name {
            Some(name) => format!("{} {}", ty(&p.ty), name.name),
            None => ty(&p.ty),
        })
        .collect();
    parts.join(", ")
}

fn ty(t: &TypeExpr) -> String {
    match &t.kind {
        TypeExprKind::Named(name) => name.name.clone(),
        TypeExprKind::Array { elem, len } => {
            format!(
                "{}[{}]",
                ty(elem),
                len.as_ref().map(|l| expr(l)).unwrap_or_default()
            )
        }
        TypeExprKind::Tuple(elems) => format!("({})", abi_params(elems)),
        TypeExprKind::Error => "<error>".to_string(),
    }
}

fn print_block_body(out: &mut String, block: &Block, depth: usize) {
    for stmt in &block.stmts {
        print_stmt(out, stmt, depth);
    }
}

fn print_stmt(out: &mut String, stmt: &Stmt, depth: usize) {
    indent(out, depth);
    match &stmt.kind {
        StmtKind::Let {
            mutable,
            name,
            ty: t,
            value,
        } => {
            let m = if *mutable { "mut " } else { "" };
            let t = t
                .as_ref()
                .map(|t| format!(" : {}", ty(t)))
                .unwrap_or_default();
            let _ = writeln!(out, "(let {m}{}{t} {})", name.name, expr(value));
        }
        StmtKind::Assign { target, op, value } => {
            let op = match op {
                AssignOp::Set => "=",
                AssignOp::Add => "+=",
                AssignOp::Sub => "-=",
                AssignOp::Mul => "*=",
            };
            let _ = writeln!(out, "({op} {} {})", expr(target), expr(value));
        }
        StmtKind::If { cond, then, els } => {
            let _ = writeln!(out, "(if {}", expr(cond));
            print_block_body(out, then, depth + 1);
            if let Some(els) = els {
                indent(out, depth);
                out.push_str(" else\n");
                print_block_body(out, els, depth + 1);
            }
            indent(out, depth);
            out.push_str(")\n");
        }
        StmtKind::For { var, iter, body } => {
            let iter = match iter {
                ForIter::Range { start, end } => format!("(range {} {})", expr(start), expr(end)),
                ForIter::Array(a) => expr(a),
            };
            let _ = writeln!(out, "(for {} {iter}", var.name);
            print_block_body(out, body, depth + 1);
            indent(out, depth);
            out.push_str(")\n");
        }
        StmtKind::With { grant, body } => {
            let _ = writeln!(out, "(with {}", expr(grant));
            print_block_body(out, body, depth + 1);
            indent(out, depth);
            out.push_str(")\n");
        }
        StmtKind::Return(values) => {
            let values: Vec<String> = values.iter().map(expr).collect();
            let _ = writeln!(
                out,
                "(return{}{})",
                if values.is_empty() { "" } else { " " },
                values.join(" ")
            );
        }
        StmtKind::Expr(e) => {
            let _ = writeln!(out, "{}", expr(e));
        }
        StmtKind::Error => out.push_str("<error>\n"),
    }
}

/// One expression as an S-expression: `(+ a (* b c))`.
pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Number {
            raw,
            unit: Some(unit),
        } => format!("({raw} {})", unit.name),
        ExprKind::Number { raw, unit: None } => raw.clone(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::HexStr(bytes) => {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            format!("hex\"{hex}\"")
        }
        ExprKind::Ident(name) => name.name.clone(),
        ExprKind::SelfVault => "self".to_string(),
        ExprKind::Array(items) => format!("[{}]", list(items)),
        ExprKind::Tuple(items) => format!("(tuple {})", list(items)),
        ExprKind::Unary { op, expr: inner } => {
            let op = match op {
                UnaryOp::Not => "!",
                UnaryOp::BitNot => "~",
                UnaryOp::Neg => "-",
            };
            format!("({op} {})", expr(inner))
        }
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", op.as_str(), expr(lhs), expr(rhs))
        }
        ExprKind::Cast { expr: inner, ty: t } => format!("(as {} {})", expr(inner), ty(t)),
        ExprKind::Call {
            callee,
            options,
            args,
        } => {
            let options: String = options
                .iter()
                .map(|(k, v)| format!(" {{{} {}}}", k.name, expr(v)))
                .collect();
            let args = if args.is_empty() {
                String::new()
            } else {
                format!(" {}", list(args))
            };
            format!("(call {}{options}{args})", expr(callee))
        }
        ExprKind::Field { base, field } => format!("(. {} {})", expr(base), field.name),
        ExprKind::TupleField { base, index, .. } => format!("(. {} {index})", expr(base)),
        ExprKind::Index { base, index } => format!("(index {} {})", expr(base), expr(index)),
        ExprKind::Error => "<error>".to_string(),
    }
}

fn list(items: &[Expr]) -> String {
    items.iter().map(expr).collect::<Vec<_>>().join(" ")
}
