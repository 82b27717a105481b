//! Where a local is visible: from its definition to the end of the block that holds it.
//! A `for` variable is visible in its loop's body, a `fn` parameter in its function's
//! body; a local of the script's top level, to the end of the file.

use nest_diagnostics::{FileId, Span};
use nest_syntax::ast::{Block, ItemKind, Stmt, StmtKind};

/// The blocks of a document, and the locals whose scope is not the block they are
/// written in.
pub(crate) struct Scopes {
    /// Every block's span.
    blocks: Vec<Span>,
    /// `for` variables and `fn` parameters: where each is written, and the body it is
    /// visible in.
    bound: Vec<(Span, Span)>,
}

impl Scopes {
    /// The scopes of `text` (parsed again: parsing is cheap and never fails).
    pub(crate) fn of(file: FileId, text: &str) -> Scopes {
        let (ast, _) = nest_syntax::parse(file, text);
        let mut s = Scopes {
            blocks: Vec::new(),
            bound: Vec::new(),
        };
        for item in &ast.items {
            match &item.kind {
                ItemKind::Fn(f) => {
                    for p in &f.params {
                        s.bound.push((p.name.span, f.body.span));
                    }
                    s.block(&f.body);
                }
                ItemKind::Stmt(st) => s.stmt(st),
                _ => {}
            }
        }
        s
    }

    fn block(&mut self, b: &Block) {
        self.blocks.push(b.span);
        for st in &b.stmts {
            self.stmt(st);
        }
    }

    fn stmt(&mut self, st: &Stmt) {
        match &st.kind {
            StmtKind::If { then, els, .. } => {
                self.block(then);
                if let Some(e) = els {
                    self.block(e);
                }
            }
            StmtKind::For { var, body, .. } => {
                self.bound.push((var.span, body.span));
                self.block(body);
            }
            StmtKind::With { body, .. } => self.block(body),
            _ => {}
        }
    }

    /// Whether a local defined at `def` is visible at `offset` (after its definition,
    /// inside its scope).
    pub(crate) fn visible(&self, def: Span, offset: u32) -> bool {
        if def.start >= offset {
            return false;
        }
        let scope = self
            .bound
            .iter()
            .find(|(at, _)| at.start == def.start && at.end == def.end)
            .map(|(_, body)| *body)
            .or_else(|| {
                // The innermost block holding the definition.
                self.blocks
                    .iter()
                    .filter(|b| b.start <= def.start && def.end <= b.end)
                    .min_by_key(|b| b.end - b.start)
                    .copied()
            });
        scope.is_none_or(|s| s.start <= offset && offset < s.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str) -> u32 {
        text.find(needle).expect("needle") as u32
    }

    fn span(text: &str, needle: &str) -> Span {
        let start = at(text, needle);
        Span {
            file: FileId(0),
            start,
            end: start + needle.len() as u32,
        }
    }

    #[test]
    fn a_local_is_visible_to_the_end_of_its_block_only() {
        let text = "let a = 1\nif a > 0 {\n    let b = 2\n    b\n}\nlet c = 3\nc\n";
        let s = Scopes::of(FileId(0), text);
        let b = span(text, "b = 2");
        let b = Span {
            end: b.start + 1,
            ..b
        };
        assert!(s.visible(b, at(text, "b\n}")));
        assert!(!s.visible(b, at(text, "let c")));
        let a = span(text, "a = 1");
        let a = Span {
            end: a.start + 1,
            ..a
        };
        assert!(s.visible(a, at(text, "c\n") + 1));
        assert!(!s.visible(a, 0));
    }

    #[test]
    fn loop_variables_and_parameters_live_in_their_bodies() {
        let text =
            "fn f(x: uint256) -> uint256 {\n    return x\n}\nfor i in 0..3 {\n    f(i)\n}\nf(1)\n";
        let s = Scopes::of(FileId(0), text);
        let x = span(text, "x: uint256");
        let x = Span {
            end: x.start + 1,
            ..x
        };
        assert!(s.visible(x, at(text, "return x") + 7));
        assert!(!s.visible(x, at(text, "for i")));
        let i = span(text, "i in");
        let i = Span {
            end: i.start + 1,
            ..i
        };
        assert!(s.visible(i, at(text, "f(i)")));
        assert!(!s.visible(i, at(text, "f(1)")));
    }
}
